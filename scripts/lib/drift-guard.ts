/**
 * A scrape that finds far fewer objects than the committed dataset is more likely a broken source (a page cut
 * short, a docs build gone wrong, a header with a syntax error that the C parser skips past, a markup change the
 * parser misses) than CPython dropping its API. Such drops stop the scrape unless they are accepted with a reason,
 * which data/accepted-drops.json records. Documented objects are counted by docs page, declared ones by header.
 */
import { z } from 'zod';
import { compareNames } from './json-output.ts';

/**
 * What the guard reads of a dataset: where each object is documented or declared. Only these fields, so that a
 * committed dataset written under an older schema can still be compared with the one that replaces it.
 */
export const DatasetObjects = z.object({
  version: z.string(),
  apis: z.array(z.object({ documented: z.boolean(), docsUrl: z.string().nullable(), header: z.object({ file: z.string() }).nullable() })),
});
export type DatasetObjects = z.infer<typeof DatasetObjects>;

/** A docs page or a header that had at least this many objects may lose at most this share of them. */
export const PAGE_MIN_OBJECTS = 5;
export const PAGE_MAX_DROP = 0.25;
/** A version may lose at most this share of its documented objects. */
export const VERSION_MAX_DROP = 0.05;

export interface Drop {
  readonly version: string;
  /** The docs page (its URL without the anchor) or the header (Include/...), or null for the version as a whole. */
  readonly page: string | null;
  readonly before: number;
  readonly after: number;
}

export interface AcceptedDrop extends Drop {
  readonly reason: string;
}

/** The objects of each docs page (documented ones) and of each header (declared ones). */
function objectsBySource(dataset: DatasetObjects): { pages: Map<string, number>; headers: Map<string, number> } {
  const pages = new Map<string, number>();
  const headers = new Map<string, number>();
  const count = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);
  for (const api of dataset.apis) {
    if (api.documented && api.docsUrl !== null) count(pages, api.docsUrl.replace(/#.*$/, ''));
    if (api.header) count(headers, api.header.file);
  }
  return { pages, headers };
}

/** The drops of `scraped` against `committed` (the same version) beyond the thresholds: pages, headers, version. */
export function documentedDrops(committed: DatasetObjects, scraped: DatasetObjects): Drop[] {
  const before = objectsBySource(committed);
  const after = objectsBySource(scraped);
  const drops: Drop[] = [];
  for (const kind of ['pages', 'headers'] as const) {
    for (const [page, count] of [...before[kind]].sort(([a], [b]) => compareNames(a, b))) {
      const now = after[kind].get(page) ?? 0;
      if (count >= PAGE_MIN_OBJECTS && now < count * (1 - PAGE_MAX_DROP)) drops.push({ version: scraped.version, page, before: count, after: now });
    }
  }
  const total = (pages: Map<string, number>): number => [...pages.values()].reduce((a, b) => a + b, 0);
  if (total(after.pages) < total(before.pages) * (1 - VERSION_MAX_DROP)) {
    drops.push({ version: scraped.version, page: null, before: total(before.pages), after: total(after.pages) });
  }
  return drops;
}

export function describeDrop(drop: Drop): string {
  const share = drop.before === 0 ? 0 : Math.round((100 * (drop.before - drop.after)) / drop.before);
  const verb = drop.page !== null && !/^https?:/.test(drop.page) ? 'declares' : 'documents';
  return `${drop.page ?? `Python ${drop.version} as a whole`} ${verb} ${drop.after} C objects where the committed dataset has ${drop.before} (${share}% fewer)`;
}
