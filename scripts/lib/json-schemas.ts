/**
 * The JSON Schema documents published in data/schema, generated from the zod schemas so they cannot drift.
 */
import path from 'node:path';
import { z } from 'zod';
import { Audit } from '../../src/schema/audit.ts';
import { CombinedDataset } from '../../src/schema/capi.ts';
import { RuntimeProbes } from '../../src/schema/runtime.ts';
import { VersionDataset } from '../../src/schema/version-dataset.ts';
import { stableJson } from './json-output.ts';
import { SCHEMA_DIR } from './paths.ts';

const PUBLISHED = [
  { file: 'version.schema.json', schema: VersionDataset, title: 'capi-refs: one Python version (data/versions/X.Y.json)' },
  { file: 'capi.schema.json', schema: CombinedDataset, title: 'capi-refs: every API across versions (data/capi.json)' },
  { file: 'audit.schema.json', schema: Audit, title: 'capi-refs: every disagreement among the sources (data/audit.json)' },
  { file: 'runtime.schema.json', schema: RuntimeProbes, title: 'capi-refs: ownership measured at run time (data/runtime/X.Y.json)' },
];

export function renderJsonSchemas(): Map<string, string> {
  return new Map(
    PUBLISHED.map(({ file, schema, title }) => [
      path.join(SCHEMA_DIR, file),
      stableJson({
        ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }),
        title,
        $comment: 'Generated from src/schema by npm run generate-schema; do not edit.',
      }),
    ]),
  );
}
