/**
 * Folds the per-version datasets into one history per API name. Pure.
 */
import type { Api } from '../../src/schema/api.ts';
import type { ApiChange, ApiHistory, CombinedDataset } from '../../src/schema/capi.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { compareNames } from './json-output.ts';

export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * The ownership changes between two versions of an API. Only values a source of each version states count:
 * a carried or inferred value on either side is a gap in evidence, not a change in behaviour.
 */
function ownershipChanges(version: string, before: Api, after: Api): ApiChange[] {
  const changes: ApiChange[] = [];
  const documented = (field: { confidence: string; ownership: string } | null | undefined): field is { confidence: string; ownership: string } =>
    !!field && field.confidence === 'documented';
  if (documented(before.returns) && documented(after.returns) && before.returns.ownership !== after.returns.ownership) {
    changes.push({ version, change: 'returns', field: 'returns', from: before.returns.ownership, to: after.returns.ownership });
  }
  const beforeParams = new Map(before.params.map((param) => [param.name, param]));
  for (const param of after.params) {
    const previous = beforeParams.get(param.name);
    if (documented(previous) && documented(param) && previous.ownership !== param.ownership) {
      changes.push({ version, change: 'param', field: `params.${param.name}`, from: previous.ownership, to: param.ownership });
    }
  }
  return changes;
}

export function combineVersions(datasets: readonly VersionDataset[]): CombinedDataset {
  const ordered = [...datasets].sort((a, b) => compareVersions(a.version, b.version));
  // A version whose sources carry no thread-safety data (before 3.14) cannot show a change in it.
  const hasThreadSafety = new Set(ordered.filter((d) => d.coverage.threadSafety).map((d) => d.version));

  const byName = new Map<string, { version: string; api: Api }[]>();
  for (const dataset of ordered) {
    for (const api of dataset.apis) {
      const seen = byName.get(api.name) ?? [];
      seen.push({ version: dataset.version, api });
      byName.set(api.name, seen);
    }
  }

  const apis: Record<string, ApiHistory> = {};
  for (const name of [...byName.keys()].sort(compareNames)) {
    const seen = byName.get(name)!;
    const present = new Map(seen.map(({ version, api }) => [version, api]));
    const changes: ApiChange[] = [];
    for (const [index, { version }] of ordered.entries()) {
      const api = present.get(version);
      const previousVersion = ordered[index - 1]?.version;
      const before = previousVersion === undefined ? undefined : present.get(previousVersion);
      if (!api) {
        if (before) changes.push({ version, change: 'undocumented', field: null, from: null, to: null });
        continue;
      }
      if (!before && index > 0) changes.push({ version, change: 'documented', field: null, from: null, to: null });
      if (before) {
        changes.push(...ownershipChanges(version, before, api));
        if (before.signature !== api.signature) {
          changes.push({ version, change: 'signature', field: null, from: before.signature, to: api.signature });
        }
        // The Stable ABI never drops an item, and the docs annotate more items over time, so only a 'since' newer
        // than the previous version marks a real entry; anything else is a change in what the sources say.
        if (api.stableAbi && !before.stableAbi && compareVersions(api.stableAbi.since, previousVersion!) > 0) {
          changes.push({ version, change: 'stable-abi', field: null, from: null, to: api.stableAbi.since });
        }
        if (hasThreadSafety.has(previousVersion!) && hasThreadSafety.has(version) && before.threadSafety?.level !== api.threadSafety?.level) {
          changes.push({ version, change: 'thread-safety', field: null, from: before.threadSafety?.level ?? null, to: api.threadSafety?.level ?? null });
        }
      }
      // Recorded where first seen, even on an API's first appearance, so a consumer need not diff the versions.
      if (api.deprecated && !before?.deprecated) {
        changes.push({ version, change: 'deprecated', field: null, from: null, to: api.deprecated.version });
      }
      if (api.removed && !before?.removed) {
        changes.push({ version, change: 'removed', field: null, from: null, to: api.removed.version });
      }
    }
    const latest = seen.at(-1)!.api;
    apis[name] = {
      kind: latest.kind,
      versions: seen.map(({ version }) => version),
      firstSeen: seen[0]!.version,
      lastSeen: seen.at(-1)!.version,
      added: [...seen].reverse().find(({ api }) => api.added)?.api.added?.version ?? null,
      docsUrl: latest.docsUrl,
      changes,
    };
  }
  return { versions: ordered.map((d) => d.version), apis };
}
