import { z } from 'zod';
import { Api } from './api.ts';
import { SourceFile } from './source.ts';
import { MinorVersion } from './version.ts';

export const VersionDataset = z
  .object({
    version: MinorVersion,
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
