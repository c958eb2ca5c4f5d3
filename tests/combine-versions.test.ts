import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineVersions } from '../scripts/lib/combine-versions.ts';
import { compareVersions } from '../packages/capi-refs/src/versions.ts';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import type { Api } from '../src/schema/api.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

const real = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, '3.13.json'), 'utf8')));
const base = real.apis.find((api) => api.name === 'PyList_SetItem')!;

function api(changes: Partial<Api> = {}): Api {
  return { ...structuredClone(base), ...changes };
}
function version(v: string, apis: Api[], coverage: Partial<VersionDataset['coverage']> = {}): VersionDataset {
  return { version: v, coverage: { refcountsDat: true, headers: true, stableAbi: true, threadSafety: true, ...coverage }, sources: [], apis };
}
const withItem = (ownership: Api['params'][number]['ownership'], confidence: Api['params'][number]['confidence'] = 'documented'): Api =>
  api({ params: base.params.map((param) => (param.name === 'item' ? { ...param, ownership, confidence } : param)) });

describe('combineVersions', () => {
  it('orders versions numerically, not as text', () => {
    expect(compareVersions('3.9', '3.10')).toBeLessThan(0);
    const combined = combineVersions([version('3.10', [api()]), version('3.9', [api()])]);
    expect(combined.versions).toEqual(['3.9', '3.10']);
  });

  it('records when the docs start and stop listing an API, and when they list it again', () => {
    const combined = combineVersions([version('3.9', [api()]), version('3.11', []), version('3.13', [api()])]);
    const history = combined.apis['PyList_SetItem']!;
    expect(history.versions).toEqual(['3.9', '3.13']);
    expect(history.changes.map((c) => [c.version, c.change])).toEqual([['3.11', 'undocumented'], ['3.13', 'documented']]);
  });

  it('records an ownership change between known values', () => {
    const combined = combineVersions([version('3.9', [withItem('borrowed')]), version('3.11', [withItem('stolen')])]);
    expect(combined.apis['PyList_SetItem']!.changes).toEqual([
      { version: '3.11', change: 'param', field: 'params.item', from: 'borrowed', to: 'stolen' },
    ]);
  });

  it('does not call a gap in evidence a change', () => {
    const combined = combineVersions([version('3.9', [withItem('stolen')]), version('3.11', [withItem('unknown', 'unknown')]), version('3.13', [withItem('stolen')])]);
    expect(combined.apis['PyList_SetItem']!.changes).toEqual([]);
  });

  it('does not call an inferred or carried value a change either', () => {
    const inferred = combineVersions([version('3.9', [withItem('stolen')]), version('3.11', [withItem('borrowed', 'inferred')])]);
    expect(inferred.apis['PyList_SetItem']!.changes).toEqual([]);
    const carried = combineVersions([version('3.9', [withItem('borrowed', 'carried')]), version('3.11', [withItem('stolen')])]);
    expect(carried.apis['PyList_SetItem']!.changes).toEqual([]);
  });

  it('records entry into the Stable ABI only when "since" is newer than the previous version', () => {
    const stable = (since: string): Api => api({ stableAbi: { since, scope: 'stable-abi', struct: null, platform: null, slotId: null, source: 'docs-annotation' } });
    const entered = combineVersions([version('3.9', [api({ stableAbi: null })]), version('3.11', [stable('3.10')])]);
    expect(entered.apis['PyList_SetItem']!.changes).toEqual([{ version: '3.11', change: 'stable-abi', field: null, from: null, to: '3.10' }]);
    const annotatedLate = combineVersions([version('3.11', [api({ stableAbi: null })]), version('3.13', [stable('3.2')])]);
    expect(annotatedLate.apis['PyList_SetItem']!.changes).toEqual([]);
  });

  it('records a deprecation once, where first seen', () => {
    const deprecated = api({ deprecated: { version: '3.13', removalPlanned: null, soft: false } });
    const combined = combineVersions([version('3.11', [api({ deprecated: null })]), version('3.13', [deprecated]), version('3.14', [deprecated])]);
    expect(combined.apis['PyList_SetItem']!.changes).toEqual([{ version: '3.13', change: 'deprecated', field: null, from: null, to: '3.13' }]);
  });

  it('records a thread-safety change only between versions whose docs give levels', () => {
    const level = (value: 'atomic' | 'shared'): Api => api({ threadSafety: { level: value } });
    const changed = combineVersions([version('3.14', [level('atomic')]), version('3.15', [level('shared')])]);
    expect(changed.apis['PyList_SetItem']!.changes).toEqual([{ version: '3.15', change: 'thread-safety', field: null, from: 'atomic', to: 'shared' }]);
    const notRecorded = combineVersions([version('3.13', [api({ threadSafety: null })], { threadSafety: false }), version('3.14', [level('atomic')])]);
    expect(notRecorded.apis['PyList_SetItem']!.changes).toEqual([]);
  });

  it('takes the docs URL and kind from the latest version', () => {
    const latest = api({ docsUrl: 'https://docs.python.org/3.13/c-api/list.html#c.PyList_SetItem' });
    const combined = combineVersions([version('3.11', [api({ docsUrl: 'https://docs.python.org/3.11/c-api/list.html#c.PyList_SetItem' })]), version('3.13', [latest])]);
    expect(combined.apis['PyList_SetItem']!.docsUrl).toBe(latest.docsUrl);
    expect(combined.apis['PyList_SetItem']!.firstSeen).toBe('3.11');
    expect(combined.apis['PyList_SetItem']!.lastSeen).toBe('3.13');
  });
});
