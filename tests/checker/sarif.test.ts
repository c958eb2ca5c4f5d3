/**
 * The SARIF log of a real check validates against the SARIF 2.1.0 JSON schema, carries each finding's path as a
 * code flow, and fingerprints findings so that code scanning follows them across commits.
 *
 * The schema comes from @microsoft/jest-sarif (the SARIF SDK's JavaScript matchers), which ships the 2.1.0-rtm.5
 * schema; no small npm package was found that ships the final one. The errata01 schema that the log's $schema names differs
 * from it, for a producer, only in requiring every region to have startLine, charOffset or byteOffset (and in a
 * pattern for `language`, which the log does not set), so that rule is checked here by hand. Both are draft-04
 * schemas, hence ajv-draft-04.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPaths, RULES, type CheckResult } from '../../packages/capi-refs/src/check.ts';
import { FINGERPRINT_KEY, toSarif } from '../../packages/capi-refs/src/sarif.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/checker');

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
interface ThreadFlowLocation {
  location: { physicalLocation: { artifactLocation: ArtifactLocation; region: Region }; message: { text: string } };
  importance: string;
  executionOrder: number;
}
interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: ArtifactLocation; region: Region } }[];
  partialFingerprints: Record<string, string>;
  codeFlows?: { threadFlows: { locations: ThreadFlowLocation[] }[] }[];
}
interface SarifRule {
  id: string;
  help: { text: string; markdown: string };
  helpUri: string;
  properties: { tags: string[] };
}
interface SarifLog {
  runs: { tool: { driver: { informationUri: string; rules: SarifRule[] } }; originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[] }[];
}

// The packages are CommonJS whose module.exports is the class (or plugin) itself, with `default` pointing back at
// it: `.default` is what TypeScript's types for a CommonJS default import can see.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

function loadValidator(): ReturnType<InstanceType<typeof Ajv>['compile']> {
  const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $schema: string; properties: object };
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  // allErrors: a failure lists every problem at once instead of the first one. unicodeRegExp: false because the
  // schema's `language` pattern has a stray `]` that only non-Unicode regular expressions accept (errata01 fixed it).
  const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Every `region` object anywhere in the log. */
function regions(value: unknown): object[] {
  if (Array.isArray(value)) return value.flatMap(regions);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'region' && v !== null && typeof v === 'object' ? [v, ...regions(v)] : regions(v)));
}

function expectValid(validate: ReturnType<typeof loadValidator>, log: unknown): void {
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
  expect(ok).toBe(true);
  // errata01's one rule for producers that the rtm.5 schema lacks.
  for (const r of regions(log)) expect(Object.keys(r).some((k) => ['startLine', 'charOffset', 'byteOffset'].includes(k)), JSON.stringify(r)).toBe(true);
}

function fingerprints(log: SarifLog): string[] {
  return log.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]!);
}

describe('SARIF log of the checker fixtures', () => {
  let validate: ReturnType<typeof loadValidator>;
  let result: CheckResult;
  let log: SarifLog;
  beforeAll(async () => {
    validate = loadValidator();
    result = await checkPaths([FIXTURES], '3.13', { explain: true });
    log = toSarif(result, '1.0.0', ROOT) as SarifLog;
  });

  it('validates against the SARIF 2.1.0 schema', () => {
    expect(result.findings.length).toBeGreaterThan(10);
    expectValid(validate, log);
  });

  it('the schema rejects a log that breaks it (the validator is not vacuous)', () => {
    const broken = structuredClone(log);
    const flow = broken.runs[0]!.results.find((r) => r.codeFlows)!.codeFlows![0]!.threadFlows[0]!.locations[0]!;
    flow.importance = 'crucial';
    expect(validate(broken)).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('gives each finding with a path a code flow, from where the reference was made to where the problem shows', () => {
    const run = log.runs[0]!;
    const withPath = result.findings.filter((f) => f.path.length > 0);
    expect(withPath.length).toBeGreaterThan(0);
    expect(run.results.filter((r) => r.codeFlows).length).toBe(withPath.length);
    const complete = run.results.filter((r) => {
      const steps = r.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
      const first = steps[0];
      const last = steps.at(-1);
      return (
        first?.location.message.text.includes('returns a new reference') &&
        JSON.stringify(last?.location.physicalLocation.region) === JSON.stringify(r.locations[0]!.physicalLocation.region)
      );
    });
    expect(complete.length).toBeGreaterThan(0);
    for (const [i, f] of result.findings.entries()) {
      const steps = run.results[i]!.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
      expect(steps.map((s) => s.location.message.text)).toEqual(f.path.map((s) => s.message));
      expect(steps.map((s) => s.executionOrder)).toEqual(f.path.map((_, n) => n + 1));
      for (const s of steps) expect(s.location.physicalLocation.artifactLocation).toEqual(run.results[i]!.locations[0]!.physicalLocation.artifactLocation);
      expect(steps.map((s) => s.importance)).toEqual(
        f.path.map((s, n) => (n === 0 || n === f.path.length - 1 ? 'essential' : s.message.startsWith('takes the') ? 'important' : 'unimportant')),
      );
    }
  });

  it('documents each rule with its example, a link to its README section and tags', () => {
    const driver = log.runs[0]!.tool.driver;
    const rules = driver.rules;
    expect(driver.informationUri).toMatch(/^https:\/\/.*\/capi-refs$/);
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const [i, meta] of RULES.entries()) {
      const rule = rules[i]!;
      expect(rule.help.text).toContain(meta.help);
      expect(rule.help.markdown).toContain('```c\n' + meta.example.wrong + '\n```');
      expect(rule.help.markdown).toContain('```c\n' + meta.example.right + '\n```');
      expect(rule.helpUri).toBe(`${driver.informationUri}#rule-${meta.id}`);
      expect(rule.properties.tags).toEqual(meta.explainOnly ? ['reliability', 'explanation'] : ['reliability']);
    }
  });

  it('fingerprints findings the same way on every run, and tells findings apart', async () => {
    const again = toSarif(await checkPaths([FIXTURES], '3.13', { explain: true }), '1.0.0', ROOT) as SarifLog;
    const first = fingerprints(log);
    expect(first.every((fp) => /^[0-9a-f]{16}:\d+$/.test(fp))).toBe(true);
    expect(fingerprints(again)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });
});

describe('SARIF for files outside the fixtures', () => {
  let dir: string;
  let validate: ReturnType<typeof loadValidator>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'capi-refs-sarif-'));
    validate = loadValidator();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a fingerprint when lines are added above the finding', async () => {
    const text = readFileSync(path.join(FIXTURES, 'reference-leak.c'), 'utf8');
    const file = path.join(dir, 'moved.c');
    writeFileSync(file, text);
    const before = toSarif(await checkPaths([file], '3.13'), '1.0.0', dir) as SarifLog;
    writeFileSync(file, `/* three */\n/* more */\n/* lines */\n${text}`);
    const after = toSarif(await checkPaths([file], '3.13'), '1.0.0', dir) as SarifLog;
    expect(before.runs[0]!.results.length).toBeGreaterThan(0);
    // The messages name lines ("(line 7)"), and those did move.
    expect(after.runs[0]!.results.map((r) => r.message.text)).not.toEqual(before.runs[0]!.results.map((r) => r.message.text));
    expect(fingerprints(after)).toEqual(fingerprints(before));
  });

  it('percent-encodes # and ? in file names, relative and as file: URLs', async () => {
    const text = readFileSync(path.join(FIXTURES, 'discarded-reference.c'), 'utf8');
    writeFileSync(path.join(dir, 'a#b.c'), text);
    writeFileSync(path.join(dir, 'what?.c'), text);
    const result = await checkPaths([path.join(dir, 'a#b.c'), path.join(dir, 'what?.c')], '3.13');
    expect(result.findings.length).toBeGreaterThan(0);

    const relative = toSarif(result, '1.0.0', dir) as SarifLog;
    expectValid(validate, relative);
    const uris = new Set(relative.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(['a%23b.c', 'what%3F.c']);
    const base = new URL(relative.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri);
    for (const uri of uris) expect(decodeURIComponent(new URL(uri, base).pathname)).toMatch(/\/(a#b|what\?)\.c$/);

    // From another root the files are outside it, so they get absolute file: URLs, where # and ? matter as much.
    const absolute = toSarif(result, '1.0.0', path.join(dir, 'elsewhere')) as SarifLog;
    expectValid(validate, absolute);
    for (const r of absolute.runs[0]!.results) {
      const location = r.locations[0]!.physicalLocation.artifactLocation;
      expect(location.uriBaseId).toBeUndefined();
      const url = new URL(location.uri);
      expect(url.hash).toBe('');
      expect(url.search).toBe('');
      expect(decodeURIComponent(url.pathname)).toMatch(/\/(a#b|what\?)\.c$/);
    }
  });
});
