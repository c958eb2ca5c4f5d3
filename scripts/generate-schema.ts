/**
 * Stage 3: write data/schema/*.json from the zod schemas in src/schema.
 *
 *   npm run generate-schema            # write
 *   npm run generate-schema -- --check # fail if data/schema differs from the zod schemas
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findStaleFiles, writeFilesAtomically } from './lib/json-output.ts';
import { renderJsonSchemas } from './lib/json-schemas.ts';
import { REPO_ROOT } from './lib/paths.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const outputs = renderJsonSchemas();
if (values.check) {
  const stale = await findStaleFiles(outputs);
  if (stale.length > 0) {
    console.error(`JSON Schema out of date with src/schema: ${stale.map((file) => path.relative(REPO_ROOT, file)).join(', ')}. Run npm run generate-schema and commit data/schema.`);
    process.exit(1);
  }
  console.error('data/schema is up to date.');
} else {
  await writeFilesAtomically(outputs);
  console.error(`wrote ${outputs.size} JSON Schema files to data/schema`);
}
