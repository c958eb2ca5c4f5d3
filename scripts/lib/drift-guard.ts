/**
 * A scrape that documents far fewer objects than the committed dataset is more likely a broken source (a page cut
 * short, a docs build gone wrong, a markup change the parser misses) than CPython dropping its API. Such drops
 * stop the scrape unless they are accepted with a reason, which data/accepted-drops.json records.
 */
import type { VersionDataset } from '../../src/schema/version-dataset.ts';

/** A page that documented at least this many objects may lose at most this share of them. */
export const PAGE_MIN_OBJECTS = 5;
export const PAGE_MAX_DROP = 0.25;
/** A version may lose at most this share of its documented objects. */
export const VERSION_MAX_DROP = 0.05;

export interface Drop {
  readonly version: string;
  /** The docs page (its URL without the anchor), or null for the version as a whole. */
  readonly page: string | null;
  readonly before: number;
  readonly after: number;
}

export interface AcceptedDrop extends Drop {
  readonly reason: string;
}

function documentedByPage(dataset: VersionDataset): Map<string, number> {
  const pages = new Map<string, number>();
  for (const api of dataset.apis) {
    if (!api.documented || api.docsUrl === null) continue;
    const page = api.docsUrl.replace(/#.*$/, '');
    pages.set(page, (pages.get(page) ?? 0) + 1);
  }
  return pages;
}

/** The drops of `scraped` against `committed` (the same version) beyond the thresholds, pages first. */
export function documentedDrops(committed: VersionDataset, scraped: VersionDataset): Drop[] {
  const before = documentedByPage(committed);
  const after = documentedByPage(scraped);
  const drops: Drop[] = [];
  for (const [page, count] of [...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const now = after.get(page) ?? 0;
    if (count >= PAGE_MIN_OBJECTS && now < count * (1 - PAGE_MAX_DROP)) drops.push({ version: scraped.version, page, before: count, after: now });
  }
  const total = (pages: Map<string, number>): number => [...pages.values()].reduce((a, b) => a + b, 0);
  if (total(after) < total(before) * (1 - VERSION_MAX_DROP)) drops.push({ version: scraped.version, page: null, before: total(before), after: total(after) });
  return drops;
}

export function describeDrop(drop: Drop): string {
  const share = drop.before === 0 ? 0 : Math.round((100 * (drop.before - drop.after)) / drop.before);
  return `${drop.page ?? `Python ${drop.version} as a whole`} documents ${drop.after} C objects where the committed dataset has ${drop.before} (${share}% fewer)`;
}
