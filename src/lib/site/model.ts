/** Pure helpers that shape the dataset for the pages. */
import type { Api, ApiHistory, Coverage } from '../../schema/index.ts';
import { alternativesFor, type Alternative } from '../alternatives.ts';
import { PARAM_SHORT } from '../ownership-words.ts';
import { compareVersions } from '../query.ts';

export type ApiEntry = { name: string; history: ApiHistory; byVersion: Record<string, Api> };

export const STEAL_VALUES = new Set(['stolen', 'stolen-on-success']);

export function steals(api: Api): boolean {
  return api.params.some((p) => STEAL_VALUES.has(p.ownership));
}

/** Each parameter the call takes a reference from, with how: 'item: stolen (even on failure)'. */
export function stealNotes(api: Api): string[] {
  return api.params.filter((p) => STEAL_VALUES.has(p.ownership)).map((p) => `${p.name}: ${PARAM_SHORT[p.ownership]}`);
}

/** Whether the call fills an out-parameter with a reference (PyErr_Fetch, PyDict_GetItemRef). */
export function hasOutParam(api: Api): boolean {
  return api.params.some((p) => p.ownership === 'out-new' || p.ownership === 'out-borrowed' || p.ownership === 'in-out');
}

/** Stable ABI cell text: the version it entered, 'no', or 'not recorded' where the version's sources cannot say. */
export function stableText(api: Api, coverage: Coverage): string {
  if (api.stableAbi) return api.stableAbi.since;
  return coverage.stableAbi ? 'no' : 'not recorded';
}

export function threadText(api: Api, coverage: Coverage): string {
  if (api.threadSafety) return api.threadSafety.level;
  return coverage.threadSafety ? 'not annotated' : 'not recorded';
}

/** The docs page an API is on, e.g. 'list' for c-api/list.html. */
export function docsPage(url: string): string {
  const m = /\/c-api\/([^#]+?)\.html/.exec(url);
  return m ? m[1]! : new URL(url).pathname.split('/').pop()!.replace(/\.html$/, '');
}


/**
 * The safer alternatives the site shows for `name` in `version` (given that version's APIs by name): the package's
 * hand list and derived `XRef` twins, only those usable when targeting that version, newest first.
 */
export function saferAlternatives(name: string, apis: ReadonlyMap<string, Api>, version: string): Alternative[] {
  return alternativesFor(name, apis, version).filter((a) => a.available);
}

/** What a version shows of an API, without the parts that always differ (links, line numbers). */
export function viewKey(api: Api, coverage: Coverage, extra: unknown = null): string {
  return JSON.stringify([
    api.kind,
    api.signature,
    api.returns,
    api.params,
    api.stableAbi,
    coverage.stableAbi,
    api.threadSafety,
    coverage.threadSafety,
    api.added,
    api.changed,
    api.deprecated,
    api.removed,
    api.unstable,
    api.conflicts,
    api.evidence.map((e) => [e.field, e.source, e.value, e.raw ?? null]),
    extra,
  ]);
}

export type Variant<T> = { versions: string[]; latest: string; value: T };

/**
 * Groups versions whose views are identical, so a page renders each distinct view once.
 * `versions` is in dataset order; the returned variants are ordered by their latest version, newest first.
 */
export function groupVariants<T>(versions: string[], keyOf: (v: string) => string, valueOf: (v: string) => T): Variant<T>[] {
  const byKey = new Map<string, string[]>();
  for (const v of versions) {
    const k = keyOf(v);
    const list = byKey.get(k);
    if (list) list.push(v);
    else byKey.set(k, [v]);
  }
  const out: Variant<T>[] = [];
  for (const vs of byKey.values()) {
    const latest = vs[vs.length - 1]!;
    out.push({ versions: vs, latest, value: valueOf(latest) });
  }
  out.sort((a, b) => compareVersions(b.latest, a.latest));
  return out;
}

/** CSS-safe token for a version: 3.14 -> v3-14. */
export function versionToken(v: string): string {
  return `v${v.replace('.', '-')}`;
}

export type Row = {
  name: string;
  kind: string;
  returns: string;
  steals: boolean;
  stable: string;
  thread: string;
  deprecated: string;
  page: string;
};

export function rowOf(api: Api, coverage: Coverage): Row {
  return {
    name: api.name,
    kind: api.kind,
    returns: api.returns?.ownership ?? '',
    steals: steals(api),
    stable: stableText(api, coverage),
    thread: threadText(api, coverage),
    deprecated: api.deprecated ? `${api.deprecated.soft ? 'soft ' : ''}${api.deprecated.version}` : '',
    page: api.docsUrl ? docsPage(api.docsUrl) : 'not in the docs',
  };
}

export type VersionStats = {
  version: string;
  total: number;
  functions: number;
  newRefs: number;
  borrowed: number;
  steals: number;
  stable: number | null;
  threadAnnotated: number | null;
};

export function statsOf(version: string, coverage: Coverage, apis: Api[]): VersionStats {
  let functions = 0, newRefs = 0, borrowed = 0, st = 0, stable = 0, thread = 0;
  for (const a of apis) {
    if (a.returns) functions++;
    if (a.returns?.ownership === 'new') newRefs++;
    if (a.returns?.ownership === 'borrowed') borrowed++;
    if (steals(a)) st++;
    if (a.stableAbi) stable++;
    if (a.threadSafety) thread++;
  }
  return {
    version,
    total: apis.length,
    functions,
    newRefs,
    borrowed,
    steals: st,
    stable: coverage.stableAbi ? stable : null,
    threadAnnotated: coverage.threadSafety ? thread : null,
  };
}

export type VersionDiff = {
  from: string;
  to: string;
  /** New to CPython's headers or docs in this version: no earlier dataset version has the name. */
  added: string[];
  /** Documented from this version on, but already in an earlier version's headers (PY_SSIZE_T_MAX: since 3.9). */
  newlyDocumented: string[];
  removed: string[];
  ownership: { name: string; field: string; from: string | null; to: string | null }[];
  stable: string[];
  deprecated: string[];
};

/** What changed between two consecutive dataset versions, from capi.json's change lists. */
export function diffOf(from: string, to: string, apis: Record<string, ApiHistory>): VersionDiff {
  const d: VersionDiff = { from, to, added: [], newlyDocumented: [], removed: [], ownership: [], stable: [], deprecated: [] };
  for (const [name, h] of Object.entries(apis)) {
    for (const c of h.changes) {
      if (c.version !== to) continue;
      if (c.change === 'documented') (h.versions.includes(from) ? d.newlyDocumented : d.added).push(name);
      else if (c.change === 'undocumented' || c.change === 'removed') d.removed.push(name);
      else if (c.change === 'returns' || c.change === 'param') d.ownership.push({ name, field: c.field ?? 'returns', from: c.from, to: c.to });
      else if (c.change === 'stable-abi') d.stable.push(name);
      else if (c.change === 'deprecated') d.deprecated.push(name);
    }
  }
  return d;
}

/** '3.9', '3.10', … '3.15': every minor version from `first` to `last` of the same major version. */
export function minorVersionsBetween(first: string, last: string): string[] {
  const [major, from] = first.split('.').map(Number) as [number, number];
  const to = Number(last.split('.')[1]);
  return Array.from({ length: to - from + 1 }, (_, i) => `${major}.${from + i}`);
}

/**
 * The minor version just before `version` ('3.13' gives '3.12'): the last one a backport provided "before 3.13"
 * covers. A version with no earlier minor in its series (x.0) has none: null.
 */
export function previousMinorVersion(version: string): string | null {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  if (!Number.isInteger(major) || !Number.isInteger(minor) || minor < 1) return null;
  return `${major}.${minor - 1}`;
}

/** Name endings that make a variant of the same call: PyDict_GetItem, …WithError, …Ref, …String, …StringRef. */
const VARIANT_SUFFIX = /(?:WithError|StringRef|String|Ref|Unchecked|Exact)$/;

/** The call a name is a variant of: case, underscores and variant endings set aside (PyList_SET_ITEM ~ PyList_SetItem). */
export function familyKey(name: string): string {
  let stem = name;
  for (let next = stem.replace(VARIANT_SUFFIX, ''); next !== stem && next !== ''; next = stem.replace(VARIANT_SUFFIX, '')) stem = next;
  return stem.replace(/_/g, '').toLowerCase();
}

const familyCache = new WeakMap<object, Map<string, string[]>>();

/** Public callable names grouped by familyKey; only groups of two or more. Computed once per list. */
export function familiesOf<Item extends { name: string }>(apis: readonly Item[], kindOf: (api: Item) => string): Map<string, string[]> {
  const cached = familyCache.get(apis);
  if (cached) return cached;
  const groups = new Map<string, string[]>();
  familyCache.set(apis, groups);
  for (const api of apis) {
    const { name } = api;
    const kind = kindOf(api);
    if (name.startsWith('_') || (kind !== 'function' && kind !== 'macro')) continue;
    const key = familyKey(name);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  for (const [key, names] of groups) if (names.length < 2) groups.delete(key);
  return groups;
}
