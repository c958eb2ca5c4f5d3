import { z } from 'zod';
import { MinorVersion } from './version.ts';

const Commit = z.string().regex(/^[0-9a-f]{40}$/);

/**
 * What CPython's compatibility header project (pythoncapi-compat) provides, as read from one commit of it by
 * scripts/read-pythoncapi-compat.ts: the manifest the pipeline reads (scripts/sources/pythoncapi-compat.json).
 */
export const CompatManifest = z
  .object({
    generated: z.string().describe('Which script wrote the file, from what: it is not edited by hand.'),
    repository: z.literal('python/pythoncapi-compat'),
    commit: Commit,
    header: z.literal('pythoncapi_compat.h'),
    oldest: MinorVersion.describe('The oldest Python the project supports (its docs/api.rst).'),
    apis: z.array(
      z
        .object({
          name: z.string(),
          before: MinorVersion.describe('The header defines it for a Python older than this.'),
          line: z.number().int().positive().describe('The line of the header that defines it.'),
        })
        .strict(),
    ),
  })
  .strict();
export type CompatManifest = z.infer<typeof CompatManifest>;

export const CompatBackport = z
  .object({
    project: z.enum(['pythoncapi-compat']).describe('The project that provides it (only one is read).'),
    before: MinorVersion.describe('pythoncapi_compat.h provides the name to code built for a Python older than this.'),
    oldest: MinorVersion.describe('The oldest Python the project supports: together, it covers oldest to before.'),
    source: z.url().describe('The definition in the header, at the commit read.'),
  })
  .strict()
  .describe("The name as CPython's compatibility header provides it for older Pythons.");
export type CompatBackport = z.infer<typeof CompatBackport>;
