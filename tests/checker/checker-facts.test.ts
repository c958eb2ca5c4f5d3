/**
 * The checker's facts of a version (src/checker-facts.ts): the version's own APIs with only the fields the checker
 * reads, and, for a name the version lacks, the nearest version's record. Derived from the repository's data/ and
 * read back through data.ts from a data folder without checker files (the package's own files are compared with
 * this derivation by `build-package --check`, in tests/tools/package.test.ts).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveCheckerFacts, indexCheckerFacts, nearestVersion } from '../../packages/capi-refs/src/checker-facts.ts';
import { getCheckerIndex, getVersion, loadCombined, loadVersion, setDataDir } from '../../packages/capi-refs/src/data.ts';

const REPO_DATA = path.resolve(import.meta.dirname, '../../data');

describe('the nearest version of a name the target lacks', () => {
  it('is the latest one up to the target', () => {
    expect(nearestVersion(['3.9', '3.11'], '3.13')).toBe('3.11');
  });

  it('near miss: a name only later versions have takes the first of them', () => {
    expect(nearestVersion(['3.13', '3.14', '3.15'], '3.11')).toBe('3.13');
  });
});

describe('deriveCheckerFacts', () => {
  const combined = loadCombined();
  const facts = indexCheckerFacts(deriveCheckerFacts('3.11', combined, loadVersion));

  it("keeps the target's own record, with only the fields the checker reads", () => {
    const api = facts.apis.get('PyList_SetItem')!;
    expect(api.params.map((p) => p.ownership)).toEqual(getVersion('3.11').apis.get('PyList_SetItem')!.params.map((p) => p.ownership));
    expect(Object.keys(api).sort()).toEqual(['deprecated', 'errors', 'header', 'kind', 'name', 'params', 'removed', 'replacements', 'returns']);
    expect(facts.nearest.has('PyList_SetItem')).toBe(false);
  });

  it('gives a name only later versions have the record of the first of them (PyDict_GetItemRef for 3.11)', () => {
    expect(facts.apis.has('PyDict_GetItemRef')).toBe(false);
    const api = facts.nearest.get('PyDict_GetItemRef')!;
    expect(api.params).toEqual(getVersion('3.13').apis.get('PyDict_GetItemRef')!.params);
  });

  it('near miss: a name the target lost takes its last earlier record (PyCFunction_Call for 3.13)', () => {
    const later = indexCheckerFacts(deriveCheckerFacts('3.13', combined, loadVersion));
    expect(later.apis.has('PyCFunction_Call')).toBe(false);
    expect(later.nearest.get('PyCFunction_Call')!.returns).toEqual(getVersion('3.11').apis.get('PyCFunction_Call')!.returns);
  });
});

// Last in the file: it points data.ts (whose state is this file's alone) at another folder.
describe('getCheckerIndex', () => {
  it('derives the facts from the full files in a data folder without checker files (the repository data/)', () => {
    setDataDir(REPO_DATA);
    const index = getCheckerIndex('3.11');
    expect(index.nearest.get('PyDict_GetItemRef')!.params).toEqual(getVersion('3.13').apis.get('PyDict_GetItemRef')!.params);
  });
});
