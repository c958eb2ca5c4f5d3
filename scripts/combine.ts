/**
 * Stage 2: fold data/versions/*.json into data/capi.json, the history of every API across the versions.
 *
 *   npm run combine            # write data/capi.json
 *   npm run combine -- --check # fail if data/capi.json differs from what the code makes
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CombinedDataset } from '../src/schema/capi.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { combineVersions } from './lib/combine-versions.ts';
import { SourceError } from './lib/errors.ts';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { stableJson } from './lib/json-output.ts';
import { COMBINED_FILE, VERSIONS_DIR } from './lib/paths.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

async function readVersionDatasets(folder: string): Promise<VersionDataset[]> {
  const files = (await readdir(folder)).filter((file) => /^3\.\d+\.json$/.test(file)).sort();
  if (files.length === 0) {
    throw new SourceError(folder, 'expected per-version datasets named X.Y.json, found none', 'Run npm run scrape first.');
  }
  return Promise.all(
    files.map(async (file) => {
      const location = path.join(folder, file);
      const parsed = VersionDataset.safeParse(JSON.parse(await readFile(location, 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new SourceError(location, `does not match the schema at ${issue.path.join('.')}: ${issue.message}`, 'Regenerate it with npm run scrape rather than editing it by hand.');
      }
      return parsed.data;
    }),
  );
}

await runStage(async () => {
  const combined = CombinedDataset.parse(combineVersions(await readVersionDatasets(VERSIONS_DIR)));
  if (await writeOrCheck(new Map([[COMBINED_FILE, stableJson(combined)]]), values.check, 'data/capi.json')) {
    console.error(`wrote data/capi.json: ${Object.keys(combined.apis).length} APIs across ${combined.versions.join(', ')}`);
  }
});
