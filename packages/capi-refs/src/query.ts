/**
 * The typed query API: pure functions over one version's dataset (and the combined one). No file access here;
 * see data.ts for loading the JSON shipped with the package.
 */
import type { Api, CombinedDataset, Coverage, Param, ParamOwnership, ReturnOwnership, ThreadSafetyLevel, VersionDataset } from './types.ts';
import { compareVersions } from './versions.ts';

/** One version, indexed by name. */
export interface VersionIndex {
  readonly version: string;
  readonly coverage: Coverage;
  readonly apis: ReadonlyMap<string, Api>;
}

export function indexVersion(dataset: VersionDataset): VersionIndex {
  return { version: dataset.version, coverage: dataset.coverage, apis: new Map(dataset.apis.map((api) => [api.name, api])) };
}

export const STEALING: ReadonlySet<ParamOwnership> = new Set<ParamOwnership>(['stolen', 'stolen-on-success']);

/** The parameters whose reference the call takes over (always or on success). */
export function stolenParams(api: Api): Param[] {
  return api.params.filter((p) => STEALING.has(p.ownership));
}

/** Whether the docs of `version` say the API is deprecated (as of that version or earlier). */
export function isDeprecated(api: Pick<Api, 'deprecated'>, version: string): boolean {
  return api.deprecated !== null && compareVersions(api.deprecated.version, version) <= 0;
}

/** Whether the docs of `version` say the API was removed (in that version or earlier). */
export function isRemoved(api: Pick<Api, 'removed'>, version: string): boolean {
  return api.removed !== null && compareVersions(api.removed.version, version) <= 0;
}

export interface ApiFilter {
  /** Only these kinds. */
  readonly kind?: Api['kind'] | readonly Api['kind'][];
  /** Only APIs whose return ownership is one of these. */
  readonly returns?: ReturnOwnership | readonly ReturnOwnership[];
  /** Only APIs with (true) / without (false) a parameter that is stolen or stolen on success. */
  readonly steals?: boolean;
  /** Only APIs with at least one parameter of one of these ownerships. */
  readonly paramOwnership?: ParamOwnership | readonly ParamOwnership[];
  /** Only APIs in (true) / recorded as not in (false) the Stable ABI. With false, a version whose coverage does not record the Stable ABI gives nothing. */
  readonly stableAbi?: boolean;
  /** Only APIs annotated with one of these thread-safety levels. */
  readonly threadSafety?: ThreadSafetyLevel | readonly ThreadSafetyLevel[];
  /** Only deprecated (true) / not deprecated (false) APIs. */
  readonly deprecated?: boolean;
  /** Only APIs the docs say are removed (true) / are not removed (false). */
  readonly removed?: boolean;
  /** Only names matching. */
  readonly name?: RegExp;
}

const asList = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? (v as readonly T[]) : [v as T]);

export function filterApis(index: VersionIndex, filter: ApiFilter = {}): Api[] {
  const kinds = filter.kind === undefined ? null : new Set(asList(filter.kind));
  const returns = filter.returns === undefined ? null : new Set(asList(filter.returns));
  const params = filter.paramOwnership === undefined ? null : new Set(asList(filter.paramOwnership));
  const levels = filter.threadSafety === undefined ? null : new Set(asList(filter.threadSafety));
  const out: Api[] = [];
  for (const api of index.apis.values()) {
    if (kinds && !kinds.has(api.kind)) continue;
    if (returns && (api.returns === null || !returns.has(api.returns.ownership))) continue;
    if (filter.steals !== undefined && stolenParams(api).length > 0 !== filter.steals) continue;
    if (params && !api.params.some((p) => params.has(p.ownership))) continue;
    if (filter.stableAbi === true && api.stableAbi === null) continue;
    if (filter.stableAbi === false && (api.stableAbi !== null || !index.coverage.stableAbi)) continue;
    if (levels && (api.threadSafety === null || !levels.has(api.threadSafety.level))) continue;
    if (filter.deprecated !== undefined && isDeprecated(api, index.version) !== filter.deprecated) continue;
    if (filter.removed !== undefined && isRemoved(api, index.version) !== filter.removed) continue;
    if (filter.name && !filter.name.test(api.name)) continue;
    out.push(api);
  }
  return out;
}

/** Levenshtein distance, with an early exit above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** "Did you mean": the closest names (case-insensitive edit distance, then containment), best first. */
export function suggestNames(names: Iterable<string>, query: string, limit = 5): string[] {
  const q = query.toLowerCase();
  const max = Math.max(2, Math.floor(q.length / 4));
  const scored: { name: string; score: number }[] = [];
  for (const name of names) {
    const n = name.toLowerCase();
    if (n === q) {
      scored.push({ name, score: -1 });
      continue;
    }
    const d = distance(q, n, max);
    if (d <= max) scored.push({ name, score: d });
    else if (q.length >= 4 && n.includes(q)) scored.push({ name, score: max + 1 + (n.length - q.length) / 100 });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** The versions of the combined dataset that document `name`, or [] if none does. */
export function versionsOf(combined: CombinedDataset, name: string): string[] {
  return combined.apis[name]?.versions ?? [];
}
