/**
 * Plain-words descriptions of every ownership value, Stable ABI scope and thread-safety level, for people at a
 * terminal and for the site. One place, so that the CLI, the checker and the site say the same thing.
 */
import type { Confidence, ParamOwnership, ReturnOwnership, StableAbi, ThreadSafetyLevel, BorrowedFrom, ErrorConvention, ReturnValue } from './types.ts';

export const RETURN_WORDS: Readonly<Record<ReturnOwnership, string>> = {
  new: 'a new (strong) reference: you own it and must release it with Py_DECREF when done',
  borrowed:
    'a borrowed reference: you do not own it and must not Py_DECREF it; it stays valid only while its owner keeps it alive (take Py_NewRef if you keep it)',
  'always-null': 'always NULL, with an exception set',
  'no-object': 'not an object reference (nothing to release)',
  unknown: 'not recorded: no source says whether the reference is new or borrowed',
};

export const PARAM_WORDS: Readonly<Record<ParamOwnership, string>> = {
  borrowed: 'borrowed: the call does not take your reference; you still own it',
  stolen: 'stolen: the call takes over your reference, even when it fails; do not Py_DECREF it afterwards',
  'stolen-on-success':
    'stolen on success only: the call takes over your reference when it succeeds; when it fails you still own it and must release it',
  'out-new': 'output: receives a new reference that you own and must release',
  'out-borrowed': 'output: receives a borrowed reference that you must not release',
  'in-out':
    'in/out: holds a reference you own; the call releases it and stores a new reference (or NULL on failure) in its place',
  'no-object': 'not an object reference',
  unknown: 'not recorded: no source says what the call does with this reference',
};

/** A very short label, for tables and one-line messages. */
export const PARAM_SHORT: Readonly<Record<ParamOwnership, string>> = {
  borrowed: 'borrowed',
  stolen: 'stolen (even on failure)',
  'stolen-on-success': 'stolen on success only',
  'out-new': 'out: new reference',
  'out-borrowed': 'out: borrowed reference',
  'in-out': 'in/out reference',
  'no-object': 'not an object',
  unknown: 'not recorded',
};

export const RETURN_SHORT: Readonly<Record<ReturnOwnership, string>> = {
  new: 'new reference',
  borrowed: 'borrowed reference',
  'always-null': 'always NULL',
  'no-object': 'not an object',
  unknown: 'not recorded',
};

/** What one of a call's return values tells the caller. */
export const RETURN_MEANING_WORDS: Readonly<Record<ReturnValue['means'], string>> = {
  success: 'it succeeded',
  error: 'it failed (check the error convention for the exception)',
  yes: 'yes: what the call tests holds (found, true, contained)',
  no: 'no: it does not (missing, false)',
};

/** How a call reports failure, in a few words for tables (ERROR_WORDS says it as an instruction). */
export const ERROR_SHORT: Readonly<Record<ErrorConvention, string>> = {
  'null-with-exception': 'NULL, exception set',
  'minus-one-with-exception': '-1, exception set',
  'ambiguous-minus-one': '-1, then PyErr_Occurred()',
  'zero-with-exception': '0, exception set',
  'null-without-exception': 'NULL, no exception',
  status: 'a PyStatus',
  suppressed: 'errors suppressed',
  'cannot-fail': 'cannot fail',
  unchecked: 'checks nothing',
  unknown: 'not recorded',
};

/** How an ownership value is known, as a short bracketed remark (empty when a source of the version states it). */
export const CONFIDENCE_WORDS: Readonly<Record<Confidence, string>> = {
  'runtime-confirmed': 'measured by calling it on a real CPython build',
  documented: '',
  carried: "this version's sources are silent; carried from the nearest version that documents it",
  inferred: "no source states it; inferred by one of the project's written-down rules",
  unknown: '',
};

export const THREAD_SAFETY_WORDS: Readonly<Record<ThreadSafetyLevel, string>> = {
  incompatible: 'not safe to call from several threads at once, even on different objects',
  compatible: 'safe from several threads only with external synchronization',
  distinct: 'safe from several threads on distinct objects',
  shared: 'safe from several threads on a shared object (with the caveats the docs give)',
  atomic: 'safe from several threads; behaves as one atomic operation',
};

export const STABLE_ABI_SCOPE_WORDS: Readonly<Record<StableAbi['scope'], string>> = {
  'stable-abi': 'part of the Stable ABI',
  'limited-api-only': 'part of the Limited API, but not (all of it) of the Stable ABI',
  macro: 'a macro available when compiling for the Stable ABI',
  slot: 'available through its PyType_Slot ID',
};

/** Where a Stable ABI entry is stated, in words. */
export const STABLE_ABI_SOURCE_WORDS: Readonly<Record<StableAbi['source'], string>> = {
  'docs-annotation': "the docs' annotation of this entry",
  'stable_abi.dat': 'Doc/data/stable_abi.dat',
  'stable_abi.toml': 'Misc/stable_abi.toml',
  'docs-limited-api-list': "the docs' Contents of Limited API list, which gives no version: the since comes from an earlier version's sources",
};

/** Stable ABI in words, telling "no" from "not recorded" with the version's coverage. */
export function stableAbiWords(stableAbi: StableAbi | null, recorded: boolean): string {
  if (stableAbi === null) return recorded ? 'no' : 'not recorded for this version';
  const parts = [`yes, since ${stableAbi.since}: ${STABLE_ABI_SCOPE_WORDS[stableAbi.scope]}`];
  if (stableAbi.platform) parts.push(`(${stableAbi.platform})`);
  if (stableAbi.slotId) parts.push(`slot ${stableAbi.slotId}`);
  return parts.join(' ');
}

/** Thread safety in words, telling "no annotation" from "not recorded" with the version's coverage. */
export function threadSafetyWords(level: ThreadSafetyLevel | null, recorded: boolean): string {
  if (level === null) return recorded ? 'no annotation in the docs' : 'not recorded for this version (the docs annotate it from 3.14 on)';
  return `${level}: ${THREAD_SAFETY_WORDS[level]}`;
}

/** How a call reports failure, as a caller's instruction. */
export const ERROR_WORDS: Readonly<Record<ErrorConvention, string>> = {
  'null-with-exception': 'on failure it returns NULL with an exception set: check for NULL and return an error yourself',
  'minus-one-with-exception': 'on failure it returns -1 with an exception set: check for -1',
  'ambiguous-minus-one': '-1 can be a real result too: when you get -1, call PyErr_Occurred() to tell a failure from the value',
  'zero-with-exception': 'on failure it returns false (0) with an exception set',
  'null-without-exception': 'NULL means failure or absence, and no exception is set: raise one yourself if you need to',
  status: 'it returns a PyStatus: test it with PyStatus_Exception() and hand a failure to Py_ExitStatusException()',
  suppressed: 'errors inside the call are cleared and look like an ordinary result: use the variant that reports them when errors matter',
  'cannot-fail': 'it cannot fail',
  unchecked: 'it checks nothing: passing the wrong kind of object is undefined behaviour, not an error',
  unknown: 'no source or rule says how it reports failure',
};

/**
 * The inference rules of the pipeline's error conventions (scripts/lib/error-convention.ts), by the id their
 * evidence records, in words: what a guess rests on when no source of the version states the convention.
 */
export const ERROR_RULE_WORDS: Readonly<Record<string, string>> = {
  'always-null': 'the docs annotate its return as always NULL',
  'type-check': 'a test that answers yes or no',
  'reference-helper': 'a reference-count helper, which only changes a count',
  'state-getter': "a getter of the runtime's state, which stops the process rather than fail",
  allocator: 'a memory allocator, which returns NULL without an exception like the rest of its family',
  'object-allocator': 'it makes an object, which sets MemoryError and returns NULL when it fails',
  macro: 'a macro the docs say nothing about, which checks nothing',
  'macro-call': 'a macro that gives the result of the function its evidence links to, which reports failure so',
  'void-return': 'a void function, which has no way to report failure',
  'stated-default': "the C-API's stated default for its return type",
  'status-return': 'it returns a PyStatus',
  'sentinel-return': 'its return type, where -1 can also be a value',
};

/** What a borrowed return stays valid for. */
export function lenderWords(borrowedFrom: BorrowedFrom): string {
  return borrowedFrom.lender === 'argument'
    ? `borrowed from the argument ${borrowedFrom.param}: valid while ${borrowedFrom.param} keeps it, so until ${borrowedFrom.param} changes or is released`
    : 'borrowed from interpreter or thread state: valid until that state changes (another call into Python may change it)';
}

/** Who frees a result that is memory (returns.freeWith). */
export function freeWords(freeWith: string): string {
  return `memory, not an object: yours to free with ${freeWith}() when done (not with free() nor Py_DECREF)`;
}
