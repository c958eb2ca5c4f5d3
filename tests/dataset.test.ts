/**
 * The committed data/ is exactly what the code makes from ../shared/cpython, and the schemas hold it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineVersions } from '../scripts/lib/combine-versions.ts';
import { readCompatManifest } from '../scripts/lib/read-compat-manifest.ts';
import { stableJson } from '../scripts/lib/json-output.ts';
import { renderJsonSchemas } from '../scripts/lib/json-schemas.ts';
import { buildAudit } from '../scripts/lib/build-audit.ts';
import { AUDIT_FILE, COMBINED_FILE, SNAPSHOT_VERSIONS, VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { scrapeSnapshot } from '../scripts/lib/scrape-snapshot.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { itSnapshot } from './helpers/snapshot.ts';

const committed = (file: string): Promise<string> => readFile(file, 'utf8');

describe('the committed dataset', () => {
  itSnapshot('data/versions/*.json is what the scraper makes from ../shared/cpython', async () => {
    const datasets = await scrapeSnapshot();
    expect(datasets.map((dataset) => dataset.version)).toEqual([...SNAPSHOT_VERSIONS]);
    for (const dataset of datasets) {
      expect(stableJson(dataset), dataset.version).toBe(await committed(path.join(VERSIONS_DIR, `${dataset.version}.json`)));
    }
  });

  it('data/capi.json is the combination of the versions', async () => {
    const datasets = await Promise.all(
      SNAPSHOT_VERSIONS.map(async (version) => VersionDataset.parse(JSON.parse(await committed(path.join(VERSIONS_DIR, `${version}.json`))))),
    );
    expect(stableJson(combineVersions(datasets, await readCompatManifest()))).toBe(await committed(COMBINED_FILE));
  });

  it('data/audit.json is built from the versions\' conflicts', async () => {
    const datasets = await Promise.all(
      SNAPSHOT_VERSIONS.map(async (version) => VersionDataset.parse(JSON.parse(await committed(path.join(VERSIONS_DIR, `${version}.json`))))),
    );
    const audit = buildAudit(datasets);
    expect(stableJson(audit)).toBe(await committed(AUDIT_FILE));
    expect(audit.entries).toHaveLength(datasets.reduce((sum, dataset) => sum + dataset.apis.reduce((n, api) => n + api.conflicts.length, 0), 0));
  });

  it('data/schema is generated from the zod schemas (no drift)', async () => {
    for (const [file, text] of renderJsonSchemas()) expect(text, file).toBe(await committed(file));
  });
});
