/**
 * The committed data/ is exactly what the code makes from ../shared/cpython, and the schemas hold it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineVersions } from '../scripts/lib/combine-versions.ts';
import { stableJson } from '../scripts/lib/json-output.ts';
import { renderJsonSchemas } from '../scripts/lib/json-schemas.ts';
import { COMBINED_FILE, REPO_ROOT, SNAPSHOT_DIR, SNAPSHOT_VERSIONS, VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { scrapeVersion } from '../scripts/lib/scrape-version.ts';
import { openRoot } from '../scripts/lib/source-root.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

const committed = (file: string): Promise<string> => readFile(file, 'utf8');

describe('the committed dataset', () => {
  for (const version of SNAPSHOT_VERSIONS) {
    it(`data/versions/${version}.json is what the scraper makes from ../shared/cpython/${version}`, async () => {
      const dataset = await scrapeVersion({
        version,
        docs: openRoot(path.join(SNAPSHOT_DIR, version, 'docs')),
        src: openRoot(path.join(SNAPSHOT_DIR, version, 'src')),
        relativeTo: REPO_ROOT,
      });
      expect(stableJson(dataset)).toBe(await committed(path.join(VERSIONS_DIR, `${version}.json`)));
    });
  }

  it('data/capi.json is the combination of the versions', async () => {
    const datasets = await Promise.all(
      SNAPSHOT_VERSIONS.map(async (version) => VersionDataset.parse(JSON.parse(await committed(path.join(VERSIONS_DIR, `${version}.json`))))),
    );
    expect(stableJson(combineVersions(datasets))).toBe(await committed(COMBINED_FILE));
  });

  it('data/schema is generated from the zod schemas (no drift)', async () => {
    for (const [file, text] of renderJsonSchemas()) expect(text, file).toBe(await committed(file));
  });
});
