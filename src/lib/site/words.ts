/** Plain-words texts for every ownership value, Stable ABI scope and thread-safety level: our own words, in one place. */
import type { ParamOwnership, ReturnOwnership, ThreadSafetyLevel } from '../../schema/index.ts';

export const RETURN_SHORT: Record<ReturnOwnership, string> = {
  new: 'new reference',
  borrowed: 'borrowed reference',
  'always-null': 'always NULL',
  'no-object': 'not an object',
  unknown: 'unknown',
};

export const RETURN_WORDS: Record<ReturnOwnership, string> = {
  new: 'You own the result: release it with Py_DECREF when done (NULL means an exception is set).',
  borrowed:
    'You do not own the result: do not Py_DECREF it. It stays valid only while its owner keeps it alive; take Py_INCREF (or Py_NewRef) if you need it longer.',
  'always-null': 'It always returns NULL with an exception set: there is nothing to release.',
  'no-object': 'The result is not an object reference: there is nothing to release.',
  unknown: 'No source says who owns the result. Check the documentation before relying on it.',
};

export const PARAM_SHORT: Record<ParamOwnership, string> = {
  borrowed: 'borrowed',
  stolen: 'stolen',
  'stolen-on-success': 'stolen on success',
  'out-new': 'out: new reference',
  'out-borrowed': 'out: borrowed reference',
  'in-out': 'in-out',
  'no-object': 'not an object',
  unknown: 'unknown',
};

export const PARAM_WORDS: Record<ParamOwnership, string> = {
  borrowed: 'You keep your reference: the call does not take it. Release it yourself as usual.',
  stolen: 'The call takes over your reference, whether it succeeds or fails: do not Py_DECREF it afterwards.',
  'stolen-on-success':
    'The call takes over your reference only when it succeeds; if it fails you still own it and must release it.',
  'out-new': 'Receives a new reference that you own: release it with Py_DECREF when done.',
  'out-borrowed': 'Receives a borrowed reference: do not Py_DECREF it.',
  'in-out':
    'Must hold a reference you own; the call releases it and stores a new reference (or NULL on failure) in its place.',
  'no-object': 'Not an object reference: no reference counting involved.',
  unknown: 'No source says what the call does with this reference.',
};

export const THREAD_WORDS: Record<ThreadSafetyLevel, string> = {
  incompatible: 'Not safe to call from several threads at once, even on different objects (free-threaded builds).',
  compatible: 'Safe only with your own synchronization (a lock) around concurrent calls.',
  distinct: 'Safe to call concurrently on distinct objects; a shared object needs your own lock.',
  shared: 'Safe to call concurrently on the same object, with the caveats the docs give.',
  atomic: 'Behaves as one atomic operation, even on a shared object.',
};

export const STABLE_SCOPE_WORDS: Record<string, string> = {
  'stable-abi': 'Part of the Stable ABI',
  'limited-api-only': 'Part of the Limited API only (not all of the Stable ABI)',
  macro: 'A macro available when compiling for the Stable ABI',
  slot: 'Available through its PyType_Slot ID',
};

export const SOURCE_WORDS: Record<string, string> = {
  'refcounts.dat': "CPython's Doc/data/refcounts.dat",
  'docs-annotation': 'The docs\u2019 \u201cReturn value\u201d annotation',
  'docs-prose': 'The docs\u2019 prose',
};

export const KIND_WORDS: Record<string, string> = {
  function: 'function',
  macro: 'macro',
  type: 'type',
  var: 'variable',
  struct: 'struct',
  member: 'struct member',
  enumerator: 'enumerator',
};

export const CHANGE_WORDS: Record<string, string> = {
  documented: 'documented',
  undocumented: 'no longer documented',
  returns: 'return ownership changed',
  param: 'parameter ownership changed',
  signature: 'signature changed',
  'stable-abi': 'entered the Stable ABI',
  deprecated: 'deprecated',
  removed: 'removed',
  'thread-safety': 'thread-safety level changed',
};
