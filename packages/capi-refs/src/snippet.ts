/**
 * "How to call it": a short C function that calls one API the way its facts in the dataset require, for the site's
 * API pages (and any tool). The success path and the failure path are both done right: a reference the caller
 * owns is released, a borrowed one never is, nothing is touched after a steal (and a reference a call takes only
 * on success is released when it fails), memory the call hands over is freed with the function its docs name, and
 * the result is tested as the API's error convention says.
 * What a snippet cannot take as its own parameters (a variadic call's variable part, the type a macro takes) comes
 * from call-samples.ts. Pure: from an API's facts in one version to C text, or null when the API cannot be called
 * that simply (not a function or macro, variadic without a sample, a parameter whose type is not a plain declaration).
 */
import { buildValueArgs, FORMAT_CALLS, parseTupleArgs } from './analysis/format-strings.ts';
import type { Api, ErrorConvention, Param, ParamOwnership } from './types.ts';
import { CALL_SAMPLES, type CallSample } from './call-samples.ts';
import { compareVersions } from './versions.ts';

export interface Snippet {
  /** The C text: one static function named call_<API>. */
  readonly code: string;
  /** The name of that function. */
  readonly function: string;
  /** That function's parameters, in order: the API's own, but for the out-parameters it fills and the fixed parts of a variadic call. */
  readonly params: readonly Param[];
  /** Whether some of its arguments (a variadic call's variable part, a type) are a sample from call-samples.ts: one correct choice of many. */
  readonly sampled: boolean;
}

const OBJECT_RETURNS = new Set(['new', 'borrowed']);
const STOLEN = new Set(['stolen', 'stolen-on-success']);
const OUT = new Set(['out-new', 'out-borrowed']);

/** `PyObject *` + `o` → `PyObject *o`; `int` + `n` → `int n`. */
function declare(type: string, name: string): string {
  const t = type.trim();
  return t.endsWith('*') ? `${t}${name}` : `${t} ${name}`;
}

function usable(p: Param): boolean {
  return /^[A-Za-z_]\w*$/.test(p.name) && p.type.trim() !== '' && !/[([\]]|\.\.\./.test(p.type);
}

/** What a failing call is tested with, for a result of `type` held in `r` (null: the convention gives no test). */
function failureTest(convention: ErrorConvention | undefined, r: string, type: string): string | null {
  // An unsigned result reports failure as (T)-1: compared as such, not as a negative number.
  const unsigned = /\b(unsigned|size_t)\b/.test(type);
  const minusOne = unsigned ? `(${type})-1` : '-1';
  switch (convention) {
    case 'null-with-exception':
    case 'null-without-exception':
      return `${r} == NULL`;
    case 'minus-one-with-exception':
      return unsigned ? `${r} == ${minusOne}` : `${r} < 0`;
    case 'ambiguous-minus-one':
      return `${r} == ${minusOne} && PyErr_Occurred()`;
    case 'zero-with-exception':
      return `${r} == 0`;
    default:
      return null;
  }
}

const NO_TEST_WORDS: Partial<Record<ErrorConvention, string>> = {
  'cannot-fail': 'it cannot fail',
  suppressed: 'it hides its errors: a failure looks like an ordinary result',
  unchecked: 'it does not check its arguments: pass valid ones',
  status: 'its result is a status, not an error',
  unknown: 'no source says how it reports failure',
};

/**
 * No snippet, with the reason: the reference-count primitives themselves (what they do is the subject of every
 * other snippet), and macros that work only inside the code they belong to (Py_VISIT needs tp_traverse's `visit`
 * and `arg`).
 */
const PRIMITIVE = 'a reference-count primitive: every other snippet shows it at work';
const NOT_ALONE: ReadonlyMap<string, string> = new Map([
  ...['Py_INCREF', 'Py_XINCREF', 'Py_DECREF', 'Py_XDECREF', 'Py_CLEAR', 'Py_NewRef', 'Py_XNewRef', 'Py_SETREF', 'Py_XSETREF', 'Py_IncRef', 'Py_DecRef', 'Py_XIncRef', 'Py_XDecRef'].map((name) => [name, PRIMITIVE] as const),
  ['Py_VISIT', "works only inside a tp_traverse function, with its visit and arg"],
  ['Py_UNREACHABLE', 'marks code that is never reached: nothing to call'],
]);

/** What a call is given, in order: a parameter of the snippet's (or a local it fills), or fixed C text. */
type CallArgument = Param | { readonly literal: string };

const BUILD_OWNERSHIP: Readonly<Record<string, ParamOwnership>> = { steals: 'stolen', borrows: 'borrowed', value: 'no-object' };
const PARSE_OWNERSHIP: Readonly<Record<string, ParamOwnership>> = { 'out-borrowed': 'out-borrowed', value: 'no-object' };

/**
 * The arguments of a call with `sample` giving its fixed parts and variable arguments. Each variable object is passed
 * as the format says where the checker reads the format (FORMAT_CALLS), else as the dataset's '...' parameter says. A
 * sample that does not fit the API's parameters, or whose format the reader cannot follow, is a mistake in
 * call-samples.ts.
 */
function sampleArguments(api: Api, sample: CallSample): CallArgument[] {
  const where = `call-samples.ts, ${api.name}`;
  for (const name of Object.keys(sample.fixed)) if (!api.params.some((p) => p.name === name)) throw new Error(`${where}: no parameter ${name} (the API has ${api.params.map((p) => p.name).join(', ')}); correct the sample.`);
  for (const a of sample.rest) if ('name' in a && api.params.some((p) => p.name === a.name)) throw new Error(`${where}: the variable argument ${a.name} has the name of a parameter; rename it.`);
  const varargs = api.params.find((p) => p.name === '...');
  if (!varargs && sample.rest.length > 0) throw new Error(`${where}: variable arguments for a call that takes none; correct the sample.`);
  const fixedParams = api.params.filter((p) => p.name !== '...');
  const formatCall = FORMAT_CALLS.get(api.name);
  let uses: readonly ParamOwnership[] | null = null;
  if (formatCall) {
    const formatText = formatCall.formatArgument === null ? null : sample.fixed[fixedParams[formatCall.formatArgument]!.name];
    const format = formatText === undefined || formatText === null ? null : (JSON.parse(formatText) as string);
    const read = formatCall.kind === 'unpack' ? sample.rest.map(() => 'out-borrowed') : format === null ? null : formatCall.kind === 'build' ? buildValueArgs(format) : parseTupleArgs(format);
    const table = formatCall.kind === 'build' ? BUILD_OWNERSHIP : PARSE_OWNERSHIP;
    uses = read && read.every((u) => table[u]) ? read.map((u) => table[u]!) : null;
    if (!uses || uses.length !== sample.rest.length) throw new Error(`${where}: its format ${formatText ?? '(none)'} does not fit its ${sample.rest.length} variable arguments, or uses units a snippet cannot give; correct the sample.`);
  }
  const fixedArguments = fixedParams.map((p): CallArgument => (sample.fixed[p.name] === undefined ? p : { literal: sample.fixed[p.name]! }));
  const restArguments = sample.rest.map((a, i): CallArgument => ('literal' in a ? a : { name: a.name, type: a.type, ownership: uses ? uses[i]! : varargs!.ownership, confidence: varargs!.confidence }));
  return [...fixedArguments, ...restArguments];
}

/**
 * The arguments a snippet passes, or why there is no snippet. A parameter the declaration leaves unnamed
 * (`void PyGILState_Release(PyGILState_STATE)`) is named by its position.
 */
function callArgumentsOf(api: Api, samples: Readonly<Record<string, CallSample>>): { callArguments: CallArgument[]; params: Param[]; sample: CallSample | undefined } | { reason: string } {
  // Python's own names (the docs also describe a few of the C library's, such as pthread_exit).
  const callable = (api.kind === 'function' || api.kind === 'macro') && /^_?Py/.test(api.name) && /^[A-Za-z_]\w*$/.test(api.name) && api.signature.includes(`${api.name}(`);
  if (!callable) return { reason: 'not a call: a type, a variable, a constant or a declaration' };
  if (NOT_ALONE.has(api.name)) return { reason: NOT_ALONE.get(api.name)! };
  const sample = samples[api.name];
  if (api.signature.includes('...') && !sample) return { reason: 'variadic, and call-samples.ts has no sample of its variable part' };
  const named = api.params.map((p, i) => (p.name === '' && p.type !== '...' ? { ...p, name: `arg${i + 1}` } : p));
  const callArguments = sample ? sampleArguments({ ...api, params: named }, sample) : named;
  const params = callArguments.filter((a): a is Param => !('literal' in a));
  if (!params.every(usable)) return { reason: 'a parameter that is not a plain C declaration (a type name, an untyped macro argument, a function or an array)' };
  if (params.some((p) => p.ownership === 'unknown') || api.returns?.ownership === 'unknown') return { reason: 'no source says who owns one of its references' };
  return { callArguments, params, sample };
}

/** Why `api` has no snippet; null when it has one. */
export function noSnippetReason(api: Api, samples: Readonly<Record<string, CallSample>> = CALL_SAMPLES): string | null {
  const result = callArgumentsOf(api, samples);
  return 'reason' in result ? result.reason : null;
}

/** `samples`: the variable part of each variadic call (a test may pass others). */
export function callSnippet(api: Api, version: string, samples: Readonly<Record<string, CallSample>> = CALL_SAMPLES): Snippet | null {
  const prepared = callArgumentsOf(api, samples);
  if ('reason' in prepared) return null;
  const { callArguments, params, sample } = prepared;
  const names = new Set(params.map((p) => p.name));
  const local = (base: string): string => {
    let name = base;
    while (names.has(name)) name = `${name}_`;
    names.add(name);
    return name;
  };
  const hasNewRef = compareVersions(version, '3.10') >= 0;
  const newRef = (x: string): string => (hasNewRef ? `Py_NewRef(${x})` : `(Py_INCREF(${x}), ${x})`);
  // A macro's docs may give no return type: an object it hands out is a PyObject *, anything else is not used.
  const returnType = sample?.returns ?? (api.returns?.type.trim() || (api.returns && OBJECT_RETURNS.has(api.returns.ownership) ? 'PyObject *' : 'void'));
  // A pointer to a slot (PyObject **) is not a reference of anyone's.
  const returnsObject = api.returns !== null && OBJECT_RETURNS.has(api.returns.ownership) && /[^*]\s*\*$/.test(returnType);
  const fail = returnsObject || api.returns?.ownership === 'always-null' ? 'NULL' : '-1';
  const convention = api.errors?.convention;
  const freeWith = api.returns?.freeWith;

  const wrapperParams: Param[] = [];
  const before: string[] = [];
  const args: string[] = [];
  const onFailure: string[] = [];
  const after: string[] = [];
  for (const p of callArguments) {
    if ('literal' in p) {
      args.push(p.literal);
      continue;
    }
    // A converter's `void *` result (PyUnicode_FSConverter) is the address of a PyObject * too.
    const converterResult = p.type.trim() === 'void *';
    if (OUT.has(p.ownership) && (p.type.trim().endsWith('**') || converterResult)) {
      before.push(`${declare(converterResult ? 'PyObject *' : p.type.trim().slice(0, -1).trim(), p.name)} = NULL;`);
      args.push(`&${p.name}`);
      after.push(
        p.ownership === 'out-new'
          ? `/* ${p.name}: a new reference of yours (it may be NULL): release it when done */\nPy_XDECREF(${p.name});`
          : `/* ${p.name}: borrowed, do not release it */`,
      );
      continue;
    }
    wrapperParams.push(p);
    if (STOLEN.has(p.ownership)) {
      const ref = local(`${p.name}_ref`);
      const always = p.ownership === 'stolen';
      before.push(`/* ${api.name} steals the reference passed as ${p.name}${always ? ', even when it fails' : ' only when it succeeds'}: pass one of your own */\n${declare(p.type, ref)} = ${p.type.trim() === 'PyObject *' ? newRef(p.name) : `(Py_INCREF(${p.name}), ${p.name})`};`);
      args.push(ref);
      onFailure.push(always ? `/* ${ref} was taken anyway: do not release it */` : `Py_DECREF(${ref});  /* not taken: still yours */`);
      after.push(`/* ${ref} belongs to the call now: do not use or release it */`);
    } else args.push(p.name);
  }
  const call = `${api.name}(${args.join(', ')})`;
  const fn = `call_${api.name}`;
  const body: string[] = [...before, ...(sample?.declarations ?? []), ...(sample?.note ? [`/* ${sample.note} */`] : [])];
  const failBlock = (test: string): string => `if (${test}) {\n${[...onFailure, `return ${fail};`].map((l) => `    ${l.replace(/\n/g, '\n    ')}`).join('\n')}\n}`;

  let finalReturn: string;
  if (api.returns?.ownership === 'always-null') {
    body.push(`/* ${api.name} always returns NULL, with the exception it sets */`);
    body.push(`return ${call};`);
    return { function: fn, params: wrapperParams, sampled: sample !== undefined, code: `static PyObject *\n${fn}(${parameterList(wrapperParams)})\n{\n${indent(body)}\n}\n` };
  }
  if (returnsObject) {
    const borrowed = api.returns!.ownership === 'borrowed';
    const r = local(borrowed ? 'borrowed' : 'result');
    body.push(`${declare(returnType, r)} = ${call};${borrowed ? '  /* borrowed: do not release it */' : '  /* a new reference: yours to release */'}`);
    const test = failureTest(convention, r, returnType) ?? `${r} == NULL`;
    if (convention === 'null-without-exception' || convention === 'suppressed') {
      const nothing = returnType === 'PyObject *' ? 'Py_RETURN_NONE;' : 'return NULL;';
      body.push(`if (${r} == NULL) {\n    /* NULL here sets no exception: nothing was found */\n${onFailure.map((l) => `    ${l}\n`).join('')}    ${nothing}\n}`);
    } else body.push(failBlock(test));
    body.push(...after);
    // Py_NewRef takes and gives PyObject *; other object types (PyTypeObject *...) take Py_INCREF, which casts.
    const keep = returnType === 'PyObject *' ? [`return ${newRef(r)};`] : [`Py_INCREF(${r});`, `return ${r};`];
    if (borrowed) body.push(`/* to keep it, take your own reference before anything can release its owner */`, ...keep);
    else body.push(`return ${r};  /* handed to the caller */`);
    finalReturn = '';
  } else {
    const test = failureTest(convention, 'r', returnType);
    if (returnType === 'void') body.push(`${call};${convention && NO_TEST_WORDS[convention] ? `  /* ${NO_TEST_WORDS[convention]} */` : ''}`);
    else if (test) {
      body.push(`${declare(returnType, 'r')} = ${call};`);
      body.push(failBlock(test));
    } else {
      body.push(`${declare(returnType, 'r')} = ${call};${convention && NO_TEST_WORDS[convention] ? `  /* ${NO_TEST_WORDS[convention]} */` : ''}`);
      if (!freeWith) body.push('(void)r;');
    }
    // Memory the call hands over is the caller's to free, like a new reference.
    if (freeWith && returnType !== 'void') body.push(`/* the memory is yours: free it when done */\n${freeWith}(${/\bconst\b/.test(returnType) ? '(void *)r' : 'r'});`);
    body.push(...after);
    finalReturn = 'return 0;';
  }
  if (finalReturn) body.push(finalReturn);
  const wrapperType = returnsObject ? returnType : 'int';
  return { function: fn, params: wrapperParams, sampled: sample !== undefined, code: `static ${wrapperType}\n${fn}(${parameterList(wrapperParams)})\n{\n${indent(body)}\n}\n` };
}

function parameterList(params: readonly Param[]): string {
  return params.map((p) => declare(p.type, p.name)).join(', ') || 'void';
}

function indent(lines: readonly string[]): string {
  return lines
    .join('\n')
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}
