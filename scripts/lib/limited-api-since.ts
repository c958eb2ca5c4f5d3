/**
 * Dates the Stable ABI entries that only the docs' "Contents of Limited API" list states (the list gives no
 * version): each takes the `since` of the latest earlier version that has the name in its Stable ABI, whatever
 * said so there (PyExc_TypeError: 3.2 from 3.13's stable_abi.dat; Py_UTF8Mode: 3.8). A name no earlier version
 * has keeps 3.2, the schema's reading of an undated entry. Pure.
 */
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { compareVersions } from '../../packages/capi-refs/src/versions.ts';

export function dateListedStableAbi(datasets: readonly VersionDataset[]): VersionDataset[] {
  const ordered = [...datasets].sort((a, b) => compareVersions(a.version, b.version));
  const latestSince = new Map<string, string>();
  const dated = new Map<string, VersionDataset>();
  for (const dataset of ordered) {
    const apis = dataset.apis.map((api) => {
      const since = latestSince.get(api.name);
      if (api.stableAbi?.source !== 'docs-limited-api-list' || since === undefined) return api;
      return { ...api, stableAbi: { ...api.stableAbi, since } };
    });
    for (const api of apis) if (api.stableAbi) latestSince.set(api.name, api.stableAbi.since);
    dated.set(dataset.version, { ...dataset, apis });
  }
  // In the order given, as every other finishing step keeps it.
  return datasets.map((dataset) => dated.get(dataset.version)!);
}
