/**
 * How each callable API reports failure: what its docs' prose states, or else one of these written-down rules,
 * recorded as evidence with its id. Pure.
 *
 * - always-null: the docs annotate the return as always NULL (PyErr_SetString's family): NULL with an exception.
 * - type-check: a test (`*_Check`, `*_CheckExact`, `Py_Is*`, `*_Matches`) answers yes or no and cannot fail.
 * - reference-helper: `Py_NewRef`, `Py_XNewRef` and the count macros only change a count: they cannot fail.
 * - state-getter: `PyThreadState_Get*`, `PyInterpreterState_Get*`, `PyInterpreterState_Main` read the runtime's
 *   state; without a thread state they are a fatal error, not a NULL with an exception.
 * - allocator: `PyMem_*` and `PyObject_Malloc`/`Calloc`/`Realloc` return NULL without setting an exception, as
 *   the memory-management page says of the whole family.
 * - object-allocator: `PyObject_New`, `PyObject_NewVar`, their GC and upper-case spellings make an object; when that
 *   fails they set MemoryError and return NULL, as any function making an object does (the functions behind the
 *   macros call PyErr_NoMemory). The 3.13 docs made them macros, which the next rule would call unchecked.
 * - macro: a macro the prose says nothing about checks nothing (PyList_GET_ITEM): unchecked; unless
 * - macro-call: its definition gives the result of a function of the C-API whose convention a source states or a
 *   probe measured (`#define PyLong_FromPid PyLong_FromLong`): it reports failure as that function does
 *   (carryCalleeErrors, once every API's own convention is known).
 * - void-return: a void function has no way to report a failure.
 * - stated-default: the C-API's introduction says that, unless documented otherwise, a function that fails sets
 *   an exception and returns NULL or -1 depending on its return type: pointers NULL, signed integers -1.
 * - status-return: the initialization API returns a PyStatus, tested with PyStatus_Exception().
 * - sentinel-return: an unsigned or floating-point result uses (unsigned)-1 or -1.0, which is also a valid value,
 *   so the caller must ask PyErr_Occurred().
 */
import type { Api } from '../../src/schema/api.ts';
import type { ErrorConvention, Errors } from '../../src/schema/errors.ts';
import type { Conflict, Evidence } from '../../src/schema/evidence.ts';
import type { ReturnOwnership } from '../../src/schema/ownership.ts';
import { errorReturnKind, findProseErrors } from '../sources/docs-prose.ts';

export interface ErrorInputs {
  name: string;
  kind: Api['kind'];
  returnType: string;
  returnOwnership: ReturnOwnership;
  /** The docs' prose, marked as docs-html.ts renders it; '' for an undocumented API. */
  prose: string;
  /** Where evidence points: the docs anchor, or the header. */
  location: string;
}

/** Reference-count helpers: they change a count and return their argument, or nothing. */
const REFERENCE_HELPERS: ReadonlySet<string> = new Set(['Py_NewRef', 'Py_XNewRef', 'Py_INCREF', 'Py_XINCREF', 'Py_DECREF', 'Py_XDECREF', 'Py_IncRef', 'Py_DecRef', 'Py_XIncRef', 'Py_XDecRef', 'Py_CLEAR', 'Py_SETREF', 'Py_XSETREF']);

function ruleFor(inputs: ErrorInputs): { value: ErrorConvention; rule: string } | null {
  const leaf = inputs.name.split('.').at(-1)!;
  if (inputs.returnOwnership === 'always-null') return { value: 'null-with-exception', rule: 'always-null' };
  if (/_Check(?:Exact)?$|^Py_Is[A-Z]\w*$|Matches$/.test(leaf) && errorReturnKind(inputs.returnType) !== 'pointer') return { value: 'cannot-fail', rule: 'type-check' };
  if (REFERENCE_HELPERS.has(leaf)) return { value: 'cannot-fail', rule: 'reference-helper' };
  if (/^Py(?:ThreadState|InterpreterState)_(?:Get\w*|Main)$/.test(leaf)) return { value: 'cannot-fail', rule: 'state-getter' };
  if (/^PyMem_(?:Raw)?(?:Malloc|Calloc|Realloc|New|Resize)$|^PyObject_(?:Malloc|Calloc|Realloc)$/.test(leaf)) return { value: 'null-without-exception', rule: 'allocator' };
  if (/^PyObject_(?:GC_)?(?:New|NEW)(?:Var|_VAR)?$/.test(leaf)) return { value: 'null-with-exception', rule: 'object-allocator' };
  if (inputs.kind === 'macro') return { value: 'unchecked', rule: 'macro' };
  if (inputs.returnType === 'void') return { value: 'cannot-fail', rule: 'void-return' };
  if (inputs.returnType === 'PyStatus') return { value: 'status', rule: 'status-return' };
  if (errorReturnKind(inputs.returnType) === 'pointer') return { value: 'null-with-exception', rule: 'stated-default' };
  if (errorReturnKind(inputs.returnType) === 'integer') {
    const sentinel = /\b(?:unsigned|size_t|uint\d+_t|double|float)\b/.test(inputs.returnType);
    return sentinel ? { value: 'ambiguous-minus-one', rule: 'sentinel-return' } : { value: 'minus-one-with-exception', rule: 'stated-default' };
  }
  return null;
}

/**
 * Whether a measured failure bears out a stated convention: a call that returned -1 with an exception set fits
 * "-1 with an exception" and also "-1 that may be a value" (the probe made it fail; it did not ask for -1).
 */
export function measurementFits(measured: ErrorConvention, stated: ErrorConvention): boolean {
  return measured === stated || (measured === 'minus-one-with-exception' && stated === 'ambiguous-minus-one');
}

export interface MeasuredErrors {
  value: ErrorConvention | null;
  detail: string;
  /** The runtime results file, for the evidence. */
  location: string;
}

export function decideErrors(inputs: ErrorInputs, evidence: Evidence[], conflicts: Conflict[], measured?: MeasuredErrors): Errors {
  const stated = inputs.prose === '' ? null : findProseErrors(inputs.prose, inputs.returnType);
  const inferred = stated ? null : ruleFor(inputs);
  if (measured?.value) evidence.push({ field: 'errors', source: 'runtime', value: measured.value, location: measured.location, raw: measured.detail });
  if (stated) evidence.push({ field: 'errors', source: 'docs-prose', value: stated.value, location: inputs.location, raw: stated.rule });
  if (inferred) evidence.push({ field: 'errors', source: 'inference', value: inferred.value, location: inputs.location, raw: inferred.rule });
  const claimed = stated ?? inferred;
  if (measured?.value) {
    if (claimed && measurementFits(measured.value, claimed.value)) return { convention: claimed.value, confidence: 'runtime-confirmed' };
    if (claimed) {
      conflicts.push({
        field: 'errors',
        values: [
          { source: 'runtime', value: measured.value },
          { source: stated ? 'docs-prose' : 'inference', value: claimed.value },
        ],
        chosen: measured.value,
        reason: 'The runtime measurement is kept: the call built to fail reported its failure this way on a real CPython build.',
      });
    }
    return { convention: measured.value, confidence: 'runtime-confirmed' };
  }
  if (claimed) return { convention: claimed.value, confidence: stated ? 'documented' : 'inferred' };
  return { convention: 'unknown', confidence: 'unknown' };
}

/**
 * The macro-call rule: a macro left unchecked by the macro rule whose definition gives the result of another API
 * (`calleeOf`, from the macro reader) takes that API's convention, when a source states it or a probe measured it
 * (an inferred one is a guess, not passed on). The macro's evidence names the rule and points at the callee.
 */
export function carryCalleeErrors(apis: readonly Api[], calleeOf: (api: Api) => string | undefined, locationOf: (api: Api) => string): Api[] {
  const byName = new Map(apis.map((api) => [api.name, api]));
  return apis.map((api) => {
    if (api.kind !== 'macro' || api.errors?.confidence !== 'inferred') return api;
    const byMacroRule = api.evidence.findIndex((e) => e.field === 'errors' && e.source === 'inference' && e.raw === 'macro');
    const callee = byName.get(calleeOf(api) ?? '');
    if (byMacroRule < 0 || !callee || callee === api || !callee.errors) return api;
    if (callee.errors.confidence !== 'documented' && callee.errors.confidence !== 'runtime-confirmed') return api;
    const convention = callee.errors.convention;
    const evidence = api.evidence.map((e, i) => (i === byMacroRule ? { ...e, value: convention, location: locationOf(callee), raw: 'macro-call' } : e));
    return { ...api, errors: { ...api.errors, convention }, evidence };
  });
}
