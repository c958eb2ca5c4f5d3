import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Confidence, ParamOwnership, ReturnOwnership, ThreadSafetyLevel } from '../../src/schema/index.ts';
import { availableVersions, getApi, getVersion, latestVersion, loadCombined } from '../../packages/capi-refs/src/data.ts';
import { filterApis, isDeprecated, stolenParams, suggestNames, versionsOf } from '../../src/lib/query.ts';
import { CONFIDENCE_WORDS, PARAM_SHORT, PARAM_WORDS, RETURN_SHORT, RETURN_WORDS, THREAD_SAFETY_WORDS, stableAbiWords, threadSafetyWords } from '../../src/lib/ownership-words.ts';

describe('query API on the real data', () => {
  it('knows the versions and the latest', () => {
    expect(availableVersions()).toEqual(['3.9', '3.11', '3.13', '3.14', '3.15']);
    expect(latestVersion()).toBe('3.15');
  });
  it('looks up by name and version', () => {
    expect(getApi('PyList_GetItem', '3.15')?.returns?.ownership).toBe('borrowed');
    expect(getApi('PyList_GetItemRef', '3.15')?.returns?.ownership).toBe('new');
    expect(getApi('PyList_GetItemRef', '3.11')).toBeUndefined();
    expect(versionsOf(loadCombined(), 'PyList_GetItemRef')).toEqual(['3.13', '3.14', '3.15']);
  });
  it('filters by steals', () => {
    const stealers = filterApis(getVersion('3.15'), { steals: true }).map((a) => a.name);
    expect(stealers).toEqual(expect.arrayContaining(['PyList_SetItem', 'PyTuple_SetItem', 'PyModule_AddObject', 'PyModule_Add']));
    expect(stealers).not.toContain('PyList_Append');
    expect(stolenParams(getApi('PyModule_AddObject')!)).toMatchObject([{ name: 'value', ownership: 'stolen-on-success' }]);
  });
  it('filters by return ownership, kind, Stable ABI and thread safety', () => {
    const ix = getVersion('3.15');
    const borrowed = filterApis(ix, { returns: 'borrowed', kind: 'function' });
    expect(borrowed.every((a) => a.returns?.ownership === 'borrowed' && a.kind === 'function')).toBe(true);
    expect(borrowed.map((a) => a.name)).toContain('PyDict_GetItem');
    const abi = filterApis(ix, { stableAbi: true, returns: 'borrowed' });
    expect(abi.length).toBeGreaterThan(0);
    expect(abi.every((a) => a.stableAbi !== null)).toBe(true);
    // 3.9 does not record the Stable ABI: "not in it" cannot be answered.
    expect(filterApis(getVersion('3.9'), { stableAbi: false })).toEqual([]);
    const atomic = filterApis(ix, { threadSafety: 'atomic' }).map((a) => a.name);
    expect(atomic).toContain('PyList_SetItem');
  });
  it('filters by deprecation and removal', () => {
    const ix = getVersion('3.15');
    const deprecated = filterApis(ix, { deprecated: true });
    expect(deprecated.map((a) => a.name)).toContain('PyErr_Fetch');
    expect(deprecated.every((a) => isDeprecated(a, '3.15'))).toBe(true);
    expect(filterApis(getVersion('3.11'), { deprecated: true }).map((a) => a.name)).not.toContain('PyErr_Fetch');
    expect(filterApis(ix, { name: /^PyList_/, removed: false }).length).toBeGreaterThan(5);
  });
  it('suggests close names', () => {
    const names = Object.keys(loadCombined().apis);
    expect(suggestNames(names, 'PyDict_GetItm')[0]).toBe('PyDict_GetItem');
    expect(suggestNames(names, 'pylist_getitem')[0]).toBe('PyList_GetItem');
    expect(suggestNames(names, 'GetItemRef')).toEqual(expect.arrayContaining(['PyList_GetItemRef']));
    expect(suggestNames(names, 'zzzzqqqq')).toEqual([]);
  });
});

describe('plain words', () => {
  const keys = (e: z.ZodEnum) => [...e.options].sort();
  it('describe every ownership value and thread-safety level of the schema', () => {
    expect(Object.keys(RETURN_WORDS).sort()).toEqual(keys(ReturnOwnership));
    expect(Object.keys(RETURN_SHORT).sort()).toEqual(keys(ReturnOwnership));
    expect(Object.keys(PARAM_WORDS).sort()).toEqual(keys(ParamOwnership));
    expect(Object.keys(PARAM_SHORT).sort()).toEqual(keys(ParamOwnership));
    expect(Object.keys(THREAD_SAFETY_WORDS).sort()).toEqual(keys(ThreadSafetyLevel));
    expect(Object.keys(CONFIDENCE_WORDS).sort()).toEqual(keys(Confidence));
  });
  it('tell "no" from "not recorded"', () => {
    expect(stableAbiWords(null, true)).toBe('no');
    expect(stableAbiWords(null, false)).toMatch(/not recorded/);
    expect(threadSafetyWords(null, false)).toMatch(/not recorded/);
    expect(threadSafetyWords('atomic', true)).toMatch(/^atomic: /);
  });
});
