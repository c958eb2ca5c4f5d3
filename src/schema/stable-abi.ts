import { z } from 'zod';
import { PythonVersion } from './version.ts';

export const StableAbi = z
  .object({
    since: PythonVersion.describe('First version whose Stable ABI / Limited API has it (3.2 when the docs give no version).'),
    scope: z
      .enum(['stable-abi', 'limited-api-only', 'macro', 'slot'])
      .describe(
        'stable-abi: part of the Stable ABI. limited-api-only: part of the Limited API but not (or not all of it) of the Stable ABI. ' +
          'macro: a macro available when compiling for the Stable ABI. slot: documented through its PyType_Slot ID.',
      ),
    struct: z
      .enum(['all-members', 'opaque', 'some-members', 'see-below'])
      .nullable()
      .describe('For structs: how much of the layout is part of it.'),
    platform: z.string().nullable().describe("A platform condition, e.g. 'on Windows', 'on platforms with fork()'."),
    slotId: z.string().nullable().describe('For slot: the slot ID, e.g. Py_tp_repr.'),
    source: z
      .enum(['docs-annotation', 'stable_abi.dat', 'stable_abi.toml', 'docs-limited-api-list'])
      .describe(
        "Where it is stated: the entry's own annotation in the docs, Misc/stable_abi.dat or .toml, or the docs' " +
          "'Contents of Limited API' list (c-api/stable.html) where neither the entry nor a file says so; a listed " +
          'name takes its since from the latest earlier version that states one, else 3.2.',
      ),
  })
  .strict();
export type StableAbi = z.infer<typeof StableAbi>;
