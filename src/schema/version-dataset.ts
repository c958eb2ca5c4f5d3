import { z } from 'zod';
import { Api } from './api.ts';
import { SourceFile } from './source.ts';
import { MinorVersion } from './version.ts';

export const Coverage = z
  .object({
    refcountsDat: z.boolean().describe("Whether this version's refcounts.dat was read."),
    headers: z
      .boolean()
      .describe("Whether this version's public headers were read. When false, no undocumented API is listed and every header is null."),
    stableAbi: z
      .boolean()
      .describe(
        "Whether this version's sources record Stable ABI membership (docs annotations or stable_abi files). When false " +
          '(3.9), every stableAbi is null because nothing says, not because the API is outside the Stable ABI.',
      ),
    threadSafety: z
      .boolean()
      .describe('Whether the docs of this version annotate thread safety (3.14 on). When false, every threadSafety is null.'),
  })
  .strict()
  .describe('What the sources of this version can say at all, so that a consumer can tell "no" from "not recorded".');
export type Coverage = z.infer<typeof Coverage>;

export const VersionDataset = z
  .object({
    version: MinorVersion,
    coverage: Coverage,
    sources: z.array(SourceFile).describe('Every file read (or looked for) to make this version, sorted by role then file.'),
    apis: z
      .array(Api)
      .describe('Sorted by name.')
      .refine((apis) => apis.every((api, i) => i === 0 || apis[i - 1]!.name < api.name), {
        message: 'apis must be sorted by name with no duplicates',
      }),
  })
  .strict();
export type VersionDataset = z.infer<typeof VersionDataset>;
