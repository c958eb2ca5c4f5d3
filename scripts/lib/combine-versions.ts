/**
 * Folds the per-version datasets into one history per API name. Pure.
 */
import type { Api } from '../../src/schema/api.ts';
import type { ApiChange, ApiHistory, CombinedDataset } from '../../src/schema/capi.ts';
import type { CompatBackport, CompatManifest } from '../../src/schema/compat.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { compareVersions } from '../../packages/capi-refs/src/versions.ts';
import { compareNames } from './json-output.ts';

/** The sources in which a version's documentation states its behaviour. */
export const DOCUMENTED_SOURCES: ReadonlySet<string> = new Set(['docs-annotation', 'docs-prose', 'refcounts.dat']);

/**
 * What the version's own documentation says about a field: its value when documented, or, when a runtime
 * measurement decided it, the value the documentation gave before the measurement. Carried, inferred and unknown
 * values have none.
 */
function documentedValue(api: Api, field: string, value: { ownership: string; confidence: string } | null | undefined): string | null {
  if (!value) return null;
  if (value.confidence === 'documented') return value.ownership;
  if (value.confidence !== 'runtime-confirmed') return null;
  return api.evidence.find((evidence) => evidence.field === field && DOCUMENTED_SOURCES.has(evidence.source))?.value ?? null;
}

/** What this version's own runtime probe measured for a field (ownership or error convention), if it did. */
function measuredValue(api: Api, field: string): string | null {
  return api.evidence.find((evidence) => evidence.field === field && evidence.source === 'runtime')?.value ?? null;
}

/**
 * The ownership and error-convention changes between two versions of an API. Where both versions were measured,
 * the measurements decide: each observes its own build, so a difference is a change in behaviour (and equal
 * measurements are no change, whatever the docs' wording). Elsewhere the documentation decides, as it states
 * ownership; comparing one version's measurement with another's documentation would report corrections as
 * changes, and carried, inferred or unknown values are gaps in evidence, not changes in behaviour.
 */
function behaviourChanges(version: string, before: Api, after: Api): ApiChange[] {
  const changes: ApiChange[] = [];
  const compare = (field: string, change: ApiChange['change'], documented: [string | null, string | null]): void => {
    const measured = [measuredValue(before, field), measuredValue(after, field)] as const;
    const bothMeasured = measured[0] !== null && measured[1] !== null;
    const [from, to] = bothMeasured ? measured : documented;
    if (from !== null && to !== null && from !== to) changes.push({ version, change, field, from, to, ...(bothMeasured ? { measured: true } : {}) });
  };
  compare('returns', 'returns', [documentedValue(before, 'returns', before.returns), documentedValue(after, 'returns', after.returns)]);
  const beforeParams = new Map(before.params.map((param) => [param.name, param]));
  for (const param of after.params) {
    const field = `params.${param.name}`;
    compare(field, 'param', [documentedValue(before, field, beforeParams.get(param.name)), documentedValue(after, field, param)]);
  }
  // error conventions are compared only where measured: the docs state too few of them to tell a change apart
  compare('errors', 'errors', [null, null]);
  return changes;
}

/** `compat`: what pythoncapi-compat provides (scripts/sources/pythoncapi-compat.json); null: nothing is recorded. */
export function combineVersions(datasets: readonly VersionDataset[], compat: CompatManifest | null = null): CombinedDataset {
  const backports = new Map((compat?.apis ?? []).map((a) => [a.name, a]));
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
        if (before?.documented) changes.push({ version, change: 'undocumented', field: null, from: null, to: null });
        continue;
      }
      if (api.documented && !before?.documented && index > 0) changes.push({ version, change: 'documented', field: null, from: null, to: null });
      if (before?.documented && !api.documented) changes.push({ version, change: 'undocumented', field: null, from: null, to: null });
      if (before) {
        changes.push(...behaviourChanges(version, before, api));
        // A docs signature and one rebuilt from a header differ in spelling, not in meaning.
        if (before.signature !== api.signature && before.documented === api.documented) {
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
      documentedIn: seen.filter(({ api }) => api.documented).map(({ version }) => version),
      firstSeen: seen[0]!.version,
      lastSeen: seen.at(-1)!.version,
      added: [...seen].reverse().find(({ api }) => api.added)?.api.added?.version ?? null,
      docsUrl: [...seen].reverse().find(({ api }) => api.documented)?.api.docsUrl ?? null,
      changes,
      compat: backportOf(backports.get(name), compat),
    };
  }
  return { versions: ordered.map((d) => d.version), apis };
}

function backportOf(entry: CompatManifest['apis'][number] | undefined, manifest: CompatManifest | null): CompatBackport | null {
  if (!entry || !manifest) return null;
  return {
    project: 'pythoncapi-compat',
    before: entry.before,
    oldest: manifest.oldest,
    source: `https://github.com/${manifest.repository}/blob/${manifest.commit}/${manifest.header}#L${entry.line}`,
  };
}
