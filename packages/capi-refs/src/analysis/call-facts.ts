/**
 * What a call does to references: the transfer facts of the ownership engine. They come from the dataset for the
 * target version (return ownership, each parameter's ownership, the error convention), from the format string of
 * `Py_BuildValue` and `PyArg_Parse*` when it is a literal, and from the summaries inferred for the file's own
 * functions. The reference-counting primitives themselves (Py_INCREF, Py_DECREF, Py_NewRef...) are the engine's
 * vocabulary and are handled there.
 */
import type { CheckerApi } from '../checker-facts.ts';
import type { Expr } from './expressions.ts';
import { buildValueArgs, FORMAT_CALLS, parseTupleArgs } from './format-strings.ts';

/** What the call does with one argument. */
export type ArgEffect = 'borrow' | 'steal' | 'steal-on-success' | 'out-new' | 'out-borrowed' | 'in-out' | 'ignore' | 'escape';

/**
 * How a call reports failure, as the values its result takes: `null` for a pointer that is NULL exactly on failure;
 * otherwise the integers returned on failure and on success (a test tells the two apart only where every failure
 * value and every success value fall on different sides). `raises`: a failure leaves an exception set, as far as
 * sources state it (not for a convention only inferred).
 *
 * A NULL result is not read as "an exception is set": the dataset's NULL conventions include answers that are no
 * failure (PyIter_Next at the end, PyDict_GetItemWithError when the key is missing).
 */
export type Failure =
  | { readonly kind: 'null' }
  | {
      readonly kind: 'int';
      readonly raises: boolean;
      readonly failure: readonly number[];
      readonly success: readonly number[];
      /** The results with which the out-parameters hold a reference (1 for PyDict_GetItemRef: 0 is "not found", NULL). */
      readonly present?: readonly number[];
    }
  | null;

/**
 * The lookups that answer 1 (found, the out-parameter set), 0 (not found, NULL) or -1 (error, NULL):
 * PyDict_GetItemRef, PyWeakref_GetRef, PyMapping_GetOptionalItem, PyDict_Pop...
 */
const FOUND_OR_NOT = /(Ref|^PyDict_Pop\w*|GetOptional\w*)$/;

export interface CallFacts {
  readonly name: string;
  /** Ownership of an object return; `none` when the call returns no object; `unknown` when no source says. */
  readonly returns: 'new' | 'borrowed' | 'none' | 'unknown';
  readonly args: readonly ArgEffect[];
  readonly failure: Failure;
  /** The new reference returned is always to a singleton (a file function that only does `Py_RETURN_NONE`). */
  readonly returnsSingleton?: boolean;
  /** The new reference returned is to the argument of this index (`static PyObject *incref(PyObject *o)`). */
  readonly returnsArgument?: number;
  /** Where the facts come from, for messages. */
  readonly source: 'dataset' | 'summary';
}

const FAILURE_BY_CONVENTION: Readonly<Record<string, Failure>> = {
  'null-with-exception': { kind: 'null' },
  'null-without-exception': { kind: 'null' },
  'minus-one-with-exception': { kind: 'int', raises: true, failure: [-1], success: [0] },
  'zero-with-exception': { kind: 'int', raises: true, failure: [0], success: [1] },
};

const PARAM_EFFECT: Readonly<Record<string, ArgEffect>> = {
  borrowed: 'borrow',
  stolen: 'steal',
  'stolen-on-success': 'steal-on-success',
  'out-new': 'out-new',
  'out-borrowed': 'out-borrowed',
  'in-out': 'in-out',
  'no-object': 'ignore',
  unknown: 'escape',
};

const VOID_POINTER = /^(const\s+)?void\s*\*$/;

function stringArg(args: readonly Expr[], index: number): string | null {
  const e = args[index];
  return e?.t === 'string' ? e.value : null;
}

/** The effects on the variadic arguments that a literal format string describes, and where they start; null when unknown. */
function formatArgEffects(name: string, args: readonly Expr[]): { first: number; effects: ArgEffect[] } | null {
  const call = FORMAT_CALLS.get(name);
  if (!call || call.firstVariadicArgument === null) return null;
  const first = call.firstVariadicArgument;
  if (call.kind === 'unpack') return { first, effects: Array.from({ length: Math.max(0, args.length - first) }, () => 'out-borrowed' as const) };
  const format = call.formatArgument === null ? null : stringArg(args, call.formatArgument);
  if (format === null) return null;
  if (call.kind === 'build') {
    const uses = buildValueArgs(format);
    return uses ? { first, effects: uses.map((u) => (u === 'steals' ? 'steal' : u === 'borrows' ? 'borrow' : 'ignore')) } : null;
  }
  const uses = parseTupleArgs(format);
  return uses ? { first, effects: uses.map((u) => (u === 'out-borrowed' ? 'out-borrowed' : 'ignore')) } : null;
}

/** The facts of a call to a dataset API with these argument expressions. */
export function apiCallFacts(api: CheckerApi, args: readonly Expr[]): CallFacts {
  const fixed = api.params.filter((p) => p.name !== '...');
  const variadic = api.params.find((p) => p.name === '...');
  // An object passed as an untyped pointer (Py_AddPendingCall's `void *arg`, a capsule's pointer) may be kept by
  // the callee for later: the reference is handed over as far as the checker can tell.
  const effects: ArgEffect[] = fixed.map((p) => (p.ownership === 'no-object' && VOID_POINTER.test(p.type) ? 'escape' : (PARAM_EFFECT[p.ownership] ?? 'escape')));
  const rest = formatArgEffects(api.name, args);
  // Arguments between the fixed ones and the first variadic one (PyArg_ParseTupleAndKeywords' keyword list) are not objects.
  while (rest && effects.length < rest.first) effects.push('ignore');
  // Variadic objects are read, not kept (PyUnicode_FromFormat's %R, PyObject_CallFunctionObjArgs), except where a
  // format the checker cannot read (not a literal) may hold `N`, which steals: those are let go.
  const variadicEffect: ArgEffect = variadic && !FORMAT_CALLS.has(api.name) && variadic.ownership !== 'unknown' ? 'borrow' : 'escape';
  const all = rest ? [...effects, ...rest.effects] : [...effects, ...Array.from({ length: Math.max(0, args.length - fixed.length) }, () => variadicEffect)];
  // A return ownership the dataset only infers (a naming convention) is a guess: findings are not built on it.
  const ownership = api.returns?.confidence === 'inferred' ? 'unknown' : api.returns?.ownership;
  const stated = FAILURE_BY_CONVENTION[api.errors?.convention ?? ''] ?? null;
  const failure = stated?.kind === 'int' && api.errors?.confidence === 'inferred' ? { ...stated, raises: false } : stated;
  const foundOrNot = failure?.kind === 'int' && fixed.some((p) => p.ownership === 'out-new') && FOUND_OR_NOT.test(api.name);
  return {
    name: api.name,
    returns: ownership === 'new' ? 'new' : ownership === 'borrowed' ? 'borrowed' : ownership === 'unknown' ? 'unknown' : 'none',
    args: all,
    failure: foundOrNot ? { kind: 'int', raises: true, failure: [-1], success: [0, 1], present: [1] } : failure,
    source: 'dataset',
  };
}

/** What the engine learns about one of the file's own functions, used where the file calls it. */
export interface FunctionSummary {
  readonly name: string;
  readonly returns: 'new' | 'borrowed' | 'none' | 'unknown';
  /** Every new reference it returns is to Py_None or another singleton. */
  readonly returnsSingleton: boolean;
  /** Every new reference it returns is to its parameter of this index, or null. */
  readonly returnsArgument: number | null;
  /** Per parameter: `steal` when some path releases or hands over the reference the caller passed. */
  readonly params: readonly ArgEffect[];
  readonly returnsPointer: boolean;
}

export function summaryCallFacts(summary: FunctionSummary): CallFacts {
  return {
    name: summary.name,
    returns: summary.returns,
    returnsSingleton: summary.returnsSingleton,
    returnsArgument: summary.returnsArgument ?? undefined,
    args: summary.params,
    failure: summary.returnsPointer ? { kind: 'null' } : null,
    source: 'summary',
  };
}
