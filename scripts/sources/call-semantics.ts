/**
 * Pure: what a call requires of its caller (preconditions) and what it does besides its result (side effects), from
 * the docs' prose of one API (as docs-html.ts renders it, parameter names marked ⟦name⟧) and its parameter list.
 *
 * Each fact is one of a few kinds, with a short note in this project's own words; the docs' sentences are not kept.
 * The rules are deliberately narrow: a wording they do not know yields nothing, never a guess. A sentence under a
 * condition ("If ⟦length⟧ is non-zero, ⟦items⟧ must be non-NULL") or a negation ("does not clear") is skipped.
 * Every rule has an id, recorded in the evidence, so that a reader can see which wording produced a fact.
 */
import type { Precondition } from '../../src/schema/precondition.ts';
import type { SideEffect } from '../../src/schema/side-effect.ts';

export interface SemanticsParam {
  readonly name: string;
  readonly type: string;
}

export interface CallSemantics {
  preconditions: Precondition[];
  sideEffects: SideEffect[];
  /** The ids of the rules that matched, in the order they matched (for the evidence). */
  preconditionRules: string[];
  sideEffectRules: string[];
}

/** Words the docs stress (⟦not⟧, ⟦only⟧) read as the words they are. */
const STRESSED_WORDS = /⟦(not|never|only|always|must|cannot|also|all|any|new|old|without|supposed|NULL)⟧/g;

function sentencesOf(prose: string): string[] {
  return prose
    .replace(STRESSED_WORDS, '$1')
    .split(/(?<=[.;!?])\s+(?=[A-Z(⟦*])/)
    .map((s) => s.replace(/^(?:Note|Warning|Important|Caution)\s+/, ''));
}

/** A sentence whose fact holds only under a condition: the rules below do not read those. */
const CONDITIONAL_START = /^(?:if|when|unless|to call|for|in case|on (?:error|failure)|with)\b/i;
/** A negation or a hedge shortly before a match turns it into something else ("does not discard", "should not call"). */
const NEGATED_BEFORE = /\b(?:not|never|n[’']t|without|unlike|no|should|need)\b[^,;]{0,24}$/i;

/** The Python types a 'must be a ... object' may name, and the short form the dataset records. */
const TYPE_WORDS: Record<string, string> = {
  list: 'list',
  tuple: 'tuple',
  dict: 'dict',
  dictionary: 'dict',
  set: 'set',
  frozenset: 'frozenset',
  bytes: 'bytes',
  bytearray: 'bytearray',
  str: 'str',
  unicode: 'str',
  cell: 'cell',
  descriptor: 'descriptor',
  callable: 'callable',
  code: 'code',
  module: 'module',
  memoryview: 'memoryview',
  capsule: 'capsule',
  pylongobject: 'int',
  pyunicodeobject: 'str',
  pybytesobject: 'bytes',
  pylistobject: 'list',
  pytupleobject: 'tuple',
  pydictobject: 'dict',
  pyfloatobject: 'float',
};

const TYPE_NOUNS = Object.keys(TYPE_WORDS).join('|');
/** "⟦p⟧ must be a list", "⟦path⟧ must be a Python str object", "⟦pylong⟧ must be an instance of PyLongObject", "⟦cell⟧ must be non-NULL and must be a cell object". */
const MUST_BE_TYPE = new RegExp(
  String.raw`⟦(\w+)⟧ (?:must be non-NULL and )?must be (?:an? )?(?:Python )?(?:instance of )?(?:an? )?(${TYPE_NOUNS})(?: object| instance| type)?\b([^.;]*)`,
  'gi',
);
/** What may follow the type in its clause: only a subtype allowance, nothing that widens or qualifies it. */
const SUBTYPE_ALLOWED = /^\s*(?:,\s*)?or (?:an instance of )?a sub(?:type|class)(?: of (?:it|\w+))?\b/i;

const NOT_NULL: { id: string; pattern: RegExp }[] = [
  { id: 'must-not-be-null', pattern: /(?:The (?:parameter|argument) )?⟦(\w+)⟧(?: (?:argument|parameter|pointer))? (?:(?:must|should|may) (?:not|never)|cannot|can ?not) be NULL\b(?!-)/g },
  { id: 'must-be-non-null', pattern: /⟦(\w+)⟧ (?:must|should) be non-NULL\b(?!-)/g },
  { id: 'must-be-type-and-not-null', pattern: /⟦(\w+)⟧ must be (?:an? )?[\w ]{1,40}? and must not be NULL\b(?!-)/g },
];
/** "The object must not be NULL" speaks of the only parameter there is. */
const THE_OBJECT_NOT_NULL = /\bThe (?:object|argument) (?:(?:must|should) not|cannot) be NULL\b(?!-)/;

const THREAD_STATE = [
  /\b(?:caller|thread) must (?:hold|have) (?:the GIL|the global interpreter lock|an attached thread state)\b/i,
  /\b(?:the GIL|the global interpreter lock) must be held\b/i,
  /\bmust be called with (?:the GIL held|an attached thread state)\b/i,
  /^There must be an attached thread state\b/,
];

/** The debug-build-only bounds check of the SET_ITEM and GET_ITEM macros. */
const BOUNDS_ASSERTION = /\bBounds checking is performed as an assertion\b/;
const NON_NEGATIVE = /⟦(\w+)⟧ must be (?:non-negative|greater than or equal to (?:0|zero))\b/g;
const NO_CHECKING = /\b(?:(?:but |and )?without error checking|does no error checking|there is no error checking|no checks are made|without checking that)\b/i;
const NEW_OBJECT_ONLY = [
  /\bonly (?:be )?used to fill in (?:the values of )?(?:brand )?new(?:ly created)? \w+/i,
  /\bonly be used on \w+ that are newly created\b/i,
  /\bonly be used if there is only one reference to the object\b/i,
];

const RELEASES_OLD = [
  /\bdiscards? a reference to an? (?:item|object|value) already in the \w+/i,
  /\breleases? the reference to any current content\b/i,
];
const LEAKS_OLD = [
  /\bdoes not discard a reference to any item that is being replaced\b/i,
  /\bany reference in [^.;]{1,40} will be leaked\b/i,
];
const SETS_ERROR = /^(?:This (?:function|macro) )?(?:sets?|raises?) the error indicator\b|^This is the most common way to set the error indicator\b/i;
const CLEARS_ERROR = [
  /\b(?:clears?|clearing) the (?:error indicator|existing exception|current exception)\b/i,
  /\bthe error indicator (?:is|will be) cleared\b/i,
];
/** "If it is set, it will be cleared": a conditional sentence whose effect is to clear any exception there is. */
const CLEARS_ANY_ERROR = /^If (?:it|the error indicator) is (?:already )?set, it (?:is|will be) cleared\b/;
const RUNS_PYTHON_CODE = [
  /\b(?:can|may|might|could) (?:execute|run|call|invoke|cause) arbitrary (?:Python )?code\b/i,
  /\barbitrary Python code (?:can|may|might|could) (?:be )?(?:run|executed|invoked|called)\b/i,
  /\b(?:this|it) calls (?:the )?((?:__\w+__\(\)(?:,? and |, )?)+)/i,
];
const SUPPRESSES_ERRORS = /\b(?:exceptions|errors) (?:that occur )?[^.;]{0,120}\bare silently (?:ignored|suppressed|discarded)\b/i;
const IN_PLACE = /\bin[- ]place\b/i;
const INVALIDATES = [
  { id: 'invalid-after-call', pattern: /\bThe (\w+) instance(?: and the ⟦\w+⟧ array)? (?:is|are) invalid after the call\b/i },
  { id: 'original-destroyed', pattern: /\bthe original \*\s*(?:⟦)?(\w+)(?:⟧)? is (?:destroyed|deallocated)\b/i },
  { id: 'must-not-be-used-after', pattern: /⟦(\w+)⟧ must not be used (?:again )?after(?:wards| the call)\b/i },
];

function negatedBefore(sentence: string, index: number): boolean {
  return NEGATED_BEFORE.test(sentence.slice(Math.max(0, index - 40), index));
}

export function findCallSemantics(markedProse: string, params: readonly SemanticsParam[]): CallSemantics {
  const out: CallSemantics = { preconditions: [], sideEffects: [], preconditionRules: [], sideEffectRules: [] };
  if (markedProse === '') return out;
  const names = new Set(params.map((p) => p.name));
  /** Keeps a fact about a parameter the call has, once per kind and parameter, with the rule that found it. */
  const add = <Item extends Precondition | SideEffect>(items: Item[], rules: string[], rule: string, item: Item): void => {
    if (item.param !== undefined && !names.has(item.param)) return;
    if (items.some((p) => p.kind === item.kind && p.param === item.param)) return;
    items.push(item);
    rules.push(rule);
  };
  const addPre = (rule: string, item: Precondition) => add(out.preconditions, out.preconditionRules, rule, item);
  const addEffect = (rule: string, item: SideEffect) => add(out.sideEffects, out.sideEffectRules, rule, item);
  // A size or index argument, when the call has exactly one: what a bounds check is about.
  const indexParams = params.filter((p) => /^\s*Py_ssize_t\s*$/.test(p.type));
  const indexParam = indexParams.length === 1 ? indexParams[0]!.name : undefined;

  for (const sentence of sentencesOf(markedProse)) {
    if (CLEARS_ANY_ERROR.test(sentence)) addEffect('clears-error-indicator', { kind: 'clears-error', note: 'clears the error indicator: no exception is set afterwards' });
    if (CONDITIONAL_START.test(sentence)) continue;

    // --- preconditions ---
    for (const { id, pattern } of NOT_NULL) {
      for (const m of sentence.matchAll(pattern)) {
        if (negatedBefore(sentence, m.index)) continue;
        addPre(id, { kind: 'not-null', param: m[1]!, note: 'must not be NULL' });
      }
    }
    if (THE_OBJECT_NOT_NULL.test(sentence) && params.length === 1) {
      addPre('the-object-not-null', { kind: 'not-null', param: params[0]!.name, note: 'must not be NULL' });
    }
    for (const m of sentence.matchAll(MUST_BE_TYPE)) {
      const rest = m[3] ?? '';
      const subtypes = SUBTYPE_ALLOWED.test(rest);
      // "must be Py_None or a tuple", "a dictionary or Py_None", "a list of ...": another reading than one type.
      if (!subtypes && /^\s*(?:,|\*|or\b|of\b|and\b)/i.test(rest)) continue;
      if (negatedBefore(sentence, m.index)) continue;
      const type = TYPE_WORDS[m[2]!.toLowerCase()]!;
      const article = /^[aeiou]/.test(type) ? 'an' : 'a';
      addPre('must-be-type', { kind: 'type', param: m[1]!, type, note: `must be ${article} ${type} object${subtypes ? ' (a subtype will do)' : ''}` });
    }
    if (THREAD_STATE.some((p) => p.test(sentence)) && !/\b(?:need not|does not need|not need to|without)\b/i.test(sentence)) {
      addPre('thread-state-required', { kind: 'thread-state', note: 'call it with the GIL held (an attached thread state)' });
    }
    if (BOUNDS_ASSERTION.test(sentence)) {
      addPre('bounds-assertion-only', { kind: 'in-range', ...(indexParam ? { param: indexParam } : {}), note: 'must be in range: only a debug build checks it' });
    }
    for (const m of sentence.matchAll(NON_NEGATIVE)) {
      addPre('must-be-non-negative', { kind: 'in-range', param: m[1]!, note: 'must not be negative' });
    }
    const noCheck = NO_CHECKING.exec(sentence);
    if (noCheck && !negatedBefore(sentence, noCheck.index)) {
      addPre('no-error-checking', { kind: 'unchecked', note: 'checks nothing: pass valid arguments of the right type' });
    }
    if (NEW_OBJECT_ONLY.some((p) => p.test(sentence))) {
      addPre('new-object-only', {
        kind: 'new-object-only',
        note: /only one reference/.test(sentence) ? 'only while yours is the one reference to the object' : 'only for filling in a new object that no other code holds yet',
      });
    }

    // --- side effects ---
    for (const pattern of RELEASES_OLD) {
      const m = pattern.exec(sentence);
      if (m && !negatedBefore(sentence, m.index)) addEffect('discards-old-item', { kind: 'releases-old-item', note: 'releases the reference to the item it overwrites' });
    }
    if (LEAKS_OLD.some((p) => p.test(sentence))) {
      addEffect('does-not-discard-old-item', { kind: 'leaks-old-item', note: 'overwrites without releasing: a reference already stored there leaks' });
    }
    if (SETS_ERROR.test(sentence) && !/\b(?:if|when|on error|on failure|can fail|in which case|may)\b/i.test(sentence)) {
      addEffect('sets-error-indicator', { kind: 'sets-error', note: 'sets the error indicator (an exception is raised)' });
    }
    for (const pattern of CLEARS_ERROR) {
      const m = pattern.exec(sentence);
      if (m && !negatedBefore(sentence, m.index) && !/\b(?:must|should|you)\b[^,;]{0,20}$/i.test(sentence.slice(0, m.index))) {
        addEffect('clears-error-indicator', { kind: 'clears-error', note: 'clears the error indicator: no exception is set afterwards' });
      }
    }
    for (const pattern of RUNS_PYTHON_CODE) {
      const m = pattern.exec(sentence);
      if (!m || negatedBefore(sentence, m.index)) continue;
      const dunders = m[1] ? [...m[1].matchAll(/__\w+__/g)].map((d) => `${d[0]}()`) : [];
      addEffect('may-run-python-code', { kind: 'runs-python-code', note: dunders.length > 0 ? `may run Python code (${dunders.join(', ')}): anything may change meanwhile` : 'may run arbitrary Python code: anything may change meanwhile' });
    }
    if (SUPPRESSES_ERRORS.test(sentence)) {
      addEffect('errors-silently-ignored', { kind: 'suppresses-errors', note: 'swallows exceptions raised on the way: you cannot see them' });
    }
    const inPlace = IN_PLACE.exec(sentence);
    if (inPlace && !negatedBefore(sentence, inPlace.index)) {
      // The object changed is the parameter named just before ("Sort the items of ⟦list⟧ in place") or in the
      // condition after ("done in-place when ⟦o1⟧ supports it").
      const before = [...sentence.slice(0, inPlace.index).matchAll(/⟦(\w+)⟧/g)].at(-1)?.[1];
      const when = /^\s*when ⟦(\w+)⟧ supports it\b/.exec(sentence.slice(inPlace.index + inPlace[0].length));
      if (when) addEffect('in-place-when-supported', { kind: 'in-place', param: when[1]!, note: 'may be modified in place (when its type supports it)' });
      else if (before && /^(?:Sort|Reverse)\b/.test(sentence)) addEffect('in-place', { kind: 'in-place', param: before, note: 'is modified in place' });
    }
    for (const { id, pattern } of INVALIDATES) {
      const m = pattern.exec(sentence);
      if (!m) continue;
      const name = m[1]!;
      addEffect(id, { kind: 'invalidates', param: name, note: id === 'original-destroyed' ? 'may be replaced: the old object is gone, use only the new one' : 'is invalid after the call: do not use it again' });
    }
  }
  return out;
}
