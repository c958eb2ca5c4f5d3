/**
 * Site-only labels: evidence sources, API kinds and history changes, in plain words. The words for ownership
 * values, thread-safety levels and Stable ABI scopes are not here: they live in the package, shared with the CLI
 * and the checker (import them from src/lib/ownership-words.ts).
 */

export const SOURCE_WORDS: Record<string, string> = {
  'refcounts.dat': "CPython's Doc/data/refcounts.dat",
  'docs-annotation': 'The docs\u2019 \u201cReturn value\u201d annotation',
  'docs-prose': 'The docs\u2019 prose',
  header: 'The definition in CPython\u2019s public headers',
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
  errors: 'error convention changed',
  signature: 'signature changed',
  'stable-abi': 'entered the Stable ABI',
  deprecated: 'deprecated',
  removed: 'removed',
  'thread-safety': 'thread-safety level changed',
};

/** What a docs "Changed in version" note is about (ChangeKind), as the API page lists it. */
export const CHANGE_KIND_WORDS: Record<string, string> = {
  signature: 'the signature or form',
  ownership: 'ownership',
  errors: 'error behaviour',
  'stable-abi': 'Stable ABI membership',
  deprecation: 'deprecation',
  other: 'behaviour',
};

/**
 * The package's words are phrases ("a borrowed reference: …"); the site shows them as sentences: ending with a full
 * stop and, unless they follow a colon (`capitalize` false), starting with a capital.
 */
export function sentence(phrase: string, capitalize = true): string {
  if (phrase === '') return phrase;
  const s = capitalize ? phrase[0]!.toUpperCase() + phrase.slice(1) : phrase;
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
