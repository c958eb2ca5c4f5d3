/**
 * One C file through the ownership analysis: the graph of every function defined in it, the roles its tables give
 * those functions, and the engine run on each, callees first, so that a call to one of the file's own functions
 * uses what the engine learnt about it (returns a new or a borrowed reference, takes or leaves its arguments).
 */
import type { Parser } from 'web-tree-sitter';
import type { CheckerApi } from '../checker-facts.ts';
import { apiCallFacts, summaryCallFacts, type ArgEffect, type CallFacts, type FunctionSummary } from './call-facts.ts';
import { buildFunctionGraph, functionName, functionSubexpressions, TooDeepError, type FunctionGraph } from './cfg.ts';
import { readFunctionRoles, type FunctionRole } from './conventions.ts';
import { analyzeFunction, type FunctionAnalysis } from './engine.ts';
import type { Span } from './expressions.ts';
import { MacroExpander, readFileMacros } from './macros.ts';
import { memoized } from './memo.ts';
import type { TreeIndex } from './tree-index.ts';
import { memberFacts, readObjectTypes, type MemberFacts, type ObjectType } from './object-types.ts';

export interface UnitAnalysis {
  readonly functions: readonly FunctionAnalysis[];
  readonly roles: ReadonlyMap<string, FunctionRole>;
  readonly summaries: ReadonlyMap<string, FunctionSummary>;
  /** The file's object types, by typedef name and `struct tag`. */
  readonly objectTypes: ReadonlyMap<string, ObjectType>;
  /** What each function does to object members. */
  readonly memberFacts: ReadonlyMap<string, MemberFacts>;
  /**
   * Functions that run only while a module is imported: PyInit_*, Py_mod_exec slots, and the file's functions
   * called from nowhere else. What they leak, they leak once, when the import fails.
   */
  readonly moduleInit: ReadonlySet<string>;
  /** Functions not analysed, and why. */
  readonly skipped: readonly { readonly name: string; readonly span: Span; readonly reason: string }[];
}

/**
 * Python 2's names for the string and integer APIs, which old extensions still call through compatibility
 * headers that map them to their Python 3 successors (`#define PyString_FromString PyBytes_FromString`, or to
 * PyUnicode_). The successor's ownership is read for them: the same in both, returns new references alike.
 */
const PYTHON2_PREFIXES: readonly [string, readonly string[]][] = [
  ['PyString_', ['PyBytes_', 'PyUnicode_']],
  ['PyInt_', ['PyLong_']],
];

function lookupPython2Name(name: string, lookup: (name: string) => CheckerApi | undefined): CheckerApi | undefined {
  for (const [old, successors] of PYTHON2_PREFIXES) {
    if (!name.startsWith(old)) continue;
    for (const successor of successors) {
      const api = lookup(successor + name.slice(old.length));
      if (api) return { ...api, name };
    }
  }
  return undefined;
}

const DELIBERATE_COUNTS = /(incref|decref|newref|borrow)$/i;

function calleesOf(fn: FunctionGraph, defined: ReadonlyMap<string, FunctionGraph>): string[] {
  const out = new Set<string>();
  const all = functionSubexpressions(fn);
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!;
    if (e.t === 'call' && e.callee !== null && defined.has(e.callee) && e.callee !== fn.name) out.add(e.callee);
  }
  return [...out];
}

/** Callees before callers (a cycle is broken where it is met); `callees` gives each function's callees. */
function bottomUp(graphs: ReadonlyMap<string, FunctionGraph>, callees: ReadonlyMap<string, readonly string[]>): FunctionGraph[] {
  const order: FunctionGraph[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graphs.keys()) {
    if (state.has(root)) continue;
    const stack: { name: string; callees: string[] }[] = [{ name: root, callees: [...callees.get(root)!] }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.callees.pop();
      if (next === undefined) {
        stack.pop();
        state.set(top.name, 'done');
        order.push(graphs.get(top.name)!);
      } else if (!state.has(next)) {
        state.set(next, 'open');
        stack.push({ name: next, callees: [...callees.get(next)!] });
      }
    }
  }
  return order;
}

/**
 * The slot a function fills, judged by its shape when no table in the file says: a traverse takes a visitproc;
 * a dealloc is a `void name_dealloc(T *self)`; a clear is an `int name_clear(T *self)`.
 */
function slotByShape(graph: FunctionGraph, objectTypes: ReadonlyMap<string, ObjectType>): string | null {
  const [first, second] = graph.params;
  // Only for Python objects: a type the file declares with PyObject_HEAD, or named like one (FooObject).
  const self = first?.type.replace(/\*/g, '').trim() ?? '';
  if (!first?.pointer || !(objectTypes.has(self) || /Object$/.test(self))) return null;
  if (second?.type.startsWith('visitproc') && graph.params.length === 3) return 'tp_traverse';
  if (graph.params.length !== 1) return null;
  // The return type may follow a linkage macro (`PYCURL_INTERNAL void`).
  if (/dealloc$/i.test(graph.name) && /\bvoid$/.test(graph.returnType)) return 'tp_dealloc';
  if (/_clear$/i.test(graph.name) && /\bint$/.test(graph.returnType)) return 'tp_clear';
  return null;
}

function moduleInitFunctions(graphs: ReadonlyMap<string, FunctionGraph>, callees: ReadonlyMap<string, readonly string[]>, roles: ReadonlyMap<string, FunctionRole>): Set<string> {
  const init = new Set([...graphs.keys()].filter((name) => name.startsWith('PyInit_') || roles.get(name)?.slot === 'Py_mod_exec'));
  const callers = new Map<string, Set<string>>();
  for (const graph of graphs.values()) {
    for (const callee of callees.get(graph.name)!) {
      memoized(callers, callee, () => new Set<string>()).add(graph.name);
    }
  }
  // Functions handed to the interpreter (tables, slots) are called from outside: never init-only.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, from] of callers) {
      if (init.has(name) || roles.has(name) || ![...from].every((c) => init.has(c))) continue;
      init.add(name);
      changed = true;
    }
  }
  return init;
}

function summarize(analysis: FunctionAnalysis): FunctionSummary {
  const { fn } = analysis;
  // A parameter the function takes on every other path and returns on this one passes the caller's reference
  // through: that return is a new reference (`return repr;` beside `Py_DECREF(repr); return other;`).
  const kind = (r: { value: string; origin: { kind: string; index?: number } | null }): string =>
    r.value === 'borrowed' && r.origin?.kind === 'param' && analysis.paramsTaken.has(r.origin.index!) ? 'new' : r.value;
  const returnObservations = analysis.observations.filter((o) => o.type === 'return');
  const returns = returnObservations.map(kind);
  // `return Py_None;` beside new references is a sentinel its callers test for (`if (r != Py_None) Py_DECREF(r);`):
  // the function is read as returning new references, and a caller's test tells the singleton apart.
  const sentinel = returnObservations.map((o) => o.value === 'borrowed' && o.origin?.kind === 'static');
  let ownership: FunctionSummary['returns'] = fn.returnsPointer ? 'unknown' : 'none';
  if (fn.returnsPointer && returns.some((r) => r === 'new') && returns.every((r, i) => r === 'new' || r === 'null' || sentinel[i])) ownership = 'new';
  else if (fn.returnsPointer && returns.some((r) => r === 'borrowed')) ownership = 'borrowed';
  const params = fn.params.map((p, i): ArgEffect => {
    if (!p.pointer) return 'ignore';
    if (analysis.paramsTaken.has(i)) return 'steal';
    // Taken on some paths only (`check_decoded` releases its argument when it fails; sre's `call` on success): no
    // caller can be judged by it either way.
    return analysis.paramsEscaped.has(i) || analysis.paramsSometimesTaken.has(i) ? 'escape' : 'borrow';
  });
  const returnsSingleton = ownership === 'new' && returnObservations.every((o, i) => returns[i] !== 'new' || o.singleton);
  const newReturns = returnObservations.filter((_o, i) => returns[i] === 'new');
  const argument = newReturns[0]?.ofParam ?? null;
  const returnsArgument = ownership === 'new' && argument !== null && newReturns.every((o) => o.ofParam === argument) ? argument : null;
  return { name: fn.name, returns: ownership, returnsSingleton, returnsArgument, params, returnsPointer: fn.returnsPointer };
}

/**
 * Analyse every function of a parsed file. `source` is the text that was parsed (after the preprocessor step);
 * `lookup` finds an API of the target version.
 */
export function analyzeUnit(index: TreeIndex, source: string, lookup: (name: string) => CheckerApi | undefined, parser: Parser | null = null): UnitAnalysis {
  const expander = parser ? new MacroExpander(parser, readFileMacros(index.macros), (name) => lookup(name) !== undefined) : null;
  const graphs = new Map<string, FunctionGraph>();
  const skipped: { name: string; span: Span; reason: string }[] = [];
  try {
    for (const def of index.functions) {
      // A function that names nothing of Python's (no Py… or _Py… identifier, no object type) holds no reference.
      if (!/Py|Object/.test(source.slice(def.startIndex, def.endIndex))) continue;
      try {
        const graph = buildFunctionGraph(def, expander);
        if (graph && !graphs.has(graph.name)) graphs.set(graph.name, graph);
      } catch (error) {
        if (!(error instanceof TooDeepError)) throw error;
        skipped.push({ name: functionName(def) ?? '?', span: { start: def.startIndex, end: def.endIndex }, reason: error.message });
      }
    }
  } finally {
    expander?.dispose();
  }
  const roles = readFunctionRoles(index.topLevelDeclarations, source);
  // A type defined in another file registers its slots there: read the slot from the function's shape.
  const objectTypes = readObjectTypes(index.structs, source);
  for (const graph of graphs.values()) {
    const slot = roles.get(graph.name)?.slot ? null : slotByShape(graph, objectTypes);
    if (slot) roles.set(graph.name, { mustReturnNew: null, slot });
  }
  const summaries = new Map<string, FunctionSummary>();
  const env = {
    callFacts(name: string, args: Parameters<typeof apiCallFacts>[1]): CallFacts | null {
      const api = lookup(name) ?? lookupPython2Name(name, lookup);
      if (api && (api.kind === 'function' || api.kind === 'macro')) return apiCallFacts(api, args);
      const summary = summaries.get(name);
      return summary ? summaryCallFacts(summary) : null;
    },
  };
  const functions: FunctionAnalysis[] = [];
  const callees = new Map([...graphs].map(([name, graph]) => [name, calleesOf(graph, graphs)]));
  for (const graph of bottomUp(graphs, callees)) {
    const analysis = analyzeFunction(graph, env, source);
    summaries.set(graph.name, summarize(analysis));
    // A function named for what it does to counts (ctypes' `My_Py_INCREF`, a project's `xdecref`, pythoncapi_compat's
    // `_PyFrame_GetCodeBorrow`, which releases a new reference to lend it) does so on purpose: what it does is
    // learnt for its callers, its own body is not judged.
    functions.push(DELIBERATE_COUNTS.test(graph.name) ? { ...analysis, observations: [] } : analysis);
  }
  functions.sort((a, b) => a.fn.span.start - b.fn.span.start);
  const facts = new Map([...graphs].map(([name, graph]) => [name, memberFacts(graph)]));
  return { functions, roles, summaries, skipped, objectTypes, memberFacts: facts, moduleInit: moduleInitFunctions(graphs, callees, roles) };
}
