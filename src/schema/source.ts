import { z } from 'zod';

export const SourceFile = z
  .object({
    role: z
      .enum(['docs-page', 'header', 'refcounts.dat', 'stable_abi.dat', 'stable_abi.toml', 'runtime-probes'])
      .describe('What the file is.'),
    file: z.string().describe("The file's path under its root, e.g. 'c-api/list.html' or 'Doc/data/refcounts.dat'."),
    location: z.string().describe('The URL, or the path relative to the repository, it was read from.'),
    status: z.enum(['read', 'missing']).describe('missing: the version does not have this file (normal for some versions).'),
    release: z.string().nullable().describe("The release the file comes from, where known (e.g. '3.13.18')."),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().describe('Of the bytes read; null when missing.'),
  })
  .strict();
export type SourceFile = z.infer<typeof SourceFile>;
