/**
 * Finds ownership statements in the docs' prose: steals (always, on success only, in-place replacement),
 * explicit non-steals, out-parameters that receive references, and what the return value is, for the many
 * functions the 'Return value:' annotation misses; and how a function reports errors. Pure: prose text (as docs-html.ts renders it, with
 * parameter names marked ⟦name⟧) and the parameter list in, claims out.
 *
 * Each rule has an id, recorded with the evidence, so that a reader can see which wording produced a value.
 */
import type { ErrorConvention } from '../../src/schema/errors.ts';
import type { ParamOwnership, ReturnOwnership } from '../../src/schema/ownership.ts';
import { isObjectPointer, isObjectPointerPointer, type CParam } from '../lib/c-declaration.ts';

export interface ProseClaim<Value> {
  value: Value;
  rule: string;
}

export interface ProseFindings {
  returns: ProseClaim<ReturnOwnership> | null;
  params: Map<string, ProseClaim<ParamOwnership>>;
}

const QUOTE = `["“”']?`;
const NAME = '⟦(\\w+)⟧';

/**
 * The docs emphasise words for stress too ("does *not* discard"); unmarked, they read as the words they are, so a
 * stressed negation still negates.
 */
const STRESSED_WORDS = /⟦(not|never|only|always|before|after|must|cannot|also|all|any|either|both|new|old)⟧/gi;

function sentences(prose: string): string[] {
  return prose.split(/(?<=[.;!?])\s+(?=[A-Z(⟦*])/);
}

/** 'even on error' beats 'on success': the docs of PyModule_Add say the former to contrast with the latter. */
function stealCondition(sentence: string): 'stolen' | 'stolen-on-success' {
  if (/even on error|even if .* fails|on (both )?success (and|or) (on )?failure/i.test(sentence)) return 'stolen';
  if (/\bon success\b|only .* on success|if it returns 0/i.test(sentence)) return 'stolen-on-success';
  return 'stolen';
}

interface ParamRule {
  id: string;
  pattern: RegExp;
  /** What the named parameter gets; 'steal' resolves to stolen, stolen-on-success or in-out. */
  effect: 'steal' | 'borrowed' | 'out-new' | 'out-borrowed';
}

const PARAM_RULES: ParamRule[] = [
  { id: 'does-not-steal', pattern: new RegExp(`does not ${QUOTE}steal${QUOTE} (?:a |any )?references? (?:to|of) ${NAME}`, 'gi'), effect: 'borrowed' },
  { id: 'steals-reference-to', pattern: new RegExp(`${QUOTE}steals?${QUOTE} (?:a |the )?references? (?:to|of) ${NAME}`, 'gi'), effect: 'steal' },
  { id: 'reference-is-stolen', pattern: new RegExp(`(?:reference to |old value of )?${NAME}(?: will| is)(?: still)?(?: be)? ${QUOTE}stolen${QUOTE}`, 'gi'), effect: 'steal' },
  { id: 'releases-reference-to', pattern: new RegExp(`(?:releases?|releasing|decrements?) (?:a |the )?(?:strong )?reference(?: count)? (?:to|of|for) (?:object )?${NAME}`, 'gi'), effect: 'steal' },
  { id: 'takes-away-reference-to', pattern: new RegExp(`takes? away (?:a |the )?reference to ${NAME}`, 'gi'), effect: 'steal' },
  { id: 'out-set-to-borrowed-reference', pattern: new RegExp(`\\bsets? \\*?\\s*(?:⟦(\\w+)⟧|(\\w+)) to a borrowed reference`, 'gi'), effect: 'out-borrowed' },
  { id: 'out-set-to-reference', pattern: new RegExp(`\\bsets? \\*?\\s*(?:⟦(\\w+)⟧|(\\w+)) to a (?:new )?(?:strong )?reference`, 'gi'), effect: 'out-new' },
  { id: 'out-is-set-to-reference', pattern: new RegExp(`\\*\\s*(?:⟦(\\w+)⟧|(\\w+)) is set to a (?:new )?(?:strong )?reference`, 'gi'), effect: 'out-new' },
];

/** Statements about every object parameter at once. */
const ALL_PARAM_RULES: { id: string; pattern: RegExp; effect: 'steal' | 'out-new' }[] = [
  { id: 'takes-away-each', pattern: /takes? away a reference to each object/i, effect: 'steal' },
  { id: 'steals-the-arguments', pattern: new RegExp(`${QUOTE}steals?${QUOTE} (?:the )?references? (?:of|to) (?:all (?:of )?(?:the )?|the )(?:\\w+ )?arguments`, 'i'), effect: 'steal' },
  { id: 'owns-each-retrieved', pattern: /you own a reference to each object retrieved/i, effect: 'out-new' },
  { id: 'new-references-for-each', pattern: /returns? new references for the (?:\w+ )?objects/i, effect: 'out-new' },
];

/**
 * In-place replacements of a `PyObject **`: the old reference is consumed and a new one stored in its place.
 * Each pattern captures the parameter's name, or names none when the function has only one such parameter.
 */
const IN_OUT_RULES: { id: string; pattern: RegExp }[] = [
  // PyUnicode_Append: "p_left must point to a strong reference …; … releases ("steals") this reference".
  { id: 'must-point-to-strong-reference', pattern: new RegExp(`${NAME} must point to a strong reference.*?(?:releases|steals)\\W+(?:\\W*steals\\W+)?this reference`, 'i') },
  // PyUnicode_InternInPlace: "sets *p_unicode to it (releasing the reference to the old string object …".
  { id: 'sets-releasing-old', pattern: /\bsets? \*\s*⟦?(\w+)⟧? to \w+ \(?releasing the reference to the old/i },
  // _PyTuple_Resize, _PyBytes_Resize: "think of it as destroying the old … and creating a new one".
  { id: 'destroys-old-creates-new', pattern: /destroying the old \w+ and creating a new|creating a new \w+ object and destroying the old/i },
];

const RETURN_RULES: { id: string; pattern: RegExp; value: ReturnOwnership }[] = [
  { id: 'returns-borrowed-reference', pattern: /\breturns? (?:a |the )?borrowed reference|\bas a borrowed reference|you do not own a reference to the return value|\bthe returned (?:\w+ )?borrowed reference/i, value: 'borrowed' },
  { id: 'returns-new-reference', pattern: /\breturns? (?:a |the )?(?:new |strong |new strong )reference|\bas a new (?:strong )?reference|\breturn value is a (?:new|strong) reference|\ba new (?:strong )?reference is returned|^(?:get|create) a (?:new )?strong reference/i, value: 'new' },
  // A freshly created object can only be handed out as a new reference.
  { id: 'returns-new-object', pattern: /\breturns? a (?:new|newly created) (?:[\w.]+ ){0,2}?(?:object|instance|frozendict|dict|dictionary|list|tuple|set|str|string|bytes)\b/i, value: 'new' },
];

export function findProseOwnership(markedProse: string, params: readonly CParam[]): ProseFindings {
  const prose = markedProse.replace(STRESSED_WORDS, '$1');
  const byName = new Map(params.map((param) => [param.name, param]));
  const objectParams = params.filter((param) => isObjectPointer(param.type) || isObjectPointerPointer(param.type));
  const findings: ProseFindings = { returns: null, params: new Map() };

  const claim = (param: CParam, effect: ParamRule['effect'], sentence: string, rule: string): void => {
    if (findings.params.has(param.name)) return;
    let value: ParamOwnership;
    if (effect === 'borrowed') value = 'borrowed';
    else if (effect === 'out-new' || effect === 'out-borrowed') {
      if (!isObjectPointerPointer(param.type)) return;
      value = effect;
    } else value = isObjectPointerPointer(param.type) ? 'in-out' : stealCondition(sentence);
    findings.params.set(param.name, { value, rule });
  };

  /**
   * The prose sometimes names a parameter differently from the signature (PyList_SET_ITEM's "item" is its
   * parameter "o"). The stolen one is then the last object parameter, the value being stored.
   */
  const resolve = (name: string): { param: CParam; rule: string } | null => {
    const param = byName.get(name);
    if (param) return isObjectPointer(param.type) || isObjectPointerPointer(param.type) || param.type === '' ? { param, rule: '' } : null;
    const last = objectParams.at(-1);
    return last ? { param: last, rule: `; prose names '${name}', taken as the last object parameter '${last.name}'` } : null;
  };

  for (const sentence of sentences(prose)) {
    for (const rule of PARAM_RULES) {
      for (const match of sentence.matchAll(rule.pattern)) {
        const name = match[1] ?? match[2];
        if (!name) continue;
        const target = rule.effect === 'out-new' || rule.effect === 'out-borrowed' ? (byName.has(name) ? { param: byName.get(name)!, rule: '' } : null) : resolve(name);
        if (target) claim(target.param, rule.effect, sentence, rule.id + target.rule);
      }
    }
    for (const rule of ALL_PARAM_RULES) {
      if (!rule.pattern.test(sentence)) continue;
      for (const param of objectParams) claim(param, rule.effect, sentence, rule.id);
    }
  }
  const pointerPointers = params.filter((param) => isObjectPointerPointer(param.type));
  for (const rule of IN_OUT_RULES) {
    const match = rule.pattern.exec(prose);
    if (!match) continue;
    const param = match[1] === undefined ? (pointerPointers.length === 1 ? pointerPointers[0] : undefined) : byName.get(match[1]);
    if (param && isObjectPointerPointer(param.type)) findings.params.set(param.name, { value: 'in-out', rule: rule.id });
  }

  // "returns a borrowed reference instead of a strong reference": the first statement is the one about this API.
  let earliest = Infinity;
  for (const rule of RETURN_RULES) {
    const match = rule.pattern.exec(prose);
    if (match && match.index < earliest && !/may return either/i.test(prose)) {
      earliest = match.index;
      findings.returns = { value: rule.value, rule: rule.id };
    }
  }
  return findings;
}

/**
 * Error-convention statements. Each rule is tried on the whole description, in this order, and only for the
 * return types it can apply to: an integer function that mentions NULL (for an out-parameter) still reports
 * errors with -1. 'pointer' is any pointer return, 'integer' any integer or floating-point one.
 */
const ERROR_RULES: { id: string; returns: 'pointer' | 'integer' | 'any'; pattern: RegExp; value: ErrorConvention }[] = [
  {
    id: 'errors-silently-ignored',
    returns: 'any',
    pattern: /(?:exceptions?|errors?)\b[^.]{0,200}?\b(?:are|is|will be|get|will get) (?:silently )?(?:ignored|suppressed)|\bsuppress(?:es)? (?:all )?(?:errors|exceptions)(?!\w)|\b(?:aren[’']t|are not) propagated\b|\bFor proper error handling\b/i,
    value: 'suppressed',
  },
  // "Always succeeds if obj is a PyLongObject" (PyLong_GetSign) is a condition, not a promise: such a call can fail.
  { id: 'cannot-fail', returns: 'any', pattern: /\b(?:always succeeds|cannot fail|never fails|does not fail|can(?:no|’|')t fail|will not fail)\b(?!\s+(?:if|when|unless|for)\b)/i, value: 'cannot-fail' },
  // PyThreadState_Get, PyInterpreterState_Get: with nothing to return the process stops, so the caller never sees a
  // failure ("the caller needn't check for NULL").
  { id: 'fatal-error', returns: 'any', pattern: /\bissues? a fatal error\b|\bcannot return NULL\b|\bneedn(?:[’']t| not) check for NULL\b|\bnever returns? NULL\b/i, value: 'cannot-fail' },
  // Not an argument: `PyErr_GivenExceptionMatches(PyErr_Occurred(), exc)` says what the call does, not how to check it.
  { id: 'check-pyerr-occurred', returns: 'integer', pattern: /(?<![(,]\s*)PyErr_Occurred\(\)/, value: 'ambiguous-minus-one' },
  { id: 'minus-one-on-error', returns: 'integer', pattern: /(?:^|[^\w.])-1\b[^.]{0,80}?\b(?:failure|error|fails|exception|raised?)\b|\b(?:failure|error|fails|exception|raises?)\b[^.]{0,60}?(?:^|[^\w.])-1\b/i, value: 'minus-one-with-exception' },
  // An "O&" converter for PyArg_Parse* answers 1 for success and 0 for failure, as the parser expects.
  { id: 'argument-converter', returns: 'integer', pattern: /\b(?:PyArg_Parse\*|ParseTuple) converter\b/, value: 'zero-with-exception' },
  { id: 'false-with-exception', returns: 'integer', pattern: /\breturns? false\b[^.]{0,60}?\b(?:raises?|sets? an exception|exception set)\b|\bon failure, it returns false\b|\breturns? 0 (?:on|upon) (?:failure|error)\b/i, value: 'zero-with-exception' },
  { id: 'null-with-exception-set', returns: 'pointer', pattern: /\bNULL with an exception set\b|\bset an exception and return NULL\b|\b(?:raises?|sets?) \w+ and returns? NULL\b/i, value: 'null-with-exception' },
  // The memory page's idiom for its allocators, in either order ("returns NULL if the request fails", "If the
  // request fails, PyMem_Realloc() returns NULL"): its examples call PyErr_NoMemory() themselves after a NULL.
  { id: 'null-without-exception', returns: 'pointer', pattern: /\bNULL\b[^.]{0,80}?\bwithout (?:setting|raising) (?:an )?exception\b|\bNULL\b[^.]{0,40}?\bwithout an exception set\b|\bNULL if the request fails\b|\bIf the request fails, \w+\(\) returns NULL\b/i, value: 'null-without-exception' },
  // PyErr_Occurred, PyEval_GetFrame: NULL is one of the answers ("none"), not a failure.
  {
    id: 'null-means-none',
    returns: 'pointer',
    pattern: /\bIf not set, return NULL\b|\bwhich is NULL if no\b|\bReturn NULL if no \w+ is (?:currently )?(?:executing|running|set|attached)\b|\bcaller is responsible (?:to|for) check(?:ing)? (?:if|whether) the result is NULL\b/i,
    value: 'cannot-fail',
  },
  // A test whose docs give both of its answers and nothing else ("Return 1 if the object is tracked by the garbage
  // collector and 0 otherwise"): no value is left to report a failure with. Any word of failing rules it out.
  {
    id: 'yes-or-no',
    returns: 'integer',
    pattern: /^(?![^]*(?:\bfail|\bsucce|\berror|\bexception|\braises?\b|(?:^|[^\w.])-1\b|PyErr_))[^]*\bReturns? (?:1|true|non-?zero|a true value)\b[^.]{0,200}?\b(?:0|false|zero)\b[^.]{0,20}?\botherwise\b/i,
    value: 'cannot-fail',
  },
  { id: 'null-on-error', returns: 'pointer', pattern: /\bNULL\b[^.]{0,80}?\b(?:failure|error|fails|exception|raised?)\b|\b(?:failure|error|fails|raises?)\b[^.]{0,60}?\bNULL\b/i, value: 'null-with-exception' },
  // Last: "Faster form of PySequence_GetItem() but without checking that …" still returns NULL on failure.
  // PyStructSequence_GetItem: "No bounds checking is performed" (to 3.12), "Bounds checking is performed as an
  // assertion if Python is built in debug mode" (3.13 on): a release build checks nothing.
  {
    id: 'no-error-checking',
    returns: 'any',
    pattern: /^(?![^]*\bin contrast to\b)[^]*?(?:\b(?:without|no) error checking\b|\bdoes no (?:error )?checking\b|\bno (?:bounds )?check(?:s|ing)? (?:or [\w ]+ )?(?:is|are) (?:made|performed|done)\b|\bwithout checking that\b|\bchecking is performed as an assertion\b)/i,
    value: 'unchecked',
  },
];

/** What kind of error indicator a return type can carry. */
export function errorReturnKind(type: string): 'pointer' | 'integer' | 'other' {
  if (type.endsWith('*')) return 'pointer';
  if (/^(?:(?:const |unsigned |signed |long |short )*(?:int|long|short|char|size_t|Py_ssize_t|Py_hash_t|double|float|int\d+_t|uint\d+_t|Py_UCS4|Py_UCS\d|wchar_t|PyLongObject)|unsigned|long long|unsigned long long)$/.test(type)) return 'integer';
  return 'other';
}

export function findProseErrors(markedProse: string, returnType: string): ProseClaim<ErrorConvention> | null {
  const prose = markedProse.replace(STRESSED_WORDS, '$1').replace(/⟦(\w+)⟧/g, '$1');
  const kind = errorReturnKind(returnType);
  for (const rule of ERROR_RULES) {
    if (rule.returns !== 'any' && rule.returns !== kind) continue;
    if (rule.id === 'errors-silently-ignored' && /\bdoes not suppress\b/i.test(prose)) continue;
    if (rule.pattern.test(prose)) return { value: rule.value, rule: rule.id };
  }
  return null;
}
