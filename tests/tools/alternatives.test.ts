import { describe, expect, it } from 'vitest';
import { alternativesFor, describeAlternative, HAND_ALTERNATIVES } from '../../src/lib/alternatives.ts';
import { availableVersions, getVersion } from '../../packages/capi-refs/src/data.ts';
import { compareVersions } from '../../src/lib/query.ts';

describe('the hand list of safer alternatives, checked against the data', () => {
  const versions = availableVersions();
  it('is sorted by name', () => {
    const names = HAND_ALTERNATIVES.map((a) => a.name);
    expect(names).toEqual([...names].sort());
  });
  for (const alt of HAND_ALTERNATIVES) {
    it(`${alt.name} → ${alt.replacement} (${alt.since ?? 'every version'})`, () => {
      expect(versions.some((v) => getVersion(v).apis.has(alt.name)), `${alt.name} is in some version`).toBe(true);
      const having = versions.filter((v) => getVersion(v).apis.has(alt.replacement));
      expect(having.length, `${alt.replacement} is in the data`).toBeGreaterThan(0);
      expect(having.at(-1)).toBe(versions.at(-1));
      for (const v of having) {
        const added = getVersion(v).apis.get(alt.replacement)!.added?.version ?? null;
        if (alt.since === null) {
          // No version note: it must predate the dataset.
          expect(added === null || compareVersions(added, versions[0]!) <= 0, `${alt.replacement} added ${added}`).toBe(true);
        } else {
          expect(added, `${alt.replacement}'s version note in ${v}`).toBe(alt.since);
        }
      }
      if (alt.since === null) expect(having[0]).toBe(versions[0]);
      else for (const v of versions) expect(having.includes(v)).toBe(compareVersions(v, alt.since) >= 0);
    });
  }
});

describe('alternativesFor', () => {
  it('offers PyList_GetItemRef from 3.13 on, and says it is not available before', () => {
    const v15 = alternativesFor('PyList_GetItem', getVersion('3.15').apis, '3.15');
    expect(v15[0]).toMatchObject({ replacement: 'PyList_GetItemRef', since: '3.13', available: true });
    const v11 = alternativesFor('PyList_GetItem', getVersion('3.11').apis, '3.11');
    expect(v11[0]).toMatchObject({ replacement: 'PyList_GetItemRef', available: false });
  });
  it('lists both replacements of PyModule_AddObject, the newest usable first', () => {
    expect(alternativesFor('PyModule_AddObject', getVersion('3.15').apis, '3.15').map((a) => a.replacement)).toEqual([
      'PyModule_Add',
      'PyModule_AddObjectRef',
    ]);
    const v11 = alternativesFor('PyModule_AddObject', getVersion('3.11').apis, '3.11');
    expect(v11.filter((a) => a.available).map((a) => a.replacement)).toEqual(['PyModule_AddObjectRef']);
    expect(describeAlternative(v11[0]!)).toContain('added in 3.10');
  });
  it('derives an XRef twin from the data when the hand list has none', () => {
    // Every borrowed-return API with an XRef twin gets it, hand-listed or not.
    const ix = getVersion('3.15');
    for (const api of ix.apis.values()) {
      if (api.returns?.ownership !== 'borrowed' || !ix.apis.has(`${api.name}Ref`)) continue;
      expect(alternativesFor(api.name, ix.apis, '3.15').map((a) => a.replacement)).toContain(`${api.name}Ref`);
    }
  });
  it('gives nothing for an API with no better choice', () => {
    expect(alternativesFor('PyLong_FromLong', getVersion('3.15').apis, '3.15')).toEqual([]);
  });
});
