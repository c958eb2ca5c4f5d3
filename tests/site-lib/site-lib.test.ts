import { describe, expect, it } from 'vitest';
import { HAND_ALTERNATIVES } from '../../src/lib/alternatives.ts';
import { lineChart } from '../../src/lib/site/chart.ts';
import { diagramRows } from '../../src/lib/site/diagram.ts';
import { fieldDocs } from '../../src/lib/site/fields.ts';
import { compareVersions } from '../../src/lib/query.ts';
import { diffOf, docsPage, familiesOf, familyKey, minorVersionsBetween, previousMinorVersion, groupVariants, rowOf, saferAlternatives, stableText, statsOf, threadText } from '../../src/lib/site/model.ts';
import { PARAM_WORDS, RETURN_WORDS, STABLE_ABI_SCOPE_WORDS, THREAD_SAFETY_WORDS } from '../../src/lib/ownership-words.ts';
import { CHANGE_WORDS, KIND_WORDS, sentence } from '../../src/lib/site/labels.ts';
import { cspHashOf } from '../../src/lib/site/inline-scripts.ts';
import { Api, ApiChange, ApiKind, CombinedDataset, ParamOwnership, ReturnOwnership, StableAbi, ThreadSafetyLevel, VersionDataset, type Api as ApiT } from '../../src/schema/index.ts';
import { readFileSync } from 'node:fs';

// A real record (so the fixture follows the schema as it evolves): PyList_SetItem of 3.14, made simple.
const real = VersionDataset.parse(JSON.parse(readFileSync('data/versions/3.14.json', 'utf8'))).apis.find((a) => a.name === 'PyList_SetItem')!;
const base: ApiT = { ...real, stableAbi: null, threadSafety: null, params: real.params.map((p) => (p.name === 'list' ? { ...p, ownership: 'borrowed' } : p)) };
const covered = { refcountsDat: true, headers: true, stableAbi: true, threadSafety: true };
const uncovered = { refcountsDat: true, headers: true, stableAbi: false, threadSafety: false };

describe('words', () => {
  it('has a plain-words text for every ownership value of the schema', () => {
    for (const v of ReturnOwnership.options) expect(RETURN_WORDS[v]).toMatch(/\w/);
    for (const v of ParamOwnership.options) expect(PARAM_WORDS[v]).toMatch(/\w/);
    expect(RETURN_WORDS.new).toContain('Py_DECREF');
    expect(RETURN_WORDS.borrowed).toContain('not Py_DECREF');
    for (const v of ThreadSafetyLevel.options) expect(THREAD_SAFETY_WORDS[v]).toMatch(/\w/);
    for (const v of StableAbi.shape.scope.options) expect(STABLE_ABI_SCOPE_WORDS[v]).toMatch(/\w/);
  });
  it('has a site label for every API kind and history change of the schema', () => {
    for (const v of ApiKind.options) expect(KIND_WORDS[v], v).toMatch(/\w/);
    for (const v of ApiChange.shape.change.options) expect(CHANGE_WORDS[v], v).toMatch(/\w/);
  });
  it("turns the package's phrases into sentences", () => {
    expect(sentence('stolen: the call takes over your reference')).toBe('Stolen: the call takes over your reference.');
    expect(sentence('a borrowed reference', false)).toBe('a borrowed reference.');
    expect(sentence('Already one.')).toBe('Already one.');
    expect(sentence('')).toBe('');
  });
});

describe('model', () => {
  it('tells "no" from "not recorded"', () => {
    expect(Api.parse(base)).toBeTruthy();
    expect(stableText(base, covered)).toBe('no');
    expect(stableText(base, uncovered)).toBe('not recorded');
    expect(threadText(base, uncovered)).toBe('not recorded');
    expect(stableText({ ...base, stableAbi: { since: '3.2', scope: 'stable-abi', struct: null, platform: null, slotId: null, source: 'stable_abi.toml' } }, covered)).toBe('3.2');
  });
  it('makes table rows', () => {
    expect(rowOf(base, covered)).toMatchObject({ name: 'PyList_SetItem', steals: true, returns: 'no-object', page: 'list' });
    expect(docsPage('https://docs.python.org/3.9/c-api/dict.html#c.PyDict_GetItem')).toBe('dict');
  });
  it('orders versions numerically', () => {
    expect(['3.11', '3.9', '3.13'].sort(compareVersions)).toEqual(['3.9', '3.11', '3.13']);
  });
  it('renders identical versions once, newest first', () => {
    const keys: Record<string, string> = { '3.9': 'a', '3.11': 'a', '3.13': 'b', '3.14': 'b', '3.15': 'c' };
    const v = groupVariants(Object.keys(keys).sort(compareVersions), (x) => keys[x]!, (x) => x);
    expect(v.map((g) => g.versions)).toEqual([['3.15'], ['3.13', '3.14'], ['3.9', '3.11']]);
    expect(v[1]!.value).toBe('3.14');
  });
  it('counts per version, with null where not recorded', () => {
    const s = statsOf('3.9', uncovered, [base]);
    expect(s).toMatchObject({ total: 1, steals: 1, stable: null, threadAnnotated: null });
  });
});

describe('alternatives', () => {
  const apisOf = (version: string): Map<string, ApiT> =>
    new Map(VersionDataset.parse(JSON.parse(readFileSync(`data/versions/${version}.json`, 'utf8'))).apis.map((a) => [a.name, a]));
  const v11 = apisOf('3.11');
  const v14 = apisOf('3.14');
  const fake = (name: string, ownership: 'new' | 'borrowed'): ApiT => ({ ...base, name, returns: { ...base.returns!, type: 'PyObject *', ownership } });

  it('offers a replacement only where it exists', () => {
    expect(saferAlternatives('PyList_GetItem', v11, '3.11')).toEqual([]);
    expect(saferAlternatives('PyList_GetItem', v14, '3.14')).toMatchObject([{ replacement: 'PyList_GetItemRef', since: '3.13', origin: 'hand' }]);
    const twin = { name: 'PyFoo_GetRef', since: '3.14', why: 'returns a strong reference', source: 'ref-twin' as const };
    const getter = { ...fake('PyFoo_Get', 'borrowed'), replacements: [twin] };
    const apis = new Map([['PyFoo_Get', getter], ['PyFoo_GetRef', fake('PyFoo_GetRef', 'new')]]);
    expect(saferAlternatives('PyFoo_Get', apis, '3.14').map((a) => [a.replacement, a.origin])).toEqual([['PyFoo_GetRef', 'ref-twin']]);
    expect(saferAlternatives('PyFoo_Get', apis, '3.13')).toEqual([]);
  });
  it('lists every replacement of PyModule_AddObject usable in the version, newest first', () => {
    expect(saferAlternatives('PyModule_AddObject', v14, '3.14').map((a) => a.replacement)).toEqual(['PyModule_Add', 'PyModule_AddObjectRef']);
    expect(saferAlternatives('PyModule_AddObject', v11, '3.11').map((a) => a.replacement)).toEqual(['PyModule_AddObjectRef']);
  });
  it('shows each hand-list entry from the version the hand list says, and names only APIs of the dataset', () => {
    const combined = CombinedDataset.parse(JSON.parse(readFileSync('data/capi.json', 'utf8')));
    for (const h of HAND_ALTERNATIVES) {
      expect(combined.apis[h.name], h.name).toBeDefined();
      const history = combined.apis[h.replacement];
      expect(history, h.replacement).toBeDefined();
      // Documented by the first dataset version at or after `since` (every version when there is no `since`).
      const first = h.since === null ? combined.versions[0] : combined.versions.find((v) => compareVersions(v, h.since!) >= 0);
      expect(history!.firstSeen, h.replacement).toBe(first);
      const shown = (v: string, apis: ReadonlyMap<string, ApiT>) => saferAlternatives(h.name, apis, v).some((a) => a.replacement === h.replacement);
      if (v14.has(h.name)) expect(shown('3.14', v14), `${h.name} → ${h.replacement} in 3.14`).toBe(h.since === null || compareVersions(h.since, '3.14') <= 0);
      if (v11.has(h.name)) expect(shown('3.11', v11), `${h.name} → ${h.replacement} in 3.11`).toBe(h.since === null || compareVersions(h.since, '3.11') <= 0);
    }
  });
});

describe('diagram and chart', () => {
  it('shows steals and results', () => {
    const rows = diagramRows({ ...base, returns: { ...base.returns!, type: 'PyObject *', ownership: 'new' } });
    expect(rows.map((r) => [r.label, r.after.cls])).toEqual([['list', 'own'], ['item', 'stl'], ['result', 'own']]);
  });
  it('draws lines within the box and skips unrecorded points', () => {
    const c = lineChart([statsOf('3.9', uncovered, [base]), statsOf('3.11', covered, [base, base])]);
    const stable = c.lines.find((l) => l.cls === 's-stable')!;
    expect(stable.points).toHaveLength(1);
    for (const l of c.lines) for (const p of l.points) expect(p.y).toBeGreaterThanOrEqual(0);
  });
  it('diffs consecutive versions from capi.json', () => {
    const combined = CombinedDataset.parse(JSON.parse(readFileSync('data/capi.json', 'utf8')));
    const d = diffOf('3.11', '3.13', combined.apis);
    expect(d.added).toContain('PyList_GetItemRef');
  });
  it('tells a name new to CPython from one only newly documented', () => {
    const combined = CombinedDataset.parse(JSON.parse(readFileSync('data/capi.json', 'utf8')));
    const d = diffOf('3.13', '3.14', combined.apis);
    // In every version's headers since 3.9, documented from 3.14 on.
    expect(d.newlyDocumented).toContain('PY_SSIZE_T_MAX');
    expect(d.newlyDocumented).toContain('PyCFunction_GET_CLASS');
    expect(d.added).not.toContain('PY_SSIZE_T_MAX');
    expect(d.added.length + d.newlyDocumented.length).toBe(194);
    expect(d.newlyDocumented).toHaveLength(57);
  });
});

describe('field docs', () => {
  it('documents the API fields from the zod descriptions', () => {
    const docs = fieldDocs(Api);
    expect(docs.find((f) => f.path === 'unstable')?.description).toMatch(/Unstable C API/);
    expect(docs.some((f) => f.path.startsWith('params[].'))).toBe(true);
  });
});

describe('families of variants', () => {
  it('groups a call with its variants: case, underscores and endings such as Ref, WithError, String set aside', () => {
    const apis = ['PyDict_GetItem', 'PyDict_GetItemRef', 'PyDict_GetItemWithError', 'PyDict_GetItemStringRef', '_PyDict_GetItem', 'PyList_SetItem', 'PyList_SET_ITEM', 'PyList_Append', 'PyDict_Type'].map((name) => ({ name, kind: name === 'PyDict_Type' ? 'var' : 'function' }));
    const families = familiesOf(apis, (a) => a.kind);
    expect(families.get(familyKey('PyDict_GetItem'))).toEqual(['PyDict_GetItem', 'PyDict_GetItemRef', 'PyDict_GetItemWithError', 'PyDict_GetItemStringRef']);
    expect(families.get(familyKey('PyList_SET_ITEM'))).toEqual(['PyList_SetItem', 'PyList_SET_ITEM']);
    // near misses: another operation, a private name, a one-member group
    expect(families.get(familyKey('PyList_Append'))).toBeUndefined();
    expect([...families.values()].flat()).not.toContain('_PyDict_GetItem');
  });
});

describe('support range versions', () => {
  it('lists every minor version between the oldest and newest, the ones the dataset skips too', () => {
    expect(minorVersionsBetween('3.9', '3.15')).toEqual(['3.9', '3.10', '3.11', '3.12', '3.13', '3.14', '3.15']);
    expect(minorVersionsBetween('3.13', '3.13')).toEqual(['3.13']);
  });

  it('names the minor version before another, the last a backport "before 3.13" covers', () => {
    expect(previousMinorVersion('3.13')).toBe('3.12');
    expect(previousMinorVersion('3.10')).toBe('3.9');
    expect(previousMinorVersion('4.0')).toBeNull();
    expect(previousMinorVersion('three')).toBeNull();
  });
});

describe('cspHashOf', () => {
  it("gives the CSP source of a script's exact text (MDN's example: alert('Hello, world.');)", () => {
    expect(cspHashOf("alert('Hello, world.');")).toBe("'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
    // Near miss: one more space is another script, with another hash.
    expect(cspHashOf("alert('Hello, world.'); ")).not.toBe("'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
  });
});
