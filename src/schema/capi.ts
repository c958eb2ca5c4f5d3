import { z } from 'zod';
import { ApiKind, ApiName } from './api.ts';
import { CompatBackport } from './compat.ts';
import { MinorVersion, PythonVersion } from './version.ts';

export const ApiChange = z
  .object({
    version: MinorVersion.describe('The first dataset version that shows the change.'),
    change: z
      .enum(['documented', 'undocumented', 'returns', 'param', 'errors', 'signature', 'stable-abi', 'deprecated', 'removed', 'thread-safety'])
      .describe(
        'documented / undocumented: the docs start / stop describing it (an undocumented API may still be in the headers). returns, param: an ownership that sources of both versions ' +
          'state changed (a carried, inferred or unknown value on either side is a change in evidence, not in behaviour); where both versions were measured, ' +
          'the measurements decide. errors: the error convention measured on both versions changed. signature: the declaration changed. ' +
          'stable-abi: it entered the Stable ABI in this version (to: the version; the Stable ABI never drops an item). deprecated / removed: the docs first say so. thread-safety: the level changed.',
      ),
    field: z.string().nullable().describe("For param: 'params.<name>'; for returns and errors: the field's name."),
    from: z.string().nullable(),
    to: z.string().nullable(),
    measured: z.boolean().optional().describe('true when runtime probes of both versions measured from and to: a change in behaviour, observed; absent otherwise.'),
  })
  .strict();
export type ApiChange = z.infer<typeof ApiChange>;

export const ApiHistory = z
  .object({
    kind: ApiKind.describe('The kind in the latest version that has it.'),
    versions: z.array(MinorVersion).describe('The dataset versions that have it (in the docs or, undocumented, in the headers), in order.'),
    documentedIn: z.array(MinorVersion).describe('The dataset versions whose docs describe it, in order; empty for a name only the headers declare.'),
    firstSeen: MinorVersion,
    lastSeen: MinorVersion,
    added: PythonVersion.nullable().describe('The version the docs say it was added in, from the latest version that says.'),
    docsUrl: z.url().nullable().describe('Its docs page in the latest version that documents it; null when no version does.'),
    changes: z.array(ApiChange).describe('Changes between consecutive dataset versions, oldest first.'),
    compat: CompatBackport.nullable().describe('Where pythoncapi_compat.h provides the name to older Pythons; null where it does not.'),
  })
  .strict();
export type ApiHistory = z.infer<typeof ApiHistory>;

export const CombinedDataset = z
  .object({
    versions: z.array(MinorVersion).describe('The versions combined, oldest first.'),
    apis: z.record(ApiName, ApiHistory).describe('Every API name of any version, keys sorted.'),
  })
  .strict();
export type CombinedDataset = z.infer<typeof CombinedDataset>;
