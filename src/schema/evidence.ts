import { z } from 'zod';

export const EvidenceSource = z
  .enum(['runtime', 'refcounts.dat', 'docs-annotation', 'docs-prose', 'header', 'inference'])
  .describe(
    "Where a value came from: a measurement on a real CPython build (data/runtime/X.Y.json, which names the build), " +
      "CPython's Doc/data/refcounts.dat, the docs' 'Return value: …' annotation, " +
      "an ownership statement in the docs' prose (e.g. a steal), the definition in the public headers (for a macro " +
      "the docs leave untyped: what its replacement text shows a parameter or result to be, raw saying how), or one of this project's written-down inference " +
      'rules (raw names the rule; see scripts/lib/infer-ownership.ts), used only where no source states a value.',
  );
export type EvidenceSource = z.infer<typeof EvidenceSource>;

export const OwnershipField = z
  .string()
  .regex(/^(returns|returns\.borrowedFrom|returns\.freeWith|errors|returnValues|preconditions|sideEffects|params\.(\w+|\.\.\.))$/)
  .describe(
    "The field the evidence is about: 'returns', 'params.<name>' ('params.<position>' for a parameter the docs leave unnamed), " +
      "'errors' (the error convention), 'returns.borrowedFrom' (what a borrowed return is borrowed from), 'returns.freeWith' (the function that frees a result that is memory), 'returnValues' (the values and what they mean, as '1=yes 0=no -1=error'), " +
      "'preconditions' or 'sideEffects' (each fact as kind or kind:param, as 'not-null:o thread-state').",
  );

export const Evidence = z
  .object({
    field: OwnershipField,
    source: EvidenceSource,
    value: z.string().describe('The value this source gives for the field (an ownership, an error convention, or a lender).'),
    location: z.string().describe('Where the source says it: a docs URL with anchor, or file:line.'),
    raw: z
      .string()
      .optional()
      .describe("The source's own token, where it differs from the value (a refcounts.dat effect such as '-1', or the prose rule that matched)."),
  })
  .strict();
export type Evidence = z.infer<typeof Evidence>;

export const Conflict = z
  .object({
    field: OwnershipField,
    values: z
      .array(z.object({ source: EvidenceSource, value: z.string() }).strict())
      .min(2)
      .describe('Each source and what it says, in order of trust.'),
    chosen: z.string().describe('The value the dataset keeps for the field.'),
    reason: z.string().describe('Why that value was kept, in our own words.'),
  })
  .strict();
export type Conflict = z.infer<typeof Conflict>;
