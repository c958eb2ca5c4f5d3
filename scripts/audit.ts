/**
 * Stage 3: write data/audit.json, every disagreement among the sources with the correction to send upstream.
 *
 *   npm run audit            # write data/audit.json
 *   npm run audit -- --check # fail if data/audit.json differs from what the code makes
 */
import { parseArgs } from 'node:util';
import { Audit } from '../src/schema/audit.ts';
import { buildAudit } from './lib/build-audit.ts';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { stableJson } from './lib/json-output.ts';
import { AUDIT_FILE, VERSIONS_DIR } from './lib/paths.ts';
import { readVersionDatasets } from './lib/read-datasets.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

await runStage(async () => {
  const audit = Audit.parse(buildAudit(await readVersionDatasets(VERSIONS_DIR)));
  if (await writeOrCheck(new Map([[AUDIT_FILE, stableJson(audit)]]), values.check, 'data/audit.json')) {
    console.error(`wrote data/audit.json: ${audit.entries.length} disagreements (${audit.entries.filter((e) => e.measured).length} settled by a measurement)`);
  }
});
