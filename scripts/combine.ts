/**
 * Stage 2: fold data/versions/*.json into data/capi.json, the history of every API across the versions, with what
 * pythoncapi-compat provides for older Pythons (scripts/sources/pythoncapi-compat.json).
 *
 *   npm run combine            # write data/capi.json
 *   npm run combine -- --check # fail if data/capi.json differs from what the code makes
 */
import { parseArgs } from 'node:util';
import { CombinedDataset } from '../src/schema/capi.ts';
import { combineVersions } from './lib/combine-versions.ts';
import { readCompatManifest } from './lib/read-compat-manifest.ts';
import { readVersionDatasets } from './lib/read-datasets.ts';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { stableJson } from './lib/json-output.ts';
import { COMBINED_FILE, VERSIONS_DIR } from './lib/paths.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

await runStage(async () => {
  const combined = CombinedDataset.parse(combineVersions(await readVersionDatasets(VERSIONS_DIR), await readCompatManifest()));
  if (await writeOrCheck(new Map([[COMBINED_FILE, stableJson(combined)]]), values.check, 'data/capi.json')) {
    console.error(`wrote data/capi.json: ${Object.keys(combined.apis).length} APIs across ${combined.versions.join(', ')}`);
  }
});
