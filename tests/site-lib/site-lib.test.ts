import { describe, expect, it } from 'vitest';
import { alternativesFor, HAND_ALTERNATIVES } from '../../src/lib/site/alternatives.ts';
import { lineChart } from '../../src/lib/site/chart.ts';
import { diagramRows } from '../../src/lib/site/diagram.ts';
import { fieldDocs } from '../../src/lib/site/fields.ts';
import { compareVersions, diffOf, docsPage, groupVariants, rowOf, stableText, statsOf, threadText } from '../../src/lib/site/model.ts';
import { PARAM_WORDS, RETURN_WORDS } from '../../src/lib/site/words.ts';
import { Api, CombinedDataset, ParamOwnership, ReturnOwnership, VersionDataset, type Api as ApiT } from '../../src/schema/index.ts';
import { readFileSync } from 'node:fs';

// A real record (so the fixture follows the schema as it evolves): PyList_SetItem of 3.14, made simple.
const real = VersionDataset.parse(JSON.parse(readFileSync('data/versions/3.14.json', 'utf8'))).apis.find((a) => a.name === 'PyList_SetItem')!;
const base: ApiT = { ...real, stableAbi: null, threadSafety: null, params: real.params.map((p) => (p.name === 'list' ? { ...p, ownership: 'borrowed' } : p)) };
const covered = { refcountsDat: true, stableAbi: true, threadSafety: true };
const uncovered = { refcountsDat: true, stableAbi: false, threadSafety: false };

describe('words', () => {
  it('has a plain-words text for every ownership value of the schema', () => {
    for (const v of ReturnOwnership.options) expect(RETURN_WORDS[v]).toMatch(/\w/);
    for (const v of ParamOwnership.options) expect(PARAM_WORDS[v]).toMatch(/\w/);
    expect(RETURN_WORDS.new).toContain('Py_DECREF');
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
  it('offers a replacement only where it exists', () => {
    expect(alternativesFor('PyList_GetItem', 'borrowed', new Set(['PyList_GetItem'])).map((a) => a.name)).toEqual([]);
    expect(alternativesFor('PyList_GetItem', 'borrowed', new Set(['PyList_GetItemRef'])).map((a) => a.name)).toEqual(['PyList_GetItemRef']);
    expect(alternativesFor('PyFoo_Get', 'borrowed', new Set(['PyFoo_GetRef'])).map((a) => a.name)).toEqual(['PyFoo_GetRef']);
    expect(alternativesFor('PyFoo_Get', 'new', new Set(['PyFoo_GetRef']))).toEqual([]);
  });
  it('names only APIs of the dataset, from the version the hand list says', () => {
    const combined = CombinedDataset.parse(JSON.parse(readFileSync('data/capi.json', 'utf8')));
    for (const [from, alts] of Object.entries(HAND_ALTERNATIVES)) {
      expect(combined.apis[from], from).toBeDefined();
      for (const a of alts) {
        const h = combined.apis[a.name];
        expect(h, a.name).toBeDefined();
        // Documented by the first dataset version at or after `since`.
        const first = combined.versions.find((v) => compareVersions(v, a.since) >= 0);
        expect(h!.firstSeen, a.name).toBe(first);
      }
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
});

describe('field docs', () => {
  it('documents the API fields from the zod descriptions', () => {
    const docs = fieldDocs(Api);
    expect(docs.find((f) => f.path === 'unstable')?.description).toMatch(/Unstable C API/);
    expect(docs.some((f) => f.path.startsWith('params[].'))).toBe(true);
  });
});
