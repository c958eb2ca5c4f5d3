/** Build-time access to the collections, computed once per build and shared by the pages. */
import type { Coverage, SourceFile } from '../../schema/index.ts';
import { compareVersions, type ApiEntry } from './model.ts';

export type SiteData = {
  versions: string[];
  coverage: Record<string, Coverage>;
  apis: ApiEntry[];
  namesByVersion: Record<string, Set<string>>;
  allNames: Set<string>;
};

type VersionEntry = { version: string; coverage: Coverage; sources: SourceFile[]; count: number };

/** Astro's getCollection, passed in by the pages (keeps this module free of Astro's virtual modules for tsc). */
export type CollectionGetter = (name: 'apis' | 'versions') => Promise<{ id: string; data: unknown }[]>;

let cached: Promise<SiteData> | null = null;

export function siteData(getCollection: CollectionGetter): Promise<SiteData> {
  cached ??= (async () => {
    const vs = (await getCollection('versions')).map((e) => e.data as VersionEntry).sort((a, b) => compareVersions(a.version, b.version));
    const apis = (await getCollection('apis')).map((e) => e.data as ApiEntry).sort((a, b) => (a.name < b.name ? -1 : 1));
    const namesByVersion: Record<string, Set<string>> = {};
    for (const v of vs) namesByVersion[v.version] = new Set();
    for (const a of apis) for (const v of Object.keys(a.byVersion)) namesByVersion[v]?.add(a.name);
    return {
      versions: vs.map((v) => v.version),
      coverage: Object.fromEntries(vs.map((v) => [v.version, v.coverage])),
      apis,
      namesByVersion,
      allNames: new Set(apis.map((a) => a.name)),
    };
  })();
  return cached;
}
