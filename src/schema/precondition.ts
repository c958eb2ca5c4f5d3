import { z } from 'zod';

export const PreconditionKind = z
  .enum(['not-null', 'type', 'thread-state', 'in-range', 'unchecked', 'new-object-only'])
  .describe(
    'What the caller must make true before the call. not-null: the parameter must not be NULL. ' +
      'type: the parameter must be an object of the type named in `type`. ' +
      'thread-state: the calling thread must hold the GIL (have an attached thread state). ' +
      'in-range: an index or size must be within bounds (the note says whether anything checks it). ' +
      'unchecked: the call checks nothing about its arguments, so they must already be valid. ' +
      'new-object-only: only for filling in a freshly created object that no other code has seen yet.',
  );
export type PreconditionKind = z.infer<typeof PreconditionKind>;

export const Precondition = z
  .object({
    kind: PreconditionKind,
    param: z.string().optional().describe('The parameter it is about, by its docs name; absent when it is about the call as a whole.'),
    type: z
      .string()
      .optional()
      .describe("For kind 'type': the Python type required, in short form ('list', 'tuple', 'dict', 'bytes', 'str', 'int', 'cell'...)."),
    note: z.string().describe("The requirement in this project's own short words (the docs' sentences are not kept; the docs link has the rest)."),
  })
  .strict()
  .describe("A requirement the docs of this version state for a call, read from their prose by this project's rules (scripts/sources/call-semantics.ts).");
export type Precondition = z.infer<typeof Precondition>;
