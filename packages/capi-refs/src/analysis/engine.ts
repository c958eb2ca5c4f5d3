/**
 * The ownership engine: walks one function's control-flow graph path by path (identical states met at the same
 * node are merged; past a fixed number of states per node the rest are dropped, so the work stays linear in the
 * size of the function), keeping an abstract state for each local pointer and member path: a reference the
 * function owns (with how many strong references it holds), a borrowed one and where from, NULL, released,
 * stolen, or handed to something that keeps it. Calls move the state as their transfer facts say; tests of a
 * pointer against NULL and of a result against its error convention refine it on each edge.
 *
 * The engine decides nothing about what to report. It records observations (a reference still owned at a
 * return, a release of something not owned, a use after the last release...) with the path that leads there,
 * and the rules turn them into findings.
 */
import type { CallFacts, Failure } from './call-facts.ts';
import { objectNames, type CfgNode, type DirectiveCondition, type FunctionGraph } from './cfg.ts';
import { NEW_REFERENCE_SLOTS } from './conventions.ts';
import { CopyOnWriteMap } from './copy-on-write-map.ts';
import { placeKey, uncast, type Expr, type Span } from './expressions.ts';

/** One step of a path, for SARIF codeFlows and the text format. */
export interface Step {
  readonly span: Span;
  readonly message: string;
}

/**
 * A step's words, or how to make them: a path keeps a step at every branch and call, and only the paths of findings
 * are ever read, so the words that quote the source are made when a finding shows them.
 */
type Words = string | (() => string);

interface Trace {
  readonly span: Span;
  readonly words: Words;
  readonly prev: Trace | null;
}

function stepOf(t: Trace): Step {
  return { span: t.span, message: typeof t.words === 'string' ? t.words : t.words() };
}

export type BorrowOrigin =
  /** `lender`: the text of the container argument of an item getter (`PyTuple_GET_ITEM(t, i)` lends from `t`). */
  | { readonly kind: 'api'; readonly api: string; readonly span: Span; readonly lender: string | null }
  | { readonly kind: 'param'; readonly index: number; readonly name: string }
  | { readonly kind: 'static'; readonly name: string };

export interface Made {
  /** call: an API or file function returning a new reference; incref: Py_INCREF of a borrowed one; newref: Py_NewRef; out: an out-parameter. */
  readonly kind: 'call' | 'incref' | 'newref' | 'out';
  readonly api: string;
  readonly span: Span;
}

interface Site {
  readonly id: number;
  readonly status: 'owned' | 'released' | 'stolen' | 'escaped' | 'pending' | 'returned';
  /** Strong references held by the function (capped: the exact number past 3 never matters). */
  readonly count: number;
  readonly maybeNull: boolean;
  readonly made: Made;
  readonly createdAt: Trace | null;
  readonly fresh: boolean;
  /** The call that steals this reference if it succeeds (status pending), or that stole it. */
  readonly stealer: { readonly api: string; readonly span: Span; readonly call: number } | null;
  readonly releasedAt: Span | null;
  /** A Py_INCREF that added a reference to one the function already owned. */
  readonly extraIncref: Span | null;
  /** The API call this fresh reference was passed to as a borrowed argument. */
  readonly passedTo: string | null;
  /** Set on the failure branch of a steal-on-success call: the reference is the caller's again. */
  readonly failedSteal: { readonly api: string; readonly span: Span } | null;
  /** The call that filled this out-parameter: on that call's failure branch, nothing was stored. */
  readonly outOf: number | null;
  /**
   * A reference to a singleton: made from one (`Py_NewRef(Py_None)`), returned by a function that returns only
   * those, or tested equal to one on this path (`if (r == Py_NotImplemented) Py_INCREF(r);`). Code written so
   * treats it as the borrowed singleton; losing a reference to it costs nothing.
   */
  readonly maybeStatic?: boolean;
  /** A strong reference taken to the function's parameter of this index (`Py_INCREF(arg)`, `Py_NewRef(arg)`). */
  readonly ofParam?: number;
  /** A container or attribute that keeps its own reference to the object (PyDict_SetItem...). */
  readonly sharedWith?: string;
  /** One of its references was given to a steal-on-success call: it comes back on that call's failure branch. */
  readonly onFailureBack?: { readonly call: number };
  /** An out-parameter of PyErr_Fetch and its kin (see NULL_WITH_TYPE): the call, and whether this one is the type. */
  readonly fetched?: { readonly call: number; readonly type: boolean };
  /**
   * A tuple PyTuple_Pack made: slot i holds its own reference to the site of id packed[i] (-1: not followed).
   * `PyTuple_SET_ITEM(t, i, x)` with that same x puts back what the slot holds and takes nothing.
   */
  readonly packed?: readonly number[];
}

type Value =
  | { readonly k: 'unknown' }
  | { readonly k: 'null' }
  | { readonly k: 'number'; readonly value: number }
  /** Equal to a named constant (an enum constant or a macro): on a switch's `case AF_INET:` edge. */
  | { readonly k: 'symbol'; readonly name: string }
  | { readonly k: 'borrowed'; readonly origin: BorrowOrigin }
  | { readonly k: 'site'; readonly id: number }
  | { readonly k: 'status'; readonly call: number; readonly failure: Failure & { kind: 'int' } }
  | { readonly k: 'released-param'; readonly index: number }
  | { readonly k: 'released-field'; readonly at: Span }
  /** Not followed, but known not to be NULL (or zero) on this path: a later test of it takes one edge only. */
  | { readonly k: 'nonnull' }
  /**
   * Handed to a call that steals it without the function owning it: a Py_INCREF after the call pays for it; if
   * none comes before the name is reused or the function returns, `debt` is reported.
   */
  | { readonly k: 'handed'; readonly debt: Observation | null };

const UNKNOWN: Value = { k: 'unknown' };
const NULL: Value = { k: 'null' };

export type Observation =
  | {
      readonly type: 'leak';
      /** return: still owned at a return; overwrite: the only pointer to it is overwritten; discarded: a result never bound to anything; end: falls off the end. */
      readonly how: 'return' | 'overwrite' | 'discarded' | 'end';
      readonly at: Span;
      readonly made: Made;
      readonly count: number;
      readonly extraIncref: Span | null;
      readonly passedTo: string | null;
      readonly failedSteal: { readonly api: string; readonly span: Span } | null;
      /** Still waiting for the result of a steal-on-success call to be tested. */
      readonly pendingSteal: { readonly api: string; readonly span: Span } | null;
      /** Lost only when something fails: at a return of NULL or a negative number, or by a failed steal. */
      readonly onFailure: boolean;
      readonly names: readonly string[];
      readonly path: readonly Step[];
    }
  | { readonly type: 'release-borrowed'; readonly at: Span; readonly origin: BorrowOrigin; readonly place: string | null }
  | { readonly type: 'release-null'; readonly at: Span; readonly place: string | null }
  | { readonly type: 'double-release'; readonly at: Span; readonly made: Made; readonly firstRelease: Span; readonly place: string | null; readonly path: readonly Step[] }
  | { readonly type: 'use-after-release'; readonly at: Span; readonly made: Made; readonly releasedAt: Span; readonly place: string | null; readonly path: readonly Step[] }
  | {
      readonly type: 'release-after-steal';
      readonly at: Span;
      readonly made: Made;
      readonly stealer: { readonly api: string; readonly span: Span };
      readonly onSuccessOnly: boolean;
      readonly place: string | null;
      readonly path: readonly Step[];
    }
  | { readonly type: 'steal-borrowed'; readonly at: Span; readonly api: string; readonly argIndex: number; readonly origin: BorrowOrigin; readonly place: string | null }
  | {
      readonly type: 'return';
      readonly at: Span;
      /** What is returned: a reference the function owned, a borrowed one, NULL, or something the engine does not follow. */
      readonly value: 'new' | 'borrowed' | 'null' | 'unknown';
      /** A new reference to Py_None or another singleton (`Py_RETURN_NONE`). */
      readonly singleton: boolean;
      /** A new reference to the function's parameter of this index (`Py_INCREF(ob); return ob;`), or null. */
      readonly ofParam: number | null;
      readonly origin: BorrowOrigin | null;
      /** The last steps before the return. */
      readonly path: readonly Step[];
    }
  | { readonly type: 'field-released-then-stored'; readonly at: Span; readonly place: string; readonly releasedAt: Span }
  /** A strong reference stored in a member: the member owns references (its object must release them). */
  | { readonly type: 'member-store'; readonly at: Span; readonly place: string; readonly field: string }
  /**
   * A member of an object the function was given overwritten while this path never read, released or tested
   * its old value: whatever it held is lost unless it was NULL.
   */
  | { readonly type: 'member-overwrite'; readonly at: Span; readonly place: string; readonly field: string; readonly owned: boolean };

export interface Env {
  /** The transfer facts of a call to `name`, or null when neither the dataset nor the file's summaries know it. */
  callFacts(name: string, args: readonly Expr[]): CallFacts | null;
}

export interface FunctionAnalysis {
  readonly fn: FunctionGraph;
  readonly observations: readonly Observation[];
  /** Parameters that every path releases or hands over (the function takes the caller's reference). */
  readonly paramsTaken: ReadonlySet<number>;
  /** Parameters some paths release or hand over and others keep (released on errors only, say). */
  readonly paramsSometimesTaken: ReadonlySet<number>;
  /** Parameters passed where the engine cannot follow them (an unknown function, a call through a pointer). */
  readonly paramsEscaped: ReadonlySet<number>;
  /** Set when the walk stopped early: how much of the function it covered. */
  readonly truncated: boolean;
}

/** Statics the C API exports as borrowed singletons. */
export const STATIC_OBJECTS: ReadonlySet<string> = new Set(['Py_None', 'Py_True', 'Py_False', 'Py_NotImplemented', 'Py_Ellipsis', '_Py_NoneStruct', '_Py_TrueStruct', '_Py_FalseStruct']);

const INCREF = new Set(['Py_INCREF', 'Py_XINCREF', 'Py_IncRef', 'Py_XIncRef']);
const DECREF = new Set(['Py_DECREF', 'Py_XDECREF', 'Py_DecRef', 'Py_XDecRef', 'Py_CLEAR']);
const NULLABLE_DECREF = new Set(['Py_XDECREF', 'Py_XDecRef', 'Py_CLEAR']);
const NEWREF = new Set(['Py_NewRef', 'Py_XNewRef']);
const SETREF = new Set(['Py_SETREF', 'Py_XSETREF']);
/** Every call whose work is to release a reference. */
export const RELEASE_PRIMITIVES: ReadonlySet<string> = new Set([...DECREF, ...SETREF]);
/** Calls that store the object and keep a reference of their own (they do not steal). */
const CONTAINER_STORE = /(_SetItem(String)?|_SetAttr(String)?|_Append|_Insert|_Add|_AddObjectRef|_SetDefault(Ref)?)$/;
/** Item getters whose borrowed result a slot setter on the same container hands back to the function. */
const ITEM_GETTERS = new Set(['PyTuple_GET_ITEM', 'PyList_GET_ITEM', 'PyTuple_GetItem', 'PyList_GetItem', 'PyStructSequence_GET_ITEM', 'PyStructSequence_GetItem']);
/**
 * A pseudo-variable set on paths where a call just failed with an exception set: PyErr_Occurred() is then known
 * to be true (`if (PySet_Add(s, x) < 0) goto done; ... done: if (PyErr_Occurred()) Py_CLEAR(result);`).
 */
const EXCEPTION_SET = '@exception';
/** PyErr_ calls that only ask about the exception; any other may set, clear or take it. */
const EXCEPTION_QUERIES = new Set(['PyErr_Occurred', 'PyErr_ExceptionMatches', 'PyErr_GivenExceptionMatches']);
/** Calls whose out-parameters are all NULL when the first (the exception type) is: no exception was set. */
const NULL_WITH_TYPE = new Set(['PyErr_Fetch', 'PyErr_GetExcInfo', '_PyErr_Fetch', '_PyErr_GetExcInfo']);
/** The pseudo-variable holding what a path assumed of an #if atom (1 or 0). */
const DIRECTIVE_PREFIX = '@if:';

/** What the path's assumptions say of an #if condition: true, false, or null when they do not decide it. */
function directiveHolds(st: State, c: DirectiveCondition): boolean | null {
  switch (c.t) {
    case 'atom': {
      const v = st.vars.get(DIRECTIVE_PREFIX + c.key);
      return v?.k === 'number' ? v.value !== 0 : null;
    }
    case 'not': {
      const v = directiveHolds(st, c.of);
      return v === null ? null : !v;
    }
    case 'and': {
      const l = directiveHolds(st, c.left);
      const r = directiveHolds(st, c.right);
      return l === false || r === false ? false : l === true && r === true ? true : null;
    }
    case 'or': {
      const l = directiveHolds(st, c.left);
      const r = directiveHolds(st, c.right);
      return l === true || r === true ? true : l === false && r === false ? false : null;
    }
  }
}

/**
 * Records on the path that an #if condition holds (or not): each atom that this fixes and that `retested` holds.
 * An atom no other #if of the function tests again is not recorded: it could decide nothing, and a function made
 * of hundreds of `#ifdef EX ... #endif` (errnomodule.c) would carry hundreds of them on every path.
 */
function assumeDirective(st: State, c: DirectiveCondition, value: boolean, retested: ReadonlySet<string>): void {
  if (c.t === 'atom') {
    if (retested.has(c.key)) st.vars.set(DIRECTIVE_PREFIX + c.key, { k: 'number', value: value ? 1 : 0 });
  } else if (c.t === 'not') assumeDirective(st, c.of, !value, retested);
  else if ((c.t === 'and') === value) {
    // Both sides of a true `&&` hold, and neither side of a false `||` does; the other cases fix no atom.
    assumeDirective(st, c.left, value, retested);
    assumeDirective(st, c.right, value, retested);
  }
}

function addAtoms(c: DirectiveCondition, into: Set<string>): void {
  if (c.t === 'atom') into.add(c.key);
  else if (c.t === 'not') addAtoms(c.of, into);
  else {
    addAtoms(c.left, into);
    addAtoms(c.right, into);
  }
}

/** The #if atoms that more than one of the function's undecided #if groups tests. */
function retestedAtoms(fn: FunctionGraph): Set<string> {
  const once = new Set<string>();
  const again = new Set<string>();
  for (const node of fn.nodes) {
    if (node.kind !== 'choice' || !node.directive) continue;
    const atoms = new Set<string>();
    addAtoms(node.directive, atoms);
    for (const atom of atoms) (once.has(atom) ? again : once).add(atom);
  }
  return again;
}

/** Calls that allocate the object they return (`PyList_New`, `PyType_GenericNew`, a project's `Foo_New`). */
const CONSTRUCTOR = /(^|_)(New|GenericNew)$/;
/** Macros that store into a slot without releasing its old item. */
const SLOT_SETTERS = new Set(['PyTuple_SET_ITEM', 'PyList_SET_ITEM', 'PyStructSequence_SET_ITEM']);
/** Calls that take reference-shaped arguments but do nothing to their ownership. */
const NEUTRAL = new Set(['Py_VISIT', 'Py_REFCNT', 'Py_SET_REFCNT', 'assert', 'Py_UNUSED', 'sizeof']);

const BOTH_EDGES = [true, false] as const;

/** States kept per node: beyond this, further paths through the node are not followed. */
export const MAX_STATES_PER_NODE = 24;
/** Node visits per function, whatever its size: a safety net against pathological graphs. */
const VISITS_PER_NODE = 64;

class State {
  readonly vars: CopyOnWriteMap<string, Value>;
  readonly sites: CopyOnWriteMap<number, Site>;
  trace: Trace | null;

  constructor(vars: CopyOnWriteMap<string, Value>, sites: CopyOnWriteMap<number, Site>, trace: Trace | null) {
    this.vars = vars;
    this.sites = sites;
    this.trace = trace;
  }

  clone(): State {
    return new State(this.vars.copy(), this.sites.copy(), this.trace);
  }

  site(v: Value): Site | null {
    return v.k === 'site' ? (this.sites.get(v.id) ?? null) : null;
  }

  setSite(site: Site): void {
    this.sites.set(site.id, site);
  }

  step(span: Span, words: Words): void {
    this.trace = { span, words, prev: this.trace };
  }

  /** The names and member paths that point at a site. */
  holders(id: number, except: string | null = null): string[] {
    const out: string[] = [];
    this.vars.forEach((v, key) => {
      if (v.k === 'site' && v.id === id && key !== except) out.push(key);
    });
    return out;
  }

  /**
   * What identifies the state for merging: what rules can observe, not how the path got here. A local that is
   * unknown says no more than one never assigned, so it is left out (members are kept: having read one counts).
   * The hash adds one term per variable and site, so it does not depend on the order they were set in, and costs
   * no strings; `sameForMerge` decides, so a collision costs a comparison and never a state.
   */
  mergeHash(): number {
    let h = 0;
    this.vars.forEach((v, name) => {
      if (keptForMerge(name, v)) h = (h + mix(hashName(name), valueHash(v))) | 0;
    });
    this.sites.forEach((s) => {
      h = (h + siteHash(s)) | 0;
    });
    return h;
  }

  /** The parts of the state that mergeHash covers, copied: the state itself goes on changing along its path. */
  snapshot(): MergeSnapshot {
    return { vars: this.vars.copy(), sites: this.sites.copy() };
  }
}

interface MergeSnapshot {
  readonly vars: ReadonlyMap<string, Value>;
  readonly sites: ReadonlyMap<number, Site>;
}

function keptForMerge(name: string, v: Value): boolean {
  return v.k !== 'unknown' || name.includes('-') || name.includes('.');
}

/** Math.imul-based mixing of two 32-bit integers into one. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return h ^ (h >>> 13);
}

/** FNV-1a of the names met, cached: the same few names are hashed at every join. */
const NAME_HASHES = new Map<string, number>();
const NAME_HASH_CACHE_LIMIT = 1 << 16;

function hashName(name: string): number {
  let h = NAME_HASHES.get(name);
  if (h !== undefined) return h;
  h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  if (NAME_HASHES.size >= NAME_HASH_CACHE_LIMIT) NAME_HASHES.clear();
  NAME_HASHES.set(name, h);
  return h;
}

const VALUE_KIND_CODES: Record<Value['k'], number> = {
  unknown: 1,
  null: 2,
  number: 3,
  symbol: 4,
  borrowed: 5,
  site: 6,
  status: 7,
  'released-param': 8,
  'released-field': 8,
  nonnull: 2,
  handed: 11,
};

/** What merging keeps of a value: its kind, and the site, number, symbol or call it names (not a borrow's origin). */
function valueHash(v: Value): number {
  const kind = VALUE_KIND_CODES[v.k];
  switch (v.k) {
    case 'site':
      return mix(kind, v.id);
    case 'number':
      return mix(kind, v.value | 0);
    case 'symbol':
      return mix(kind, hashName(v.name));
    case 'status':
      return mix(kind, v.call);
    default:
      return kind;
  }
}

function sameValueForMerge(a: Value, b: Value): boolean {
  if (VALUE_KIND_CODES[a.k] !== VALUE_KIND_CODES[b.k]) return false;
  switch (a.k) {
    case 'site':
      return a.id === (b as typeof a).id;
    case 'number':
      return a.value === (b as typeof a).value;
    case 'symbol':
      return a.name === (b as typeof a).name;
    case 'status':
      return a.call === (b as typeof a).call;
    default:
      return true;
  }
}

const SITE_STATUS_CODES: Record<Site['status'], number> = { owned: 1, released: 2, stolen: 3, escaped: 4, pending: 5, returned: 6 };

/** What merging keeps of a site: its status, its count, whether it may be NULL and whether a steal is pending. */
function siteHash(s: Site): number {
  return mix(mix(s.id, SITE_STATUS_CODES[s.status]), (s.count << 2) | (s.maybeNull ? 2 : 0) | (s.stealer ? 1 : 0));
}

function sameSiteForMerge(a: Site, b: Site): boolean {
  return a.status === b.status && a.count === b.count && a.maybeNull === b.maybeNull && (a.stealer === null) === (b.stealer === null);
}

/** The state and the snapshot agree on all that mergeHash covers. */
function sameForMerge(st: State, seen: MergeSnapshot): boolean {
  if (st.sites.size !== seen.sites.size) return false;
  // forEach cannot stop early: a difference found makes the rest of the loop a test of `same` (the maps are small).
  let same = true;
  st.sites.forEach((s, id) => {
    if (!same) return;
    const other = seen.sites.get(id);
    if (other === undefined || !sameSiteForMerge(s, other)) same = false;
  });
  if (!same) return false;
  let kept = 0;
  st.vars.forEach((v, name) => {
    if (!same || !keptForMerge(name, v)) return;
    kept++;
    const other = seen.vars.get(name);
    if (other === undefined || !keptForMerge(name, other) || !sameValueForMerge(v, other)) same = false;
  });
  if (!same) return false;
  let keptSeen = 0;
  seen.vars.forEach((v, name) => {
    if (keptForMerge(name, v)) keptSeen++;
  });
  return kept === keptSeen;
}

function sameOrigin(a: BorrowOrigin, b: BorrowOrigin): boolean {
  if (a.kind === 'static' && b.kind === 'static') return a.name === b.name;
  if (a.kind === 'param' && b.kind === 'param') return a.index === b.index;
  return a.kind === 'api' && b.kind === 'api' && a.span.start === b.span.start;
}

function pathSince(trace: Trace | null, from: Trace | null, last: Step): Step[] {
  const steps: Step[] = [last];
  for (let t = trace; t && t !== from; t = t.prev) steps.push(stepOf(t));
  if (from) steps.push(stepOf(from));
  steps.reverse();
  // Long paths keep their start and end: the middle of a 40-branch walk explains nothing.
  return steps.length > 24 ? [...steps.slice(0, 8), ...steps.slice(-16)] : steps;
}

function lastSteps(trace: Trace | null, count: number, last: Step): Step[] {
  const steps: Step[] = [last];
  for (let t = trace; t && steps.length <= count; t = t.prev) steps.push(stepOf(t));
  return steps.reverse();
}

/** The source of a span on one line, for the words of a path step. */
function oneLine(span: Span, source: string): string {
  return source.slice(span.start, span.end).replace(/\s+/g, ' ');
}

/** Cut to `max` characters. */
function shorten(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 3) + '...' : text;
}

function describeDirective(span: Span, source: string): string {
  return shorten(oneLine(span, source).replace(/^# /, '#'), 60);
}

function describe(expr: Expr, source: string): string {
  return shorten(oneLine(expr.span, source), 40);
}

/** Walk one function. `source` is the checked text (for the words of path steps). */
export function analyzeFunction(fn: FunctionGraph, env: Env, source: string): FunctionAnalysis {
  const observations = new Map<string, Observation>();
  const paramsTaken = new Set<number>();
  /** Parameters some path returns with, not released or handed over: the function does not always take them. */
  const paramsKept = new Set<number>();
  const paramsEscaped = new Set<number>();
  const locals = new Set<string>(fn.params.map((p) => p.name));
  const paramNames = new Set<string>(fn.params.filter((p) => p.pointer).map((p) => p.name));
  const selfNames = objectNames(fn);
  for (const node of fn.nodes) if (node.kind === 'declare') locals.add(node.name);

  /** The facts of each call expression, looked up once: the walk evaluates a call once per path through it. */
  const factsOfCall = new Map<Expr, CallFacts | null>();

  /** Set while an assert's condition is evaluated. */
  let reading = false;

  const observationKey = (type: Observation['type'], at: Span, made: Made | null, extra: string): string => `${type}:${at.start}:${made ? made.span.start : ''}:${extra}`;
  const observe = (o: Observation, extra = ''): void => {
    const key = observationKey(o.type, o.at, 'made' in o ? o.made : null, extra);
    if (!observations.has(key)) observations.set(key, o);
  };

  /** A local variable itself (not a member path, a dereference or a marker). */
  const isLocalPlace = (key: string): boolean => locals.has(key);

  // ---- values and places ----

  function read(st: State, expr: Expr): Value {
    const key = placeKey(expr);
    if (key !== null) {
      const v = st.vars.get(key);
      // A member read now is known to this path: storing over it later is a replacement, not a blind overwrite.
      if (v === undefined && key.includes('->')) st.vars.set(key, UNKNOWN);
      // A static singleton is borrowed again once the strong reference taken to it is gone (a reference passed
      // where the checker cannot follow it may still be the function's to release).
      const status = v?.k === 'site' ? st.sites.get(v.id)?.status : undefined;
      if (v && !(STATIC_OBJECTS.has(key) && v.k === 'site' && status !== 'owned' && status !== 'escaped')) return v;
      const e = uncast(expr);
      if (e.t === 'name' && STATIC_OBJECTS.has(e.name)) return { k: 'borrowed', origin: { kind: 'static', name: e.name } };
      // `&_Py_NoneStruct`-style statics are written as addresses.
    }
    return UNKNOWN;
  }

  function escape(st: State, v: Value): void {
    if (v.k === 'borrowed' && v.origin.kind === 'param') paramsEscaped.add(v.origin.index);
    const s = st.site(v);
    if (s && (s.status === 'owned' || s.status === 'pending')) st.setSite({ ...s, status: 'escaped', fresh: false });
  }

  function assign(st: State, target: Expr, value: Value, span: Span, from: string | null = null): void {
    const t = uncast(target);
    const key = placeKey(t);
    // Stored in a member, a global or an array element: a Py_INCREF right after is the store's reference.
    if ((key === null || !isLocalPlace(key)) && from !== null && isLocalPlace(from)) st.vars.set(`@stored:${from}`, UNKNOWN);
    if (key !== null && isLocalPlace(key)) {
      st.vars.delete(`@stored:${key}`);
      if (value.k === 'borrowed' && value.origin.kind === 'static') st.step(span, `${key} is ${value.origin.name}, borrowed`);
      const old = st.vars.get(key);
      settleDebt(old);
      const oldSite = old ? st.site(old) : null;
      if (oldSite && !(value.k === 'site' && value.id === oldSite.id) && st.holders(oldSite.id, key).length === 0) {
        leakIfOwned(st, oldSite, 'overwrite', span, `${key} is overwritten here`, [key]);
        // Lost for good: reported once, here.
        st.sites.delete(oldSite.id);
      }
      st.vars.set(key, value);
      // What was read through the old value (its members, what it points at) is not the new value's.
      const arrow = `${key}->`;
      const dot = `${key}.`;
      const pointee = `*${key}`;
      const through: string[] = [];
      st.vars.forEach((_v, k) => {
        if (k.startsWith(arrow) || k.startsWith(dot) || k === pointee) through.push(k);
      });
      for (const k of through) st.vars.delete(k);
      return;
    }
    if (key !== null) {
      const old = st.vars.get(key);
      // Through a plain pointer (`*out`, a helper's out-parameter) no other code can reach the old value: only
      // members and globals can be seen by what the release runs.
      if (old?.k === 'released-field' && value.k !== 'null' && !key.startsWith('*')) {
        observe({ type: 'field-released-then-stored', at: span, place: key, releasedAt: old.at });
      }
      const member = /^(\w+)->(\w+)$/.exec(key);
      const valueSite = st.site(value);
      if (member && valueSite?.status === 'owned' && selfNames.has(member[1]!)) observe({ type: 'member-store', at: span, place: key, field: member[2]! });
      if (member && old === undefined && value.k !== 'null' && paramNames.has(member[1]!)) {
        observe({ type: 'member-overwrite', at: span, place: key, field: member[2]!, owned: valueSite?.status === 'owned' });
      }
      // Stored in an object, a global or through a pointer: whoever holds that now owns it.
      if (value.k === 'borrowed' && value.origin.kind === 'param') paramsTaken.add(value.origin.index);
      escape(st, value);
      st.vars.set(key, value);
      return;
    }
    escape(st, value);
  }

  function leakIfOwned(st: State, site: Site, how: 'return' | 'overwrite' | 'discarded' | 'end', at: Span, message: string, names: string[], failing = false): void {
    const pending = site.status === 'pending';
    if (!((site.status === 'owned' && site.count > 0) || pending)) return;
    // A reference this path knows to be Py_None or another singleton: lost, it costs nothing (they are immortal).
    if (site.maybeStatic) return;
    observe({
      type: 'leak',
      how,
      at,
      made: site.made,
      count: site.count,
      extraIncref: site.extraIncref,
      passedTo: site.passedTo,
      failedSteal: site.failedSteal,
      pendingSteal: pending && site.stealer ? { api: site.stealer.api, span: site.stealer.span } : null,
      onFailure: failing || pending || site.failedSteal !== null,
      names,
      path: pathSince(st.trace, site.createdAt, { span: at, message }),
    });
  }

  function newSite(st: State, made: Made, maybeNull: boolean, message: Words): Value {
    const previous = st.sites.get(made.span.start);
    if (previous && st.holders(previous.id).length > 0) {
      // The same call made a reference on an earlier loop iteration that is still named: it keeps a shadow id
      // (deterministic, so that loops still reach a fixed point) and the new one takes the call's id.
      const shadow = -previous.id - 1;
      st.setSite({ ...previous, id: shadow });
      st.vars.forEach((v, k) => {
        if (v.k === 'site' && v.id === previous.id) st.vars.set(k, { k: 'site', id: shadow });
      });
    }
    st.step(made.span, message);
    st.setSite({
      id: made.span.start,
      status: 'owned',
      count: 1,
      maybeNull,
      made,
      createdAt: st.trace,
      fresh: true,
      stealer: null,
      releasedAt: null,
      extraIncref: null,
      passedTo: null,
      failedSteal: null,
      outOf: null,
    });
    return { k: 'site', id: made.span.start };
  }

  /** A use that needs the object alive: an argument, a dereference, a return. */
  function use(st: State, v: Value, at: Span, place: string | null): void {
    const s = st.site(v);
    // A singleton outlives any release of one reference to it (`Py_DECREF(res); return res == Py_True;`).
    if (s?.status === 'released' && s.releasedAt && !s.sharedWith && !s.maybeStatic) {
      observe({ type: 'use-after-release', at, made: s.made, releasedAt: s.releasedAt, place, path: pathSince(st.trace, s.createdAt, { span: at, message: `${place ?? 'it'} is used here after its last release` }) });
    }
  }

  function release(st: State, v: Value, target: Expr, at: Span, nullable: boolean): void {
    const key = placeKey(target);
    const s = st.site(v);
    if (s) {
      if (s.status === 'owned') {
        const count = s.count - 1;
        st.setSite({ ...s, count: Math.max(count, 0), status: count <= 0 ? 'released' : 'owned', releasedAt: count <= 0 ? at : s.releasedAt, fresh: false });
        st.step(at, `${key ?? 'the reference'} is released`);
      } else if (s.status === 'released' && s.releasedAt) {
        observe({ type: 'double-release', at, made: s.made, firstRelease: s.releasedAt, place: key, path: pathSince(st.trace, s.createdAt, { span: at, message: `${key ?? 'it'} is released again` }) });
      } else if ((s.status === 'stolen' || s.status === 'pending') && s.stealer) {
        observe({
          type: 'release-after-steal',
          at,
          made: s.made,
          stealer: s.stealer,
          onSuccessOnly: s.status === 'pending',
          place: key,
          path: pathSince(st.trace, s.createdAt, { span: at, message: `${key ?? 'it'} is released after ${s.stealer.api} took it` }),
        });
      }
      return;
    }
    if (v.k === 'null' && !nullable) observe({ type: 'release-null', at, place: key });
    if (v.k === 'borrowed') {
      // A parameter released may be the function's convention (it takes the caller's reference): the summary
      // records it, and the rules decide from the function's role whether it is a bug.
      if (v.origin.kind === 'param') {
        paramsTaken.add(v.origin.index);
        st.vars.set(`@taken:${v.origin.index}`, UNKNOWN);
        if (key !== null) st.vars.set(key, { k: 'released-param', index: v.origin.index });
      }
      observe({ type: 'release-borrowed', at, origin: v.origin, place: key });
      return;
    }
    if (key !== null && !isLocalPlace(key) && (v.k === 'unknown' || v.k === 'site')) st.vars.set(key, { k: 'released-field', at });
  }

  // ---- expressions ----

  function evaluate(st: State, expr: Expr): Value {
    switch (expr.t) {
      case 'name':
      case 'member':
      case 'deref': {
        if (expr.t !== 'name') {
          const base = expr.t === 'member' ? expr.base : expr.of;
          if (expr.t === 'deref' || expr.arrow) use(st, evaluate(st, base), expr.span, placeKey(base));
          else evaluate(st, base);
        }
        return read(st, expr);
      }
      case 'cast':
        return evaluate(st, expr.of);
      case 'null':
        return NULL;
      case 'number':
        return expr.value === null ? UNKNOWN : { k: 'number', value: expr.value };
      case 'assign': {
        const right = evaluate(st, expr.right);
        if (expr.op !== '=') {
          evaluate(st, expr.left);
          assign(st, expr.left, UNKNOWN, expr.span);
          return UNKNOWN;
        }
        assign(st, expr.left, right, expr.span, placeKey(expr.right));
        return right;
      }
      case 'address': {
        evaluate(st, expr.of);
        const key = placeKey(expr.of);
        // Its address is taken: anything may write it or keep it.
        if (key !== null) {
          const v = st.vars.get(key);
          if (v) escape(st, v);
          st.vars.delete(key);
          const e = uncast(expr.of);
          if (e.t === 'name' && STATIC_OBJECTS.has(e.name)) return UNKNOWN;
        }
        return UNKNOWN;
      }
      case 'index': {
        evaluate(st, expr.base);
        evaluate(st, expr.index);
        return UNKNOWN;
      }
      case 'binary': {
        evaluate(st, expr.left);
        evaluate(st, expr.right);
        return UNKNOWN;
      }
      case 'not':
        evaluate(st, expr.of);
        return UNKNOWN;
      case 'comma':
        evaluate(st, expr.first);
        return evaluate(st, expr.second);
      case 'conditional': {
        evaluate(st, expr.test);
        const a = evaluate(st, expr.then);
        const b = evaluate(st, expr.otherwise);
        if (a.k === 'null' && b.k === 'site') return b;
        if (b.k === 'null' && a.k === 'site') return a;
        if (a.k === 'borrowed' && b.k === 'borrowed') return a;
        // `n > 0 ? PyList_AsTuple(l) : Py_None`: the singleton is a sentinel that a later test tells apart.
        if (a.k === 'site' && b.k === 'borrowed' && b.origin.kind === 'static') return a;
        if (b.k === 'site' && a.k === 'borrowed' && a.origin.kind === 'static') return b;
        escape(st, a);
        escape(st, b);
        return UNKNOWN;
      }
      case 'call':
        return call(st, expr);
      case 'other': {
        // Initializer lists, compound literals, unforeseen syntax: what is put there is kept by it.
        for (const part of expr.parts) escape(st, evaluate(st, part));
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  function call(st: State, expr: Expr & { t: 'call' }): Value {
    const name = expr.callee;
    const args = expr.args;
    if (name === null) {
      // A call through a pointer (tp_free, a slot): it may keep what it is given. A slot that returns a new
      // reference (`Py_TYPE(it)->tp_iternext(it)`) does so through the pointer too.
      if (expr.calleeExpr) evaluate(st, expr.calleeExpr);
      for (const a of args) escape(st, evaluate(st, a));
      const slot = expr.calleeExpr ? uncast(expr.calleeExpr) : null;
      if (slot?.t === 'member' && NEW_REFERENCE_SLOTS.has(slot.field)) {
        return newSite(st, { kind: 'call', api: slot.field, span: expr.span }, true, `the ${slot.field} slot returns a new reference`);
      }
      return UNKNOWN;
    }
    if (NEUTRAL.has(name)) return UNKNOWN;
    if (INCREF.has(name) && args[0]) {
      const target = args[0];
      const v = evaluate(st, target);
      use(st, v, expr.span, placeKey(target));
      const s = st.site(v);
      if (s) {
        if (s.status === 'owned') {
          // Once tested equal to a singleton, code may treat it as the borrowed singleton: the reference counts,
          // but it is not an extra one.
          st.setSite({ ...s, count: Math.min(s.count + 1, 3), extraIncref: s.extraIncref ?? (s.maybeStatic ? null : expr.span) });
          st.step(expr.span, () => `${describe(target, source)} gets one more strong reference`);
        }
        return UNKNOWN;
      }
      if (v.k === 'handed') {
        // `PyList_SET_ITEM(list, i, item); Py_INCREF(item);`: the list's reference, taken after the steal.
        const key = placeKey(target);
        if (key !== null && STATIC_OBJECTS.has(key)) st.vars.delete(key);
        else if (key !== null) st.vars.set(key, UNKNOWN);
        return UNKNOWN;
      }
      if (v.k === 'borrowed' || v.k === 'unknown' || v.k === 'nonnull') {
        const key = placeKey(target);
        if (key === null) return UNKNOWN;
        const made = newSite(st, { kind: 'incref', api: name, span: expr.span }, name !== 'Py_INCREF' && name !== 'Py_IncRef', `${name} takes a strong reference to ${key}`);
        if (v.k === 'borrowed' && v.origin.kind === 'param') st.setSite({ ...st.site(made)!, ofParam: v.origin.index });
        if (v.k === 'borrowed' && v.origin.kind === 'static') st.setSite({ ...st.site(made)!, maybeStatic: true });
        st.vars.set(key, made);
        // `obj->owner = self; Py_INCREF(self);`: the strong reference is the member's, taken after the store.
        const storedInMember =
          st.vars.has(`@stored:${key}`) ||
          (v.k === 'borrowed' && [...st.vars].some(([k, other]) => !isLocalPlace(k) && !STATIC_OBJECTS.has(k) && other.k === 'borrowed' && sameOrigin(other.origin, v.origin)));
        if (storedInMember) escape(st, made);
        // Every other name for the same borrowed object now points at the strong reference too.
        if (v.k === 'borrowed') for (const [k, other] of st.vars) if (other.k === 'borrowed' && sameOrigin(other.origin, v.origin)) st.vars.set(k, made);
        if (!isLocalPlace(key) && !STATIC_OBJECTS.has(key)) escape(st, made);
        else st.setSite({ ...st.site(made)!, fresh: false });
      }
      return UNKNOWN;
    }
    if (DECREF.has(name) && args[0]) {
      const target = args[0];
      const v = evaluate(st, target);
      release(st, v, target, expr.span, NULLABLE_DECREF.has(name) || (st.site(v)?.maybeNull ?? false));
      if (name === 'Py_CLEAR') assign(st, target, NULL, expr.span);
      return UNKNOWN;
    }
    if (SETREF.has(name) && args[0] && args[1]) {
      // The new value first: a reference it makes anew at this call in a loop shadows the old one's id.
      const value = evaluate(st, args[1]);
      const old = evaluate(st, args[0]);
      const key = placeKey(args[0]);
      if (key !== null && isLocalPlace(key)) st.vars.set(key, value);
      else assign(st, args[0], value, expr.span);
      // Only an explicit Py_DECREF of NULL is reported as such: Py_SETREF's old value is not followed that far.
      release(st, old, { t: 'other', span: expr.span, parts: [] }, expr.span, true);
      return UNKNOWN;
    }
    const referent = args[0];
    if (NEWREF.has(name) && referent) {
      const v = evaluate(st, referent);
      use(st, v, expr.span, placeKey(referent));
      if (v.k === 'null') return NULL;
      const maybeNull = name === 'Py_XNewRef' && (v.k === 'unknown' || (st.site(v)?.maybeNull ?? false));
      const made = newSite(st, { kind: 'newref', api: name, span: expr.span }, maybeNull, () => `${name} makes a new reference to ${describe(referent, source)}`);
      if (v.k === 'borrowed' && v.origin.kind === 'static') st.setSite({ ...st.site(made)!, maybeStatic: true });
      if (v.k === 'borrowed' && v.origin.kind === 'param') st.setSite({ ...st.site(made)!, ofParam: v.origin.index });
      return made;
    }

    if (name === 'PyErr_Occurred' && st.vars.has(EXCEPTION_SET)) return { k: 'nonnull' };
    if (name.startsWith('PyErr_') && !EXCEPTION_QUERIES.has(name)) st.vars.delete(EXCEPTION_SET);
    let facts = factsOfCall.get(expr);
    if (facts === undefined) factsOfCall.set(expr, (facts = env.callFacts(name, args)));
    if (reading) {
      // An assert's condition is read for what it says, not run: nothing in it makes or lets go of a reference.
      for (const a of args) evaluate(st, a);
      return facts?.returns === 'borrowed' ? { k: 'borrowed', origin: { kind: 'api', api: name, span: expr.span, lender: null } } : UNKNOWN;
    }
    if (!facts) {
      // Not a C-API name nor one of the file's functions: it may keep or release what it is given.
      for (const a of args) {
        const v = evaluate(st, a);
        use(st, v, a.span, placeKey(a));
        escape(st, v);
        // `store_somewhere(ctx, x); Py_INCREF(x);`: a strong reference taken right after is the callee's.
        const key = placeKey(a);
        if (key !== null && isLocalPlace(key) && v.k !== 'site') st.vars.set(`@stored:${key}`, UNKNOWN);
      }
      return UNKNOWN;
    }
    const outs: { index: number; target: Expr; effect: 'out-new' | 'out-borrowed' | 'in-out' }[] = [];
    const steals: { index: number; value: Value; target: Expr; onSuccess: boolean }[] = [];
    const argValues: Value[] = [];
    args.forEach((arg, i) => {
      const effect = facts.args[i] ?? 'escape';
      if (effect === 'out-new' || effect === 'out-borrowed' || effect === 'in-out') {
        const a = uncast(arg);
        if (a.t === 'address') outs.push({ index: i, target: a.of, effect });
        else escape(st, evaluate(st, arg));
        return;
      }
      const v = evaluate(st, arg);
      argValues[i] = v;
      use(st, v, arg.span, placeKey(arg));
      if (effect === 'ignore') return;
      if (effect === 'escape') {
        escape(st, v);
        return;
      }
      if (effect === 'borrow') {
        const s = st.site(v);
        if (s?.fresh && s.status === 'owned') st.setSite({ ...s, passedTo: name });
        // A container store keeps its own reference: after ours is released, the object lives on in it.
        if (s && CONTAINER_STORE.test(name)) st.setSite({ ...st.site(v)!, sharedWith: name });
        return;
      }
      steals.push({ index: i, value: v, target: arg, onSuccess: effect === 'steal-on-success' });
    });
    for (const steal of steals) {
      const s = st.site(steal.value);
      const stealer = { api: name, span: expr.span, call: expr.span.start };
      if (s) {
        if (s.status !== 'owned') continue;
        if (SLOT_SETTERS.has(name) && holdsAlready(st, args, argValues[0], s.id)) {
          st.step(expr.span, () => `${name} puts back ${describe(steal.target, source)}, which the slot already holds: it takes nothing`);
          continue;
        }
        if (steal.onSuccess && s.count > 1) {
          // One of several strong references is handed over if the call succeeds; the rest stay the function's.
          // On the call's failure branch that one comes back.
          st.setSite({ ...s, count: s.count - 1, fresh: false, onFailureBack: { call: expr.span.start } });
          st.step(expr.span, () => `${name} takes one reference to ${describe(steal.target, source)} if it succeeds`);
        } else if (steal.onSuccess) {
          st.setSite({ ...s, status: 'pending', stealer, fresh: false });
          st.step(expr.span, () => `${name} takes ${describe(steal.target, source)} if it succeeds`);
        } else {
          const count = s.count - 1;
          st.setSite({ ...s, count: Math.max(0, count), status: count <= 0 ? 'stolen' : 'owned', stealer, fresh: false });
          st.step(expr.span, () => `${name} takes ${describe(steal.target, source)}`);
        }
      } else if (steal.value.k === 'unknown' || steal.value.k === 'nonnull') {
        const key = placeKey(steal.target);
        if (key !== null && isLocalPlace(key)) st.vars.set(key, { k: 'handed', debt: null });
      } else if (steal.value.k === 'borrowed') {
        const key = placeKey(steal.target);
        if (steal.value.origin.kind === 'param') {
          paramsTaken.add(steal.value.origin.index);
          st.vars.set(`@taken:${steal.value.origin.index}`, UNKNOWN);
          if (key !== null) st.vars.set(key, { k: 'released-param', index: steal.value.origin.index });
        }
        const debt: Observation = { type: 'steal-borrowed', at: steal.target.span, api: name, argIndex: steal.index, origin: steal.value.origin, place: key };
        // `PyTuple_SET_ITEM(t, 0, Py_None); Py_INCREF(Py_None);` pays after the call: judged when the name is
        // reused or the function returns.
        if (key !== null && steal.value.origin.kind !== 'param') st.vars.set(key, { k: 'handed', debt });
        else observe(debt, String(steal.index));
      }
    }
    if (SLOT_SETTERS.has(name) && args[0]) {
      // The macro overwrites the slot without releasing what it held: an item read from that container before
      // is now the function's to release (`old = PyTuple_GET_ITEM(t, i); PyTuple_SET_ITEM(t, i, v); Py_DECREF(old);`).
      const container = describe(args[0], source);
      for (const [k, v] of st.vars) if (v.k === 'borrowed' && v.origin.kind === 'api' && v.origin.lender === container) st.vars.set(k, UNKNOWN);
    }
    let result: Value = UNKNOWN;
    const argument = facts.returnsArgument === undefined ? undefined : argValues[facts.returnsArgument];
    const sameAsArgument = argument ? st.site(argument) : null;
    if (facts.returns === 'new' && sameAsArgument?.status === 'owned') {
      // `_test_incref(obj)` returns obj itself with one more reference: the caller holds one more of the same.
      st.setSite({ ...sameAsArgument, count: Math.min(sameAsArgument.count + 1, 3) });
      st.step(expr.span, `${name} returns its argument ${facts.returnsArgument! + 1} with one more strong reference`);
      result = { k: 'site', id: sameAsArgument.id };
    } else if (facts.returns === 'new') {
      result = newSite(st, { kind: 'call', api: name, span: expr.span }, facts.failure?.kind === 'null', `${name} returns a new reference${facts.returnsSingleton ? ' to a singleton (Py_None...)' : ''}`);
      if (facts.returnsSingleton) st.setSite({ ...st.site(result)!, maybeStatic: true });
      if (name === 'PyTuple_Pack') st.setSite({ ...st.site(result)!, packed: argValues.slice(1).map((v) => st.site(v)?.id ?? -1) });
    } else if (facts.returns === 'borrowed') {
      const lender = ITEM_GETTERS.has(name) && args[0] ? describe(args[0], source) : null;
      result = { k: 'borrowed', origin: { kind: 'api', api: name, span: expr.span, lender } };
    } else if (facts.failure?.kind === 'int') {
      result = { k: 'status', call: expr.span.start, failure: facts.failure };
    }
    for (const out of outs) {
      const key = placeKey(out.target);
      // An out-parameter handed a reference the caller owns is read as in-out: working code never overwrites an
      // owned reference with one the callee fills, and the dataset types some in-out parameters as out
      // (_PyBytes_Resize, PyErr_NormalizeException).
      const held = st.site(read(st, out.target));
      if (held?.status === 'owned' && out.effect !== 'in-out') {
        st.sites.delete(held.id);
        const made = newSite(st, { kind: 'out', api: name, span: out.target.span }, true, () => `${name} replaces ${key ?? describe(out.target, source)}`);
        if (key !== null) st.vars.set(key, made);
        st.setSite({ ...st.site(made)!, fresh: false, outOf: facts.failure?.kind === 'int' ? expr.span.start : null });
        continue;
      }
      if (out.effect === 'out-borrowed') {
        // Each out-parameter lends its own object: the origin is the argument, not the call.
        assign(st, out.target, { k: 'borrowed', origin: { kind: 'api', api: name, span: out.target.span, lender: null } }, expr.span);
        continue;
      }
      if (out.effect === 'in-out') {
        const old = evaluate(st, out.target);
        release(st, old, out.target, expr.span, true);
        // The callee releases and stores in one step: no code sees the member in between.
        if (key !== null && !isLocalPlace(key)) st.vars.set(key, UNKNOWN);
      }
      const made = newSite(st, { kind: 'out', api: name, span: out.target.span }, true, () => `${name} stores a new reference in ${key ?? describe(out.target, source)}`);
      // A local gets the new reference as its own; a member or a global keeps it (assign hands it over).
      if (out.effect === 'in-out' && key !== null && isLocalPlace(key)) st.vars.set(key, made);
      else assign(st, out.target, made, expr.span);
      const s = st.site(made);
      if (s) {
        const fetched = NULL_WITH_TYPE.has(name) ? { call: expr.span.start, type: out.index === outs[0]!.index } : undefined;
        st.setSite({ ...s, fresh: false, outOf: facts.failure?.kind === 'int' ? expr.span.start : null, fetched });
      }
    }
    return result;
  }

  /** Whether `SLOT_SETTER(t, i, x)` writes into slot i of a PyTuple_Pack tuple the site that slot already holds. */
  function holdsAlready(st: State, args: readonly Expr[], container: Value | undefined, id: number): boolean {
    const slot = args[1] ? uncast(args[1]) : null;
    if (container === undefined || slot?.t !== 'number' || slot.value === null) return false;
    const packed = st.site(container)?.packed;
    return packed !== undefined && packed[slot.value] === id;
  }

  // ---- tests ----

  type Test =
    | { readonly kind: 'pointer'; readonly value: Value; readonly key: string | null; readonly trueIsNull: boolean }
    /** `x == Py_None`: on the equal edge x is that static object; it cannot be if x holds something else. */
    | { readonly kind: 'static'; readonly value: Value; readonly key: string | null; readonly name: string; readonly trueIsEqual: boolean }
    | { readonly kind: 'int'; readonly value: Value; readonly holds: (n: number) => boolean }
    /** `a != b` on two pointers: decided when both hold the same reference, or one is an object made just now. */
    | { readonly kind: 'identity'; readonly left: Value; readonly right: Value; readonly trueIsEqual: boolean }
    | { readonly kind: 'constant'; readonly truth: boolean }
    | { readonly kind: 'opaque' };

  const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
    '<': (a, b) => a < b,
    '<=': (a, b) => a <= b,
    '>': (a, b) => a > b,
    '>=': (a, b) => a >= b,
  };
  const MIRROR: Readonly<Record<string, string>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

  function assignedKey(expr: Expr): string | null {
    const e = uncast(expr);
    return e.t === 'assign' && e.op === '=' ? placeKey(e.left) : placeKey(e);
  }

  function test(st: State, expr: Expr): Test {
    const e = uncast(expr);
    if (e.t === 'binary' && (e.op === '==' || e.op === '!=')) {
      const l = uncast(e.left);
      const r = uncast(e.right);
      const staticSide = r.t === 'name' && STATIC_OBJECTS.has(r.name) ? r : l.t === 'name' && STATIC_OBJECTS.has(l.name) ? l : null;
      if (staticSide?.t === 'name') {
        const other = staticSide === r ? e.left : e.right;
        const v = evaluate(st, other);
        return { kind: 'static', value: v, key: assignedKey(other), name: staticSide.name, trueIsEqual: e.op === '==' };
      }
    }
    if (e.t === 'binary' && COMPARE[e.op]) {
      const leftConst = constantOf(e.left);
      const rightConst = constantOf(e.right);
      if (leftConst !== undefined || rightConst !== undefined) {
        const other = rightConst !== undefined ? e.left : e.right;
        const c = (rightConst !== undefined ? rightConst : leftConst)!;
        const op = rightConst !== undefined ? e.op : MIRROR[e.op]!;
        const v = evaluate(st, other);
        if (c === null) {
          if (op === '==' || op === '!=') return { kind: 'pointer', value: v, key: assignedKey(other), trueIsNull: op === '==' };
          return { kind: 'opaque' };
        }
        if (v.k === 'number') return { kind: 'constant', truth: COMPARE[op]!(v.value, c) };
        if (c === 0 && (op === '==' || op === '!=') && v.k !== 'status') {
          return { kind: 'pointer', value: v, key: assignedKey(other), trueIsNull: op === '==' };
        }
        return { kind: 'int', value: v, holds: (n) => COMPARE[op]!(n, c) };
      }
      const left = evaluate(st, e.left);
      const right = evaluate(st, e.right);
      if (e.op === '==' || e.op === '!=') return { kind: 'identity', left, right, trueIsEqual: e.op === '==' };
      return { kind: 'opaque' };
    }
    const v = evaluate(st, e);
    if (v.k === 'number') return { kind: 'constant', truth: v.value !== 0 };
    if (v.k === 'nonnull') return { kind: 'constant', truth: true };
    if (v.k === 'status') return { kind: 'int', value: v, holds: (n) => n !== 0 };
    return { kind: 'pointer', value: v, key: assignedKey(e), trueIsNull: false };
  }

  /** A constant operand: a number, or null for NULL; undefined when the operand is not constant. */
  function constantOf(expr: Expr): number | null | undefined {
    const e = uncast(expr);
    if (e.t === 'null') return null;
    if (e.t === 'number' && e.value !== null) return e.value;
    if (e.t === 'other' && e.parts.length === 1) {
      // `-1` lowers to an opaque unary minus around the literal.
      const inner = uncast(e.parts[0]!);
      if (inner.t === 'number' && inner.value !== null && source.slice(e.span.start, inner.span.start).trim() === '-') return -inner.value;
    }
    return undefined;
  }

  function sameReference(a: Value, b: Value): boolean {
    if (a.k === 'site' && b.k === 'site') return a.id === b.id;
    return a.k === 'borrowed' && b.k === 'borrowed' && sameOrigin(a.origin, b.origin);
  }

  /** An object a constructor allocated on this path (never a singleton nor an object from before). */
  function isConstructed(st: State, v: Value): boolean {
    const s = st.site(v);
    return s !== null && s.made.kind === 'call' && CONSTRUCTOR.test(s.made.api);
  }

  /** A case label's value: a number, or a named constant (`case AF_INET:`); null for anything else. */
  function caseValue(label: Expr): Value | null {
    const number = constantOf(label);
    if (typeof number === 'number') return { k: 'number', value: number };
    const e = uncast(label);
    return e.t === 'name' ? { k: 'symbol', name: e.name } : null;
  }

  function sameCase(a: Value, b: Value): boolean {
    return (a.k === 'number' && b.k === 'number' && a.value === b.value) || (a.k === 'symbol' && b.k === 'symbol' && a.name === b.name);
  }

  /**
   * Whether a switch's `i`th target can be taken with this state, which it then narrows: on a case edge the tested
   * name equals the label; the default edge cannot be taken by a value that a label names. Two named constants
   * are taken to differ (AF_INET, AF_INET6), as a switch's labels must.
   */
  function selectCase(st: State, on: { readonly expr: Expr; readonly labels: readonly (Expr | null)[] }, i: number): boolean {
    const key = placeKey(on.expr);
    if (key === null) return true;
    const held = st.vars.get(key);
    const known = held?.k === 'number' || held?.k === 'symbol' ? held : null;
    const label = on.labels[i];
    if (label) {
      const value = caseValue(label);
      if (value === null) return true;
      if (known && known.k === value.k && !sameCase(known, value)) return false;
      st.vars.set(key, value);
      return true;
    }
    return !(known && on.labels.some((l) => {
      const value = l === null ? null : caseValue(l);
      return value !== null && sameCase(value, known);
    }));
  }

  /** A reference that turned out never to exist: every name that held it holds NULL. */
  function forgetAsNull(st: State, id: number): void {
    st.sites.delete(id);
    st.vars.forEach((val, k) => {
      if (val.k === 'site' && val.id === id) st.vars.set(k, NULL);
    });
  }

  /** The state on one edge of a test, or null when the edge cannot be taken. */
  function refine(st: State, t: Test, edge: boolean, span: Span): State | null {
    if (t.kind === 'opaque') return st;
    if (t.kind === 'constant') return t.truth === edge ? st : null;
    if (t.kind === 'identity') {
      const equalEdge = t.trueIsEqual === edge;
      if (sameReference(t.left, t.right)) return equalEdge ? st : null;
      // A constructor's fresh object is not the object a borrowed reference (a parameter, an item) names.
      const fresh = (made: Value, other: Value): boolean => other.k === 'borrowed' && isConstructed(st, made);
      return equalEdge && (fresh(t.left, t.right) || fresh(t.right, t.left)) ? null : st;
    }
    if (t.kind === 'static') {
      const isStatic = t.value.k === 'borrowed' && t.value.origin.kind === 'static' && t.value.origin.name === t.name;
      // Identity says nothing of ownership (a new reference to None is still new): the test only rules out
      // the edges a known value cannot take.
      if (t.trueIsEqual === edge) {
        const otherStatic = t.value.k === 'borrowed' && t.value.origin.kind === 'static' && !isStatic;
        if (t.value.k === 'null' || otherStatic || isConstructed(st, t.value)) return null;
        const s = st.site(t.value);
        if (s) st.setSite({ ...s, maybeStatic: true });
        // On this edge the static's name is another name for the value (`if (keep == Py_None) { Py_DECREF(Py_None); ...`).
        if (!isStatic && t.value.k === 'borrowed') st.vars.set(t.name, t.value);
        return st;
      }
      return isStatic ? null : st;
    }
    if (t.kind === 'int') {
      if (t.value.k !== 'status') return st;
      const { failure, call: callId } = t.value;
      const failureHolds = failure.failure.every((n) => t.holds(n) === edge);
      const successHolds = failure.success.every((n) => t.holds(n) === edge);
      if (failure.present) {
        // A found-or-not lookup: on this edge the result is one of `possible`; its out-parameters hold a
        // reference only for the `present` results.
        const possible = [...failure.failure, ...failure.success].filter((n) => t.holds(n) === edge);
        const set = possible.filter((n) => failure.present!.includes(n)).length;
        for (const s of [...st.sites.values()]) {
          if (s.outOf !== callId) continue;
          if (set === 0) forgetAsNull(st, s.id);
          else if (set === possible.length) {
            st.setSite({ ...s, maybeNull: false });
          }
        }
      }
      if (failureHolds === successHolds) return st;
      if (failureHolds && failure.raises) st.vars.set(EXCEPTION_SET, { k: 'nonnull' });
      for (const s of [...st.sites.values()]) {
        if (s.onFailureBack?.call === callId) {
          st.setSite({ ...s, count: failureHolds ? s.count + 1 : s.count, status: failureHolds && s.status !== 'escaped' ? 'owned' : s.status, onFailureBack: undefined });
          continue;
        }
        if (failureHolds && s.outOf === callId) {
          // The call failed: it stored nothing (the out-parameter is NULL).
          forgetAsNull(st, s.id);
          continue;
        }
        if (s.status !== 'pending' || s.stealer?.call !== callId) continue;
        if (failureHolds) {
          st.setSite({ ...s, status: 'owned', failedSteal: { api: s.stealer.api, span: s.stealer.span } });
          st.step(span, `${s.stealer.api} failed: the reference is still yours`);
        } else {
          st.setSite({ ...s, status: 'stolen' });
        }
      }
      return st;
    }
    const isNull = t.trueIsNull === edge;
    const v = t.value;
    const s = st.site(v);
    if (isNull) {
      if (s && !s.maybeNull && s.status === 'owned') return null;
      if ((v.k === 'number' && v.value !== 0) || v.k === 'nonnull') return null;
      if (s) {
        // The call failed: the reference never existed.
        forgetAsNull(st, s.id);
        // No exception type fetched: no value nor traceback either.
        if (s.fetched?.type) for (const other of [...st.sites.values()]) if (other.fetched?.call === s.fetched.call) forgetAsNull(st, other.id);
        st.step(span, () => `${t.key ?? describe({ t: 'other', span: s.made.span, parts: [] }, source)} is NULL here`);
      } else if (t.key !== null && v.k !== 'null') {
        st.vars.set(t.key, NULL);
      }
      return st;
    }
    if (v.k === 'null' || (v.k === 'number' && v.value === 0)) return null;
    if (s?.maybeNull) {
      st.setSite({ ...s, maybeNull: false });
      st.step(span, `${t.key ?? s.made.api + '(...)'} is not NULL here`);
    }
    // A flag or pointer tested twice takes the same edge twice (`if (had_error) fetch; ... if (had_error) restore;`).
    // (Members too: `if (self->telling) { ... }` twice in one function tests the same field.)
    if (v.k === 'unknown' && t.key !== null && !t.key.startsWith('*')) st.vars.set(t.key, { k: 'nonnull' });
    return st;
  }

  const heldScratch = new Set<number>();

  /**
   * After a node: fresh references nobody holds are lost; released, stolen or escaped ones nobody names any more
   * can no longer be misused, and are forgotten so that loops reach a fixed point.
   */
  function dropUnbound(st: State): void {
    if (st.sites.size === 0) return;
    // One pass over the names, not one per site: this runs after every node of every path (and reuses one set).
    const held = heldScratch;
    held.clear();
    st.vars.forEach((v) => {
      if (v.k === 'site') held.add(v.id);
    });
    // (A Map may lose its current entry while it is iterated.)
    st.sites.forEach((s) => {
      if (!s.fresh) {
        if (s.status !== 'owned' && s.status !== 'pending' && !held.has(s.id)) st.sites.delete(s.id);
        return;
      }
      if (!held.has(s.id) && s.status === 'owned') {
        leakIfOwned(st, s, 'discarded', s.made.span, s.passedTo ? `${s.passedTo} does not take it: the reference is lost` : 'the result is never released', []);
        st.sites.delete(s.id);
      } else {
        st.setSite({ ...s, fresh: false });
      }
    });
  }

  /** A borrowed reference handed to a stealing call and never paid for with a Py_INCREF. */
  function settleDebt(v: Value | undefined): void {
    if (v?.k === 'handed' && v.debt) observe(v.debt, String(v.debt.type === 'steal-borrowed' ? v.debt.argIndex : ''));
  }

  function atReturn(st: State, at: Span, how: 'return' | 'end', failing: boolean, returned: Value | null): void {
    st.vars.forEach(settleDebt);
    fn.params.forEach((p, index) => {
      const v = st.vars.get(p.name);
      // A parameter released, handed over, returned, or NULL on this path (nothing to take) is not kept.
      const isReturned = returned?.k === 'borrowed' && returned.origin.kind === 'param' && returned.origin.index === index;
      // `Py_DECREF(repr); repr = other;`: taken, though the name now holds something else.
      const taken = st.vars.has(`@taken:${index}`);
      if (v?.k !== 'released-param' && v?.k !== 'null' && !isReturned && !taken) paramsKept.add(index);
    });
    // Temporaries of the return statement that nothing took are discarded, as after any statement.
    dropUnbound(st);
    for (const s of st.sites.values()) {
      const names = st.holders(s.id).filter(isLocalPlace);
      leakIfOwned(st, s, how, at, how === 'return' ? `returns here with ${names[0] ?? 'the reference'} still owned` : `the function ends with ${names[0] ?? 'the reference'} still owned`, names, failing);
    }
  }

  // ---- the walk ----

  const initial = new State(new CopyOnWriteMap(), new CopyOnWriteMap(), null);
  fn.params.forEach((p, index) => {
    if (p.pointer) initial.vars.set(p.name, { k: 'borrowed', origin: { kind: 'param', index, name: p.name } });
  });
  /** Per join node, the states already followed from it, by merge hash. */
  const retested = retestedAtoms(fn);
  const seen = new Map<number, { count: number; byHash: Map<number, MergeSnapshot[]> }>();
  const visits = new Map<number, number>();
  const work: { node: number; state: State }[] = [{ node: fn.entry, state: initial }];
  let truncated = false;
  const nodes = fn.nodes;

  // Only where paths join can two of them bring the same state: elsewhere a state is followed without the cost
  // of its key. (A loop's head is a join, so loops still reach their fixed point.)
  const predecessors = new Map<number, number>();
  const countEdge = (to: number): void => void predecessors.set(to, (predecessors.get(to) ?? 0) + 1);
  // The walk's start is an edge into the entry too: a body that opens with a loop (`while (self->b_base) self =
  // self->b_base;`) has its loop head there, and without this the head would look like no join at all, so the
  // loop's states were never merged and went round until the visit limit stopped them.
  countEdge(fn.entry);
  for (const node of fn.nodes) {
    if (node.kind === 'nop' || node.kind === 'eval' || node.kind === 'declare') countEdge(node.next);
    else if (node.kind === 'test') {
      countEdge(node.whenTrue);
      countEdge(node.whenFalse);
    } else if (node.kind === 'choice') node.targets.forEach(countEdge);
  }

  /** Hand a state to a node; the state is the node's from now on (callers push a state once). */
  const push = (node: number, state: State): void => {
    if ((predecessors.get(node) ?? 0) <= 1) {
      work.push({ node, state });
      return;
    }
    const hash = state.mergeHash();
    let followed = seen.get(node);
    if (!followed) seen.set(node, (followed = { count: 0, byHash: new Map() }));
    const same = followed.byHash.get(hash);
    if (same?.some((snapshot) => sameForMerge(state, snapshot))) return;
    if (followed.count >= MAX_STATES_PER_NODE) {
      truncated = true;
      return;
    }
    followed.count++;
    if (same) same.push(state.snapshot());
    else followed.byHash.set(hash, [state.snapshot()]);
    work.push({ node, state });
  };

  while (work.length > 0) {
    const { node: id, state } = work.pop()!;
    const n = visits.get(id) ?? 0;
    if (n > VISITS_PER_NODE * 4) {
      truncated = true;
      continue;
    }
    visits.set(id, n + 1);
    const node: CfgNode = nodes[id]!;
    const st = state;
    switch (node.kind) {
      case 'nop':
        push(node.next, st);
        break;
      case 'declare': {
        const value = node.init ? evaluate(st, node.init) : UNKNOWN;
        assign(st, { t: 'name', span: node.span, name: node.name }, value, node.span);
        dropUnbound(st);
        push(node.next, st);
        break;
      }
      case 'eval':
        evaluate(st, node.expr);
        dropUnbound(st);
        push(node.next, st);
        break;
      case 'test': {
        reading = node.assumption === true;
        const t = test(st, node.expr);
        reading = false;
        for (const edge of BOTH_EDGES) {
          const branch = refine(edge ? st.clone() : st, t, edge, node.span);
          if (!branch) continue;
          if (t.kind !== 'constant' && !node.assumption) branch.step(node.span, () => `takes the ${edge ? 'true' : 'false'} branch of \`${describe(node.expr, source)}\``);
          dropUnbound(branch);
          push(edge ? node.whenTrue : node.whenFalse, branch);
        }
        break;
      }
      case 'choice': {
        const directive = node.directive;
        // An #if this path already decided (an earlier #ifdef of the same name) has one way only.
        const holds = directive ? directiveHolds(st, directive) : null;
        node.targets.forEach((target, i) => {
          if (directive && holds === (i === 1)) return;
          const branch = i === node.targets.length - 1 ? st : st.clone();
          if (directive && holds === null) {
            assumeDirective(branch, directive, i === 0, retested);
            branch.step(node.span, () => `compiled with \`${describeDirective(node.span, source)}\` ${i === 0 ? 'true' : 'false'}`);
          }
          if (!node.switchOn || selectCase(branch, node.switchOn, i)) push(target, branch);
        });
        break;
      }
      case 'return': {
        const value = node.expr ? evaluate(st, node.expr) : null;
        if (value && node.expr) use(st, value, node.expr.span, placeKey(node.expr));
        const s = value ? st.site(value) : null;
        // A reference returned is handed to the caller, whatever the declared type says.
        if (s && s.status === 'owned') st.setSite({ ...s, count: s.count - 1, status: s.count - 1 <= 0 ? 'returned' : 'owned' });
        const returnKey = value ? `${value.k}:${s?.id ?? ''}` : '';
        // Each path through a return would make the same observation: its path's words are made once.
        if (fn.returnsPointer && value && !observations.has(observationKey('return', node.span, null, returnKey))) {
          observe(
            {
              type: 'return',
              at: node.span,
              value: s ? (s.status === 'owned' ? 'new' : 'unknown') : value.k === 'borrowed' ? 'borrowed' : value.k === 'null' ? 'null' : 'unknown',
              singleton: s?.maybeStatic ?? false,
              ofParam: s?.ofParam ?? null,
              origin: value.k === 'borrowed' ? value.origin : null,
              path: lastSteps(st.trace, 6, { span: node.span, message: 'returns here' }),
            },
            returnKey,
          );
        }
        // `return NULL;`, `return -1;`: the function reports a failure.
        const failing = value?.k === 'null' || (value?.k === 'number' && value.value < 0);
        atReturn(st, node.span, 'return', failing, value);
        break;
      }
      case 'exit':
        atReturn(st, { start: fn.span.end - 1, end: fn.span.end }, 'end', false, null);
        break;
      case 'unreachable':
        break;
    }
  }
  return {
    fn,
    observations: [...observations.values()],
    paramsTaken: new Set([...paramsTaken].filter((i) => !paramsKept.has(i))),
    paramsSometimesTaken: new Set([...paramsTaken].filter((i) => paramsKept.has(i))),
    paramsEscaped,
    truncated,
  };
}
