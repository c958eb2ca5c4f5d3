import { z } from 'zod';

export const SideEffectKind = z
  .enum(['releases-old-item', 'leaks-old-item', 'sets-error', 'clears-error', 'suppresses-errors', 'runs-python-code', 'in-place', 'invalidates'])
  .describe(
    'What a call does besides its result. releases-old-item: it drops the reference to the item it overwrites. ' +
      'leaks-old-item: it overwrites an item without releasing it (a reference stored there leaks). ' +
      'sets-error: it sets the error indicator (raises) as its job, not only on failure. clears-error: it clears the error indicator. ' +
      'suppresses-errors: exceptions raised on the way are swallowed. runs-python-code: it may run arbitrary Python code ' +
      '(__hash__, __eq__, __del__...), so anything may change meanwhile. in-place: it modifies the object it is given. ' +
      'invalidates: the parameter must not be used after the call.',
  );
export type SideEffectKind = z.infer<typeof SideEffectKind>;

export const SideEffect = z
  .object({
    kind: SideEffectKind,
    param: z.string().optional().describe('The parameter it is about, by its docs name; absent when it is about the call as a whole.'),
    note: z.string().describe("The effect in this project's own short words (the docs' sentences are not kept; the docs link has the rest)."),
  })
  .strict()
  .describe("An effect of a call the docs of this version state, read from their prose by this project's rules (scripts/sources/call-semantics.ts).");
export type SideEffect = z.infer<typeof SideEffect>;
