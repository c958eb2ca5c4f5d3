/**
 * Content collections. The dataset is read through a custom loader that validates every file with the pipeline's own
 * zod schemas (src/schema), then stores one entry per API name (all versions in it) and one per version.
 * Pitfalls and examples are MDX with front matter validated by src/schema/content.ts; empty folders are fine.
 */
import { defineCollection } from 'astro/content/config';
import { glob, type LoaderContext } from 'astro/loaders';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Api, ApiHistory, ApiName, CombinedDataset, Coverage, Example, MinorVersion, Pitfall, SourceFile, VersionDataset } from './schema/index.ts';
import { compareVersions } from './lib/query.ts';
import { CONTENT_DIR, DATA_DIR } from './lib/site/paths.ts';

const ApiEntrySchema = z.object({ name: ApiName, history: ApiHistory, byVersion: z.record(MinorVersion, Api) });
const VersionEntrySchema = z.object({ version: MinorVersion, coverage: Coverage, sources: z.array(SourceFile), count: z.number() });

type Loaded = { combined: CombinedDataset; versions: VersionDataset[] };
let loading: Promise<Loaded> | null = null;

/** Reads and validates the dataset once per build (both collections share it). */
function loadDataset(): Promise<Loaded> {
  loading ??= (async () => {
    const combined = CombinedDataset.parse(JSON.parse(await readFile(path.join(DATA_DIR, 'capi.json'), 'utf8')));
    const files = (await readdir(path.join(DATA_DIR, 'versions'))).filter((f) => /^3\.\d+\.json$/.test(f));
    const versions: VersionDataset[] = [];
    for (const f of files) {
      versions.push(VersionDataset.parse(JSON.parse(await readFile(path.join(DATA_DIR, 'versions', f), 'utf8'))));
    }
    versions.sort((a, b) => compareVersions(a.version, b.version));
    return { combined, versions };
  })();
  return loading;
}

const apis = defineCollection({
  loader: {
    name: 'capi-apis',
    load: async ({ store, logger }: LoaderContext) => {
      const { combined, versions } = await loadDataset();
      store.clear();
      const byName = new Map<string, Record<string, Api>>();
      for (const ds of versions) {
        for (const api of ds.apis) {
          let m = byName.get(api.name);
          if (!m) byName.set(api.name, (m = {}));
          m[ds.version] = api;
        }
      }
      for (const [name, history] of Object.entries(combined.apis)) {
        const byVersion = byName.get(name);
        if (!byVersion) throw new Error(`capi.json lists ${name}, which no data/versions/*.json has`);
        store.set({ id: name, data: { name, history, byVersion } });
      }
      logger.info(`${byName.size} APIs from ${versions.length} versions (${DATA_DIR})`);
    },
  },
  schema: ApiEntrySchema,
});

const versions = defineCollection({
  loader: {
    name: 'capi-versions',
    load: async ({ store }: LoaderContext) => {
      const { versions } = await loadDataset();
      store.clear();
      for (const ds of versions) {
        store.set({ id: ds.version, data: { version: ds.version, coverage: ds.coverage, sources: ds.sources, count: ds.apis.length } });
      }
    },
  },
  schema: VersionEntrySchema,
});

const pitfalls = defineCollection({
  loader: glob({ pattern: '*.mdx', base: path.join(CONTENT_DIR, 'pitfalls') }),
  schema: Pitfall,
});

const examples = defineCollection({
  loader: glob({ pattern: '*/index.mdx', base: path.join(CONTENT_DIR, 'examples'), generateId: ({ entry }) => entry.split('/')[0]! }),
  schema: Example,
});

export const collections = { apis, versions, pitfalls, examples };
