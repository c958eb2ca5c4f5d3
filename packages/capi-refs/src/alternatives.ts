/**
 * Safer alternatives: for an API that returns a borrowed reference, steals, or is deprecated, the API to use
 * instead and the Python version that added it. The dataset carries them (`replacements`); the hand list here is
 * one of their sources, read by the pipeline (scripts/lib/replacements.ts) and verified against the dataset by
 * tests/tools/alternatives.test.ts. Pure: give it the APIs of one version.
 */
import type { Api, Replacement } from './types.ts';
import { compareVersions } from './versions.ts';

export interface HandAlternative {
  /** The API to replace. */
  readonly name: string;
  /** What to use instead. */
  readonly replacement: string;
  /** The version that added the replacement (the docs' version note); null: in every version of the dataset. */
  readonly since: string | null;
  /** Why it is safer, in a short phrase. */
  readonly why: string;
}

/** Why a replacement that hands out a strong reference is safer; the pipeline gives the same reason to `XRef` twins. */
export const STRONG = 'returns a strong reference';

/** Why a replacement of an API that clears errors raised inside it is safer. */
const REPORTS_ERRORS = 'reports errors instead of hiding them';

/** The hand list. Keep sorted by name; `since` must match the data (tested). */
export const HAND_ALTERNATIVES: readonly HandAlternative[] = [
  { name: 'PyCell_GET', replacement: 'PyCell_Get', since: null, why: STRONG },
  { name: 'PyDict_GetItem', replacement: 'PyDict_GetItemRef', since: '3.13', why: `${STRONG} and ${REPORTS_ERRORS}` },
  { name: 'PyDict_GetItemString', replacement: 'PyDict_GetItemStringRef', since: '3.13', why: `${STRONG} and ${REPORTS_ERRORS}` },
  { name: 'PyDict_GetItemWithError', replacement: 'PyDict_GetItemRef', since: '3.13', why: STRONG },
  { name: 'PyDict_SetDefault', replacement: 'PyDict_SetDefaultRef', since: '3.13', why: STRONG },
  { name: 'PyErr_Fetch', replacement: 'PyErr_GetRaisedException', since: '3.12', why: 'one normalized exception object instead of three references' },
  { name: 'PyErr_GetExcInfo', replacement: 'PyErr_GetHandledException', since: '3.11', why: 'one exception object instead of three references' },
  { name: 'PyErr_NormalizeException', replacement: 'PyErr_GetRaisedException', since: '3.12', why: 'the raised exception is always normalized' },
  { name: 'PyErr_Restore', replacement: 'PyErr_SetRaisedException', since: '3.12', why: 'one exception object instead of three references' },
  { name: 'PyEval_GetBuiltins', replacement: 'PyEval_GetFrameBuiltins', since: '3.13', why: STRONG },
  { name: 'PyEval_GetGlobals', replacement: 'PyEval_GetFrameGlobals', since: '3.13', why: STRONG },
  { name: 'PyEval_GetLocals', replacement: 'PyEval_GetFrameLocals', since: '3.13', why: STRONG },
  { name: 'PyImport_AddModule', replacement: 'PyImport_AddModuleRef', since: '3.13', why: STRONG },
  { name: 'PyImport_ImportModuleNoBlock', replacement: 'PyImport_ImportModule', since: null, why: 'the same function, not deprecated' },
  { name: 'PyList_GetItem', replacement: 'PyList_GetItemRef', since: '3.13', why: STRONG },
  { name: 'PyMapping_HasKey', replacement: 'PyMapping_HasKeyWithError', since: '3.13', why: REPORTS_ERRORS },
  { name: 'PyMapping_HasKeyString', replacement: 'PyMapping_HasKeyStringWithError', since: '3.13', why: REPORTS_ERRORS },
  { name: 'PyModule_AddObject', replacement: 'PyModule_Add', since: '3.13', why: 'always steals the value, even on failure, so no leak on the error path' },
  { name: 'PyModule_AddObject', replacement: 'PyModule_AddObjectRef', since: '3.10', why: 'never steals the value: you always release it yourself' },
  { name: 'PyObject_HasAttr', replacement: 'PyObject_HasAttrWithError', since: '3.13', why: REPORTS_ERRORS },
  { name: 'PyObject_HasAttrString', replacement: 'PyObject_HasAttrStringWithError', since: '3.13', why: REPORTS_ERRORS },
  { name: 'PySys_GetObject', replacement: 'PySys_GetAttr', since: '3.15', why: `${STRONG} and raises an error if the attribute is missing` },
  { name: 'PyWeakref_GET_OBJECT', replacement: 'PyWeakref_GetRef', since: '3.13', why: STRONG },
  { name: 'PyWeakref_GetObject', replacement: 'PyWeakref_GetRef', since: '3.13', why: STRONG },
];

export interface Alternative {
  readonly replacement: string;
  /** The version that brought the replacement, or null when it is in every version of the dataset. */
  readonly since: string | null;
  readonly why: string;
  /** Where the suggestion comes from: the docs' deprecation note, the hand list above, or an `XRef` twin. */
  readonly origin: Replacement['source'];
  /** Whether the replacement can be used when targeting the version asked about. */
  readonly available: boolean;
}

/**
 * The alternatives to `name` for code that targets `target`, given the APIs of `target`: the dataset's
 * replacements for it (the pipeline gathers them from the docs, this hand list and `XRef` twins, across all
 * versions), each marked usable or not in `target`, the usable ones first and newest first. For a name `target`
 * no longer has, pass the replacements its last version gave.
 */
export function alternativesFor(name: string, apis: ReadonlyMap<string, Pick<Api, 'replacements'>>, target: string, formerly?: readonly Replacement[]): Alternative[] {
  return (apis.get(name)?.replacements ?? formerly ?? [])
    .map((replacement) => ({
      replacement: replacement.name,
      since: replacement.since,
      why: replacement.why,
      origin: replacement.source,
      available: apis.has(replacement.name) && (replacement.since === null || compareVersions(replacement.since, target) <= 0),
    }))
    .sort((a, b) => Number(b.available) - Number(a.available) || compareVersions(b.since ?? '0', a.since ?? '0'));
}

/** "PyDict_GetItemRef (added in 3.13)" */
export function describeAlternative(alt: Alternative): string {
  const since = alt.since === null ? '' : ` (added in ${alt.since})`;
  return `${alt.replacement}${since}: ${alt.why}`;
}
