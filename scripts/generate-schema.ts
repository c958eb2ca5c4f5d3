/**
 * Stage 3: write data/schema/*.json from the zod schemas in src/schema.
 *
 *   npm run generate-schema            # write
 *   npm run generate-schema -- --check # fail if data/schema differs from the zod schemas
 */
import { parseArgs } from 'node:util';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { renderJsonSchemas } from './lib/json-schemas.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
await runStage(async () => {
  const outputs = renderJsonSchemas();
  if (await writeOrCheck(outputs, values.check, 'data/schema')) console.error(`wrote ${outputs.size} JSON Schema files to data/schema`);
});
