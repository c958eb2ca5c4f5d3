import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineVersions } from '../scripts/lib/combine-versions.ts';
import { compareVersions } from '../packages/capi-refs/src/versions.ts';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import type { Api } from '../src/schema/api.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

const real = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, '3.13.json'), 'utf8')));
const measuredBase = real.apis.find((api) => api.name === 'PyList_SetItem')!;
// the documented sources only: how changes are told apart where no version was measured
const base: Api = { ...measuredBase, evidence: measuredBase.evidence.filter((evidence) => evidence.source !== 'runtime') };

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

  it('lets measurements of both versions decide: a measured difference is a change, marked measured', () => {
    const measured = (value: string, docs: string): Api => ({
      ...withItem(docs as Api['params'][number]['ownership']),
      evidence: [
        ...base.evidence.filter((evidence) => evidence.field !== 'params.item'),
        { field: 'params.item', source: 'runtime', value, location: 'data/runtime/X.json#PyList_SetItem' },
        { field: 'params.item', source: 'docs-prose', value: docs, location: 'https://docs.python.org/' },
      ],
    });
    const changed = combineVersions([version('3.13', [measured('stolen', 'stolen')]), version('3.14', [measured('stolen-on-success', 'stolen')])]);
    expect(changed.apis['PyList_SetItem']!.changes).toEqual([
      { version: '3.14', change: 'param', field: 'params.item', from: 'stolen', to: 'stolen-on-success', measured: true },
    ]);
    // the same measurement on both sides is no change, whatever the docs' wording
    const same = combineVersions([version('3.13', [measured('stolen', 'borrowed')]), version('3.14', [measured('stolen', 'stolen')])]);
    expect(same.apis['PyList_SetItem']!.changes).toEqual([]);
  });

  it('records a measured change of error convention, and none from the docs alone', () => {
    const withErrors = (value: string | null): Api => ({
      ...api(),
      evidence: [...base.evidence.filter((e) => e.field !== 'errors'), ...(value ? [{ field: 'errors', source: 'runtime' as const, value, location: 'data/runtime/X.json#PyList_SetItem' }] : [])],
    });
    const changed = combineVersions([version('3.13', [withErrors('minus-one-with-exception')]), version('3.14', [withErrors('zero-with-exception')])]);
    expect(changed.apis['PyList_SetItem']!.changes).toEqual([
      { version: '3.14', change: 'errors', field: 'errors', from: 'minus-one-with-exception', to: 'zero-with-exception', measured: true },
    ]);
    expect(combineVersions([version('3.13', [withErrors('minus-one-with-exception')]), version('3.14', [withErrors(null)])]).apis['PyList_SetItem']!.changes).toEqual([]);
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
