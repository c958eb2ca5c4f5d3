import { z } from 'zod';

/**
 * What one return or parameter is, read by hand where no parser reaches: a kind of C value that is not an object,
 * or, for an object, its ownership.
 */
export const HandReadSlot = z
  .enum(['number', 'c-value', 'type-name', 'token', 'statement', 'declaration', 'borrowed', 'stolen', 'in-out', 'new'])
  .describe(
    'number: an integer or floating-point value. c-value: another C value that is not an object (a string, a pointer, a function). ' +
      'type-name: a C type. token: a name the macro pastes or stringifies. statement: the macro is code, not a value. ' +
      'declaration: it expands to (part of) a declaration or initialiser. borrowed / stolen / in-out / new: an object, with that ownership.',
  );
export type HandReadSlot = z.infer<typeof HandReadSlot>;

export const HandReading = z
  .object({
    note: z.string().min(20).describe('What the definition does, in our words: the reason for every slot.'),
    returns: HandReadSlot,
    params: z.array(HandReadSlot).describe('In parameter order; must have as many entries as the API has parameters.'),
  })
  .strict();
export type HandReading = z.infer<typeof HandReading>;

export const HandReadings = z.record(z.string().regex(/^\w+$/), HandReading).describe('By API name (a nested docs name matches by its last part).');
export type HandReadings = z.infer<typeof HandReadings>;
