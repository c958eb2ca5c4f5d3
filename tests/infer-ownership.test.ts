import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { carryAcrossVersions } from '../scripts/lib/carry-versions.ts';
import { findProseTwin, inferOwnership, type InferenceInputs } from '../scripts/lib/infer-ownership.ts';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import type { Api, Param } from '../src/schema/api.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

const real = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, '3.13.json'), 'utf8')));
const template = real.apis.find((api) => api.name === 'PyList_SetItem')!;

const objectParam = (name: string, extra: Partial<Param> = {}): Param => ({ name, type: 'PyObject *', ownership: 'unknown', confidence: 'unknown', ...extra });
function api(name: string, changes: Partial<Api> = {}): Api {
  return {
    ...structuredClone(template),
    name,
    kind: 'function',
    docsUrl: `https://docs.python.org/3.13/c-api/x.html#c.${name}`,
    returns: { type: 'PyObject *', ownership: 'unknown', confidence: 'unknown', borrowedFrom: null },
    params: [objectParam('o')],
    evidence: [],
    conflicts: [],
    ...changes,
  };
}
const get = (apis: Api[], name: string): Api => apis.find((candidate) => candidate.name === name)!;

describe('findProseTwin', () => {
  it('names the API a description says this one mirrors', () => {
    expect(findProseTwin('Alias to PyStructSequence_SetItem().')).toBe('PyStructSequence_SetItem');
    expect(findProseTwin('Macro form of PyList_SetItem() without error checking.')).toBe('PyList_SetItem');
    expect(findProseTwin('Similar to PyModule_AddObjectRef(), but steals a reference.')).toBe('PyModule_AddObjectRef');
    expect(findProseTwin('Return the item; see PyList_GetItem().')).toBeNull();
  });
});

function rules(overrides: Partial<InferenceInputs> = {}): InferenceInputs {
  return { proseTwins: new Map(), macros: new Map(), handReadings: new Map(), ...overrides };
}

describe('inferOwnership', () => {
  it('gives a macro the ownership of the function its definition passes an argument to', () => {
    const fn = api('PyThing_SetItem', { params: [objectParam('o', { ownership: 'borrowed', confidence: 'documented' }), objectParam('v', { ownership: 'stolen', confidence: 'documented' })] });
    const macro = api('PyThing_STORE', { params: [objectParam('v')] });
    const reading = { role: 'value' as const, type: 'PyObject *', passedTo: { callee: 'PyThing_SetItem', index: 1 }, how: 'passed to PyThing_SetItem() as argument 2' };
    const out = get(inferOwnership([fn, macro], rules({ macros: new Map([['PyThing_STORE', { returns: null, params: [reading] }]]) })), 'PyThing_STORE');
    expect(out.params[0]).toMatchObject({ ownership: 'stolen', confidence: 'inferred' });
    expect(out.evidence.find((e) => e.field === 'params.v')).toMatchObject({ raw: 'expansion' });
  });

  it('PyExceptionInstance_Class, "equivalent to Py_TYPE(op)" in the docs, lends the type as Py_TYPE does, in every version', () => {
    for (const version of ['3.9', '3.11', '3.13', '3.14', '3.15']) {
      const data = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')));
      expect(data.apis.find((a) => a.name === 'PyExceptionInstance_Class')?.returns?.ownership, version).toBe('borrowed');
    }
  });

  it('takes a hand reading for fields nothing else types, and rejects one whose parameters no longer match', () => {
    const macro = api('Py_THING_SETREF', { returns: { type: '', ownership: 'unknown', confidence: 'unknown', borrowedFrom: null }, params: [{ name: 'dst', type: '', ownership: 'unknown', confidence: 'unknown' }, { name: 'src', type: '', ownership: 'unknown', confidence: 'unknown' }] });
    const hand = { note: 'moves src into dst, releasing the old value', returns: 'statement' as const, params: ['in-out' as const, 'stolen' as const], location: 'hand.toml:3' };
    const out = get(inferOwnership([macro], rules({ handReadings: new Map([['Py_THING_SETREF', hand]]) })), 'Py_THING_SETREF');
    expect([out.returns?.ownership, ...out.params.map((p) => p.ownership)]).toEqual(['no-object', 'in-out', 'stolen']);
    expect(out.evidence.every((e) => e.raw === 'hand-reading' && e.location === 'hand.toml:3')).toBe(true);
    expect(() => inferOwnership([macro], rules({ handReadings: new Map([['Py_THING_SETREF', { ...hand, params: ['stolen' as const] }]]) }))).toThrow(/hand.toml:3.*lists 1 parameters/);
  });

  it('reads a returned PyObject ** as pointing into storage the argument owns', () => {
    const out = get(inferOwnership([api('PyThing_ITEMS', { returns: { type: 'PyObject **', ownership: 'unknown', confidence: 'unknown', borrowedFrom: null }, params: [objectParam('o')] })], rules()), 'PyThing_ITEMS');
    expect(out.returns).toMatchObject({ ownership: 'borrowed', confidence: 'inferred' });
    expect(out.evidence[0]).toMatchObject({ raw: 'pointer-into-object' });
  });

  it('never overrides what a source states', () => {
    const documented = api('PyThing_Get', { returns: { type: 'PyObject *', ownership: 'borrowed', confidence: 'documented', borrowedFrom: null }, params: [objectParam('o', { ownership: 'stolen', confidence: 'documented' })] });
    const [out] = inferOwnership([documented], rules());
    expect(out).toBe(documented);
  });

  it('copies from the twin the prose names, for the same parameter', () => {
    const twin = api('PyThing_SetItem', { params: [objectParam('o', { ownership: 'borrowed', confidence: 'documented' }), objectParam('v', { ownership: 'stolen', confidence: 'documented' })] });
    const alias = api('PyThing_SET_ITEM', { params: [objectParam('o'), objectParam('v')] });
    const out = get(inferOwnership([twin, alias], rules({ proseTwins: new Map([['PyThing_SET_ITEM', 'PyThing_SetItem']]) })), 'PyThing_SET_ITEM');
    expect(out.params.map((p) => [p.ownership, p.confidence])).toEqual([['borrowed', 'inferred'], ['stolen', 'inferred']]);
    expect(out.evidence.find((e) => e.field === 'params.v')).toMatchObject({ source: 'inference', value: 'stolen', raw: 'prose-twin', location: twin.docsUrl });
  });

  it("takes a twin's stated steal over refcounts.dat's 0, and lists the conflict", () => {
    const refcountsZero = (field: string): Api['evidence'][number] => ({ field, source: 'refcounts.dat', value: 'borrowed', location: 'refcounts.dat:1', raw: '0' });
    const fn = api('PyThing_SetItem', { params: [objectParam('o', { ownership: 'stolen', confidence: 'documented' })], evidence: [refcountsZero('params.o'), { field: 'params.o', source: 'docs-prose', value: 'stolen', location: 'x' }] });
    const macro = api('PyThing_SET_ITEM', { params: [objectParam('o', { ownership: 'borrowed', confidence: 'documented' })], evidence: [refcountsZero('params.o')] });
    const out = get(inferOwnership([fn, macro], rules()), 'PyThing_SET_ITEM');
    expect(out.params[0]).toMatchObject({ ownership: 'stolen', confidence: 'inferred' });
    expect(out.evidence.at(-1)).toMatchObject({ source: 'inference', value: 'stolen', raw: 'name-twin' });
    expect(out.conflicts).toEqual([expect.objectContaining({ field: 'params.o', chosen: 'stolen' })]);
    // near miss: a twin whose steal is itself a guess outranks nothing
    const weak = api('PyThing_SetItem', { params: [objectParam('o', { ownership: 'stolen', confidence: 'inferred' })], evidence: [{ field: 'params.o', source: 'inference', value: 'stolen', location: 'x', raw: 'convention' }] });
    const kept = get(inferOwnership([weak, macro], rules()), 'PyThing_SET_ITEM');
    expect(kept.params[0]).toMatchObject({ ownership: 'borrowed', confidence: 'documented' });
    expect(kept.conflicts).toEqual([]);
  });

  it('pairs a macro with the function its name spells differently', () => {
    const fn = api('PyThing_GetItem', { returns: { type: 'PyObject *', ownership: 'borrowed', confidence: 'documented', borrowedFrom: null } });
    const macro = api('PyThing_GET_ITEM');
    const out = get(inferOwnership([fn, macro], rules()), 'PyThing_GET_ITEM');
    expect(out.returns).toEqual({ type: 'PyObject *', ownership: 'borrowed', confidence: 'inferred', borrowedFrom: null });
    expect(out.evidence[0]).toMatchObject({ field: 'returns', raw: 'name-twin' });
  });

  it('reads a Ref suffix as a strong reference, returned or written out', () => {
    const out = get(inferOwnership([api('PyThing_GetRef', { params: [objectParam('o'), { name: 'result', type: 'PyObject **', ownership: 'unknown', confidence: 'unknown' }] })], rules()), 'PyThing_GetRef');
    expect(out.returns?.ownership).toBe('new');
    expect(out.params[1]).toMatchObject({ ownership: 'out-new', confidence: 'inferred' });
    expect(out.evidence.map((e) => e.raw)).toEqual(['ref-suffix', 'convention', 'ref-suffix']);
  });

  it('falls back to the convention: arguments borrowed, returns new; an output with no rule stays unknown', () => {
    const out = get(inferOwnership([api('PyThing_Make', { params: [objectParam('o'), { name: 'out', type: 'PyObject **', ownership: 'unknown', confidence: 'unknown' }] })], rules()), 'PyThing_Make');
    expect(out.returns).toMatchObject({ ownership: 'new', confidence: 'inferred' });
    expect(out.params.map((p) => p.ownership)).toEqual(['borrowed', 'unknown']);
  });
});

describe('carryAcrossVersions', () => {
  const dataset = (version: string, apis: Api[]): VersionDataset => ({ version, coverage: real.coverage, sources: [], apis });

  it('takes the nearest documented value, older first at equal distance, and replaces an inferred one', () => {
    const documented = (ownership: Param['ownership']): Api => api('PyThing_Set', { params: [objectParam('o', { ownership, confidence: 'documented' })] });
    const inferred = api('PyThing_Set', { params: [objectParam('o', { ownership: 'borrowed', confidence: 'inferred' })] });
    const [, middle] = carryAcrossVersions([dataset('3.11', [documented('stolen')]), dataset('3.13', [inferred]), dataset('3.14', [documented('borrowed')])]);
    expect(middle!.apis[0]!.params[0]).toMatchObject({ ownership: 'stolen', confidence: 'carried' });
    expect(middle!.apis[0]!.evidence.at(-1)).toMatchObject({ source: 'inference', raw: 'carried-from-3.11' });
  });

  it("does not carry over a value read off the same call under another name (a twin's, a macro's expansion)", () => {
    const documented = api('PyThing_SET', { params: [objectParam('o', { ownership: 'borrowed', confidence: 'documented' })] });
    const fromTwin = api('PyThing_SET', { params: [objectParam('o', { ownership: 'stolen', confidence: 'inferred' })], evidence: [{ field: 'params.o', source: 'inference', value: 'stolen', location: 'x', raw: 'expansion' }] });
    const [, kept] = carryAcrossVersions([dataset('3.13', [documented]), dataset('3.14', [fromTwin])]);
    expect(kept!.apis[0]).toBe(fromTwin);
  });

  it('does not carry across a changed type, nor over a documented value', () => {
    const other = api('PyThing_Set', { params: [{ name: 'o', type: 'PyTupleObject *', ownership: 'stolen', confidence: 'documented' }] });
    const unknown = api('PyThing_Set', { params: [objectParam('o')] });
    const [, out] = carryAcrossVersions([dataset('3.11', [other]), dataset('3.13', [unknown])]);
    expect(out!.apis[0]!.params[0]!.confidence).toBe('unknown');
    const documented = api('PyThing_Set', { params: [objectParam('o', { ownership: 'borrowed', confidence: 'documented' })] });
    const [, kept] = carryAcrossVersions([dataset('3.11', [other]), dataset('3.13', [documented])]);
    expect(kept!.apis[0]).toBe(documented);
  });
});

describe('carryAcrossVersions: a measurement overrules a refcounts-only value', () => {
  const dataset = (version: string, apis: Api[]): VersionDataset => ({ version, coverage: real.coverage, sources: [], apis });
  const refcountsOnly = (ownership: Param['ownership']): Api =>
    api('PyThing_Discard', {
      params: [objectParam('key', { ownership, confidence: 'documented' })],
      evidence: [{ field: 'params.key', source: 'refcounts.dat', value: ownership, location: 'Doc/data/refcounts.dat:12', raw: '-1' }],
    });
  const measured = api('PyThing_Discard', { params: [objectParam('key', { ownership: 'borrowed', confidence: 'runtime-confirmed' })] });

  it('replaces the value, lists the conflict, and carries the measurement, not the overruled line, further on', () => {
    const silent = api('PyThing_Discard', { params: [objectParam('key')] });
    const [older, , newer, newest] = carryAcrossVersions([
      dataset('3.9', [refcountsOnly('stolen')]),
      dataset('3.11', [measured]),
      dataset('3.13', [refcountsOnly('stolen')]),
      dataset('3.15', [silent]),
    ]);
    for (const out of [older!, newer!]) {
      expect(out.apis[0]!.params[0]).toMatchObject({ ownership: 'borrowed', confidence: 'carried' });
      expect(out.apis[0]!.conflicts).toEqual([
        expect.objectContaining({ field: 'params.key', chosen: 'borrowed', values: [{ source: 'inference', value: 'borrowed' }, { source: 'refcounts.dat', value: 'stolen' }] }),
      ]);
    }
    expect(newest!.apis[0]!.params[0]).toMatchObject({ ownership: 'borrowed', confidence: 'carried' });
    expect(newest!.apis[0]!.evidence.at(-1)!.raw).toBe('carried-from-3.11');
  });

  it('leaves a value the docs state, or one the measurement agrees with', () => {
    const documentedByProse = api('PyThing_Discard', {
      params: [objectParam('key', { ownership: 'stolen', confidence: 'documented' })],
      evidence: [{ field: 'params.key', source: 'docs-prose', value: 'stolen', location: 'https://docs.python.org/3.13/c-api/x.html#c.PyThing_Discard', raw: 'steals-reference-to' }],
    });
    const [, prose] = carryAcrossVersions([dataset('3.11', [measured]), dataset('3.13', [documentedByProse])]);
    expect(prose!.apis[0]).toBe(documentedByProse);
    const agreeing = refcountsOnly('borrowed');
    const [, same] = carryAcrossVersions([dataset('3.11', [measured]), dataset('3.13', [agreeing])]);
    expect(same!.apis[0]).toBe(agreeing);
  });
});

describe('the committed data', () => {
  it.each(['3.13', '3.14', '3.15'])("%s: PyStructSequence_SET_ITEM steals o like PyStructSequence_SetItem, whatever refcounts.dat's 0 says", (version) => {
    const data = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')));
    const macro = data.apis.find((a) => a.name === 'PyStructSequence_SET_ITEM')!;
    expect(macro.params.find((p) => p.name === 'o')).toMatchObject({ ownership: 'stolen' });
  });
});
