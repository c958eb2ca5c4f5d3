import { z } from 'zod';
import { Precondition } from './precondition.ts';
import { SideEffect } from './side-effect.ts';
import { Errors } from './errors.ts';
import { Conflict, Evidence } from './evidence.ts';
import { Confidence, ParamOwnership, ReturnOwnership } from './ownership.ts';
import { StableAbi } from './stable-abi.ts';
import { ThreadSafety } from './thread-safety.ts';
import { PythonVersion } from './version.ts';

export const ApiKind = z
  .enum(['function', 'macro', 'type', 'var', 'struct', 'member', 'enumerator'])
  .describe("The docs' C domain kind.");
export type ApiKind = z.infer<typeof ApiKind>;

export const ApiName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/)
  .describe("The C name; members are 'Struct.member'.");

export const BorrowedFrom = z
  .object({
    lender: z
      .enum(['argument', 'interpreter'])
      .describe(
        'argument: the reference belongs to an object the caller passed (the container, the module, the type); it stays valid while that ' +
          'object keeps it, so until the object changes or dies. interpreter: it belongs to interpreter or thread state (the current frame, ' +
          'exception, sys, sys.modules); it stays valid until that state changes.',
      ),
    param: z.string().nullable().describe('The parameter that lends it, for lender argument.'),
    confidence: Confidence,
  })
  .strict()
  .describe('What a borrowed return is borrowed from, so a caller knows how long it stays valid.');
export type BorrowedFrom = z.infer<typeof BorrowedFrom>;

export const Returns = z
  .object({
    type: z
      .string()
      .describe("The declared C return type, e.g. 'PyObject *'; for a macro the docs leave untyped, what its definition in the headers gives ('' when it does not say)."),
    ownership: ReturnOwnership,
    confidence: Confidence,
    borrowedFrom: BorrowedFrom.nullable().describe('Set for a borrowed return; null otherwise.'),
    freeWith: z
      .string()
      .optional()
      .describe(
        "For a result that is memory, not an object (a char *, a wchar_t *, a void *): the function the caller frees it with, " +
          "as the docs of this version name it ('PyMem_Free', 'PyMem_RawFree', 'PyObject_Free'). Absent where the docs name none.",
      ),
  })
  .strict();

export const Param = z
  .object({
    name: z.string().describe("The parameter's name as the docs give it; '...' for C varargs."),
    type: z
      .string()
      .describe("The declared C type, e.g. 'PyObject *'; '...' for varargs; for a macro the docs leave untyped, what its definition in the headers shows ('' for a type name or token)."),
    ownership: ParamOwnership,
    confidence: Confidence,
  })
  .strict();
export type Param = z.infer<typeof Param>;

export const VersionNote = z.object({ version: PythonVersion }).strict();

export const ChangeKind = z
  .enum(['signature', 'ownership', 'errors', 'stable-abi', 'deprecation', 'other'])
  .describe(
    "What a docs 'Changed in version' note is about, read by this project from its wording (the note's text is not kept): " +
      'signature: the parameters, their types or the form (macro, function); ownership: references (new, borrowed, stolen); ' +
      'errors: exceptions, failures, NULL; stable-abi: Limited API or Stable ABI membership; deprecation; other: none of these.',
  );
export type ChangeKind = z.infer<typeof ChangeKind>;

export const ChangeNote = z
  .object({
    version: PythonVersion,
    what: z.array(ChangeKind).min(1).describe('What the notes of that version are about, in the order listed by ChangeKind.'),
  })
  .strict();

export const Deprecation = z
  .object({
    version: PythonVersion,
    removalPlanned: PythonVersion.nullable().describe('The version the docs say it will be removed in, if any.'),
    soft: z.boolean().describe('A soft deprecation: kept, with no removal planned, but new code should not use it.'),
  })
  .strict();

export const Removal = z
  .object({
    version: PythonVersion,
  })
  .strict()
  .describe('The docs still list the API but say it was removed in this version.');

export const HeaderLocation = z
  .object({
    file: z.string().regex(/^Include\/[\w./-]+\.h$/).describe("The public header, e.g. 'Include/cpython/listobject.h'."),
    line: z.number().int().positive(),
  })
  .strict()
  .describe("Where this version's public headers declare or define it (the first place, for names defined under several conditions).");
export type HeaderLocation = z.infer<typeof HeaderLocation>;

export const Replacement = z
  .object({
    name: ApiName.describe('The API to use instead.'),
    since: PythonVersion.nullable().describe('The version that brought it (its docs version note, or the first dataset version that has it); null when every version of the dataset has it.'),
    why: z.string().describe('Why it is better, in a short phrase of our own.'),
    source: z
      .enum(['docs-deprecation', 'hand', 'ref-twin'])
      .describe("docs-deprecation: the docs' deprecation note names it. hand: the project's list (packages/capi-refs/src/alternatives.ts). ref-twin: the same name with the Ref suffix, which returns a strong reference."),
  })
  .strict();
export type Replacement = z.infer<typeof Replacement>;

export const ReturnValue = z
  .object({
    value: z.string().describe("A value the call returns, as the docs write it: '1', '0', '-1', 'NULL', 'true', 'false'."),
    means: z
      .enum(['success', 'error', 'yes', 'no'])
      .describe('What it tells the caller: success; error (the call failed); yes / no (the condition the call tests holds, or does not: found, true, a subtype...).'),
  })
  .strict()
  .describe("One value of a call and its meaning, read from the docs' prose by this project's rules (scripts/sources/return-values.ts); the docs' words are not kept.");
export type ReturnValue = z.infer<typeof ReturnValue>;

export const Api = z
  .object({
    name: ApiName,
    kind: ApiKind,
    documented: z
      .boolean()
      .describe(
        "Whether this version's docs describe it. An undocumented API is a public name the headers declare (PyAPI_FUNC, PyAPI_DATA, " +
          'a static inline function or a macro, outside Include/internal/ and not underscored): usable, but the docs promise nothing about it.',
      ),
    docsUrl: z.url().nullable().describe('The docs.python.org page and anchor for this version; null when undocumented.'),
    header: HeaderLocation.nullable().describe('null when the public headers of this version do not declare it under this name (or were not read).'),
    signature: z.string().describe('The C declaration as the docs show it; for an undocumented API, as the header declares it.'),
    returns: Returns.nullable().describe('null for anything that is not called (types, variables, members, object-like macros).'),
    params: z.array(Param).describe("In prototype order; a variadic '...' is a parameter too. Empty when not called."),
    errors: Errors.nullable().describe('How a call reports failure; null for anything that is not called.'),
    returnValues: z.array(ReturnValue).describe("The values the docs' prose gives for the result, each with what it means; empty where the prose names none."),
    preconditions: z
      .array(Precondition)
      .describe("What the caller must make true before the call, as this version's docs state it (read by this project's rules); empty where the prose states nothing the rules know."),
    sideEffects: z
      .array(SideEffect)
      .describe("What the call does besides its result, as this version's docs state it (read by this project's rules); empty where the prose states nothing the rules know."),
    stableAbi: StableAbi.nullable(),
    threadSafety: ThreadSafety.nullable(),
    added: VersionNote.nullable(),
    changed: z.array(ChangeNote).describe("The docs' 'Changed in version' notes, one per version."),
    deprecated: Deprecation.nullable(),
    removed: Removal.nullable(),
    replacements: z
      .array(Replacement)
      .describe('What to use instead, for an API that is deprecated, returns a borrowed reference or steals: newest first. Empty when there is nothing to suggest.'),
    unstable: z.boolean().describe('Part of the Unstable C API (PyUnstable_*): may change in any feature release.'),
    evidence: z.array(Evidence).describe('What each source says about each ownership field.'),
    conflicts: z.array(Conflict).describe('Fields on which sources disagree, and which value was kept.'),
  })
  .strict();
export type Api = z.infer<typeof Api>;
