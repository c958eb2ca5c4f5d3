/** Build-time access to the collections, computed once per build and shared by the pages. */
import type { Api, Coverage, SourceFile } from '../../schema/index.ts';
import { compareVersions } from '../query.ts';
import type { ApiEntry } from './model.ts';

export type SiteData = {
  versions: string[];
  coverage: Record<string, Coverage>;
  apis: ApiEntry[];
  /** The APIs of each version by name: what the package's alternativesFor takes. */
  apisByVersion: Record<string, ReadonlyMap<string, Api>>;
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
    const apisByVersion: Record<string, Map<string, Api>> = {};
    for (const v of vs) apisByVersion[v.version] = new Map();
    for (const a of apis) for (const [v, api] of Object.entries(a.byVersion)) apisByVersion[v]?.set(a.name, api);
    return {
      versions: vs.map((v) => v.version),
      coverage: Object.fromEntries(vs.map((v) => [v.version, v.coverage])),
      apis,
      apisByVersion,
      allNames: new Set(apis.map((a) => a.name)),
    };
  })();
  return cached;
}
