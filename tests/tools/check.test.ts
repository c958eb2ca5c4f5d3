import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkContext, checkPaths, checkSource, RULES, type CheckContext, type Finding } from '../../packages/capi-refs/src/check.ts';
import { toSarif } from '../../packages/capi-refs/src/sarif.ts';
import { FIXTURES } from './helpers.ts';

/** 1-based numbers of the lines whose text matches. */
function markedLines(file: string, marker: RegExp): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (marker.test(line) ? [i + 1] : []));
}

/** The rules that judge each use of a name (the fixtures here test them); the ownership rules have tests of their own. */
const NAME_RULES = new Set(['borrowed-return', 'steals-argument', 'deprecated-api', 'removed-api']);

async function check(file: string, ctx: CheckContext): Promise<Finding[]> {
  return (await checkSource(readFileSync(file, 'utf8'), file, ctx)).filter((f) => NAME_RULES.has(f.ruleId));
}

describe('checker on C fixtures', () => {
  let v15: CheckContext;
  let v11: CheckContext;
  beforeAll(() => {
    v15 = checkContext('3.15', { explain: true });
    v11 = checkContext('3.11', { explain: true });
  });

  it('reports exactly the lines marked FLAG in hazards.c (macros, nested calls, function pointers, #if branches), not comments or strings', async () => {
    const file = path.join(FIXTURES, 'hazards.c');
    const findings = await check(file, v15);
    expect([...new Set(findings.map((f) => f.line))]).toEqual(markedLines(file, /\/\* FLAG/));
  });

  it('gives rule, level, replacement and position', async () => {
    const findings = await check(path.join(FIXTURES, 'hazards.c'), v15);
    const dict = findings.find((f) => f.api === 'PyDict_GetItem' && f.use === 'call')!;
    expect(dict).toMatchObject({ ruleId: 'borrowed-return', level: 'warning', replacement: 'PyDict_GetItemRef', line: 20, column: 19 });
    expect(dict.endColumn - dict.column).toBe('PyDict_GetItem'.length);
    expect(findings.find((f) => f.api === 'PyDict_GetItem' && f.use === 'reference')?.line).toBe(15);
    expect(findings.filter((f) => f.use === 'macro-definition').map((f) => f.api)).toEqual(['PyDict_GetItem', 'PyList_GetItem', 'PyTuple_GetItem']);
    const setItem = findings.find((f) => f.api === 'PyList_SetItem')!;
    expect(setItem).toMatchObject({ ruleId: 'steals-argument', level: 'note' });
    expect(setItem.message).toContain('`PyLong_FromLong(1)` (argument 3, item)');
    const add = findings.filter((f) => f.api === 'PyModule_AddObject').map((f) => [f.ruleId, f.level]);
    expect(add).toEqual([
      ['deprecated-api', 'note'],
      ['steals-argument', 'note'],
    ]);
    expect(findings.find((f) => f.api === 'PyWeakref_GetObject')).toMatchObject({ ruleId: 'removed-api', level: 'error', replacement: 'PyWeakref_GetRef' });
    expect(findings.find((f) => f.api === 'PyErr_Fetch')).toMatchObject({ ruleId: 'deprecated-api', level: 'warning', replacement: 'PyErr_GetRaisedException' });
  });

  it('follows the target version: no 3.13 replacement for 3.11, nothing deprecated or removed yet', async () => {
    const findings = await check(path.join(FIXTURES, 'hazards.c'), v11);
    const dict = findings.find((f) => f.api === 'PyDict_GetItem' && f.use === 'call')!;
    expect(dict).toMatchObject({ level: 'note', replacement: null });
    expect(dict.message).toContain('PyDict_GetItemRef needs Python 3.13');
    expect(findings.some((f) => f.ruleId === 'removed-api' || f.ruleId === 'deprecated-api')).toBe(false);
    expect(findings.find((f) => f.api === 'PyWeakref_GetObject')?.ruleId).toBe('borrowed-return');
    // The #else branch of `#if PY_VERSION_HEX >= 0x030D0000` is compiled for 3.11 only.
    const elseLine = markedLines(path.join(FIXTURES, 'hazards.c'), /\/\* ELSE/)[0];
    expect(findings.some((f) => f.line === elseLine && f.api === 'PyDict_GetItemString')).toBe(true);
  });

  it('does not report borrowed references that are only tested, dereferenced or made strong at once, release primitives, prototypes or #ifdef tests', async () => {
    const file = path.join(FIXTURES, 'safe-patterns.c');
    const findings = await check(file, v11);
    expect(findings.map((f) => [f.line, f.ruleId, f.level])).toEqual([
      [markedLines(file, /\/\* NOTE/)[0], 'steals-argument', 'note'],
      [markedLines(file, /\/\* FLAG/)[0], 'steals-argument', 'note'],
    ]);
    expect(findings[0]!.message).toContain('only when it succeeds');
  });

  it('ignores API names in comments, strings and identifiers that merely contain them', async () => {
    const src = '/* PyDict_GetItem(a, b) */\nconst char *s = "PyList_GetItem(l, 0)";\nint MyPyDict_GetItem(int x) { return x; }\n// PyTuple_SetItem(t, 0, v)\n';
    expect(await checkSource(src, 'x.c', v15)).toEqual([]);
  });

  it('reports only the explanation rules with explain: true; without it, correct code gets nothing', async () => {
    const file = path.join(FIXTURES, 'safe-patterns.c');
    expect((await check(file, v11)).length).toBeGreaterThan(0);
    expect(await checkSource(readFileSync(file, 'utf8'), file, checkContext('3.11'))).toEqual([]);
  });

  it('walks folders for .c and .h files and counts lines', async () => {
    const result = await checkPaths([FIXTURES], '3.15');
    expect(result.files.map((f) => path.basename(f))).toEqual(['hazards.c', 'safe-patterns.c']);
    expect(result.lines).toBeGreaterThan(50);
    expect(result.errors).toEqual([]);
  });
});

describe('SARIF 2.1.0 output', () => {
  it('has the required structure', async () => {
    const result = await checkPaths([path.join(FIXTURES, 'hazards.c')], '3.15', { explain: true });
    const sarif = toSarif(result, '1.0.0', path.resolve(FIXTURES, '../../..')) as {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('capi-refs');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
    }
    expect(run.results.length).toBe(result.findings.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(['note', 'warning', 'error']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toBe('tests/fixtures/c/hazards.c');
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
      expect(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1).toBe(true);
    }
  });
});

describe('call-scoped deprecations', () => {
  it('reports PyBytes_FromStringAndSize(NULL, n) in 3.15, not a call with a string', async () => {
    const file = path.join(FIXTURES, 'safe-patterns.c');
    const findings = (await checkSource(readFileSync(file, 'utf8'), file, checkContext('3.15'))).filter((f) => f.api === 'PyBytes_FromStringAndSize');
    expect(findings.map((f) => [f.line, f.ruleId, f.level])).toEqual([[markedLines(file, /DEPRECATED in 3\.15/)[0], 'deprecated-api', 'note']]);
  });
});
