/**
 * The control-flow graph of one C function body: statements become nodes that evaluate an expression, test a
 * condition (short-circuit operators split into one test per operand, so each operand can refine the state on its
 * own edge), or return; if/else, loops, switch, `goto` labels, break and continue become edges. An `#if` left
 * undecided by the preprocessor step becomes a choice between its branches. `Py_RETURN_NONE` and its kin are
 * returns of a new reference; calls that never return (`Py_FatalError`, `abort`) end their path.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { lowerExpression, PLAIN, subexpressions, uncast, type Expr, type Lowering, type Span } from './expressions.ts';
import { MAX_EXPANSION_DEPTH, type MacroExpander } from './macros.ts';
import { memoized } from './memo.ts';
import { endOf, typeOf } from './node-reads.ts';

export type CfgNode =
  | { readonly id: number; readonly kind: 'nop'; next: number; readonly span: Span | null }
  | { readonly id: number; readonly kind: 'eval'; readonly expr: Expr; readonly span: Span; readonly next: number }
  | {
      readonly id: number;
      readonly kind: 'declare';
      readonly name: string;
      readonly pointer: boolean;
      readonly init: Expr | null;
      readonly span: Span;
      readonly next: number;
    }
  | {
      readonly id: number;
      readonly kind: 'test';
      readonly expr: Expr;
      readonly span: Span;
      readonly whenTrue: number;
      readonly whenFalse: number;
      /** An assert(): the program takes its condition as true (the false edge is unreachable); read, not run. */
      readonly assumption?: boolean;
    }
  | {
      readonly id: number;
      readonly kind: 'choice';
      readonly span: Span;
      readonly targets: readonly number[];
      /** A switch: what it tests, and each target's case label (null for default); absent for an undecided #if. */
      readonly switchOn?: { readonly expr: Expr; readonly labels: readonly (Expr | null)[] };
      /** An undecided `#if`: the first target is taken when this holds, the second when it does not. */
      readonly directive?: DirectiveCondition;
    }
  | { readonly id: number; readonly kind: 'return'; readonly expr: Expr | null; readonly span: Span }
  | { readonly id: number; readonly kind: 'exit' }
  | { readonly id: number; readonly kind: 'unreachable' };

/**
 * The condition of an `#if` the preprocessor step could not decide, for keeping one path's choices consistent:
 * a path that took `#ifdef MS_WINDOWS` cannot take `#else` of a later `#if defined(MS_WINDOWS) && X`. An atom is
 * `defined(NAME)`, a bare name, or any other operand as written (spaces collapsed); atoms are compared by text.
 */
export type DirectiveCondition =
  | { readonly t: 'atom'; readonly key: string }
  | { readonly t: 'not'; readonly of: DirectiveCondition }
  | { readonly t: 'and' | 'or'; readonly left: DirectiveCondition; readonly right: DirectiveCondition };

/** Deeper conditions are one atom: the walk over them stays within the stack. */
const MAX_DIRECTIVE_DEPTH = 50;

function directiveCondition(node: TsNode, depth = 0): DirectiveCondition {
  const atom = (): DirectiveCondition => ({ t: 'atom', key: node.text.replace(/\s+/g, ' ') });
  if (depth > MAX_DIRECTIVE_DEPTH) return atom();
  switch (node.type) {
    case 'preproc_defined': {
      const name = node.namedChildren.find((c) => c?.type === 'identifier');
      return name ? { t: 'atom', key: `defined(${name.text})` } : atom();
    }
    case 'parenthesized_expression': {
      const inner = namedChildren(node)[0];
      return inner ? directiveCondition(inner, depth + 1) : atom();
    }
    case 'unary_expression': {
      const argument = node.childForFieldName('argument');
      return node.childForFieldName('operator')?.text === '!' && argument ? { t: 'not', of: directiveCondition(argument, depth + 1) } : atom();
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if ((op === '&&' || op === '||') && left && right) {
        return { t: op === '&&' ? 'and' : 'or', left: directiveCondition(left, depth + 1), right: directiveCondition(right, depth + 1) };
      }
      return atom();
    }
    default:
      return atom();
  }
}

/** What an `#if`, `#ifdef`, `#ifndef`, `#elif`, `#elifdef` or `#elifndef` tests, or null when it cannot be read. */
function directiveOf(node: TsNode): DirectiveCondition | null {
  const condition = node.childForFieldName('condition');
  if (condition) return directiveCondition(condition);
  const name = node.childForFieldName('name');
  if (!name) return null;
  const defined: DirectiveCondition = { t: 'atom', key: `defined(${name.text})` };
  return /^#\s*(el)?ifndef/.test(node.text) ? { t: 'not', of: defined } : defined;
}

export interface Param {
  readonly name: string;
  readonly pointer: boolean;
  readonly type: string;
}

export interface FunctionGraph {
  readonly name: string;
  readonly span: Span;
  readonly nameSpan: Span;
  readonly isStatic: boolean;
  /** The declared return type as written, with the declarator's `*`s (`PyObject *`). */
  readonly returnType: string;
  readonly returnsPointer: boolean;
  readonly params: readonly Param[];
  readonly nodes: readonly CfgNode[];
  readonly entry: number;
  readonly exit: number;
}

/** Function bodies nested deeper than this are not analysed (no real code nests so deep; the stack stays safe). */
export const MAX_STATEMENT_DEPTH = 150;

export class TooDeepError extends Error {}

/** Calls after which control never comes back. */
const NO_RETURN = new Set(['Py_FatalError', 'abort', 'exit', '_exit', 'Py_Exit', 'Py_UNREACHABLE', 'longjmp', 'siglongjmp', '_Py_FatalErrorFunc', '_Py_FatalErrorFormat', '_Py_FatalRefcountErrorFunc', 'Py_ExitStatusException', 'PyThread_exit_thread']);

/**
 * Error macros defined in another file (`CURLERROR_MSG(...)`, `RETURN_IF_ERROR`): their body is out of sight, and
 * such macros return or jump away. The path is not followed past them, so nothing after them is misread as
 * reached (a release just before one is not taken for a double release). The file's own macros are expanded
 * instead.
 */
const EXITING_MACRO = /^(?!Py)[A-Z][A-Z0-9_]*(RETURN|ERROR|ERR|FAIL|RAISE|THROW|GOTO|BAIL|ABORT)[A-Z0-9_]*$/;

/** `NAME(...);` with an upper-case name that is not Python's and not one of the file's macros. */
function isForeignMacroStatement(statement: TsNode, isFileMacro: (name: string) => boolean): boolean {
  if (typeOf(statement) !== 'expression_statement') return false;
  const call = statement.namedChildren[0];
  const name = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  return name?.type === 'identifier' && /^(?!Py|_Py)[A-Z][A-Z0-9_]*$/.test(name.text) && !isFileMacro(name.text);
}

/** Assertions, and which argument is the condition: what they assert holds after them. */
const ASSERTIONS: Readonly<Record<string, number>> = { assert: 0, _PyObject_ASSERT: 1, _PyObject_ASSERT_WITH_MSG: 1, Py_Assert: 0 };

/** Statement macros that return a new reference to a static object. */
const RETURN_MACROS: Readonly<Record<string, string>> = {
  Py_RETURN_NONE: 'Py_None',
  Py_RETURN_TRUE: 'Py_True',
  Py_RETURN_FALSE: 'Py_False',
  Py_RETURN_NOTIMPLEMENTED: 'Py_NotImplemented',
};

interface Jumps {
  readonly breakTo: number | null;
  readonly continueTo: number | null;
}

function namedChildren(node: TsNode): TsNode[] {
  return node.namedChildren.filter((c): c is TsNode => c !== null && typeOf(c) !== 'comment');
}

function spanOf(node: TsNode): Span {
  return { start: node.startIndex, end: endOf(node) };
}

/** The identifier a declarator declares and whether it is a pointer, or null (function pointers, arrays of them...). */
export function declaratorName(node: TsNode | null): { name: string; pointer: boolean } | null {
  let pointer = false;
  let cur = node;
  for (let guard = 0; cur && guard < 50; guard++) {
    const type = cur.type;
    if (type === 'identifier') return { name: cur.text, pointer };
    if (type === 'pointer_declarator') pointer = true;
    if (type === 'array_declarator') pointer = true;
    if (type === 'function_declarator') return null;
    cur = cur.childForFieldName('declarator') ?? (type === 'parenthesized_declarator' ? namedChildren(cur)[0] ?? null : null);
  }
  return null;
}

class Builder {
  readonly nodes: CfgNode[] = [];
  private readonly labels = new Map<string, number>();
  readonly exit: number;
  readonly unreachable: number;
  /** How expressions are lowered; inside a macro expansion, every node is placed at the use. */
  private how: Lowering;

  constructor(expander: MacroExpander | null) {
    this.how = { ...PLAIN, expander };
    this.exit = this.add({ kind: 'exit' });
    this.unreachable = this.add({ kind: 'unreachable' });
  }

  private lower(node: TsNode): Expr {
    return lowerExpression(node, this.how);
  }

  private span(node: TsNode): Span {
    return this.how.at ?? spanOf(node);
  }

  /** The statements of one of the file's macros, used as a statement, or null when it is not one. */
  private expandStatement(inner: TsNode, next: number, jumps: Jumps, depth: number): number | null {
    const expander = this.how.expander;
    if (!expander || this.how.expansions >= MAX_EXPANSION_DEPTH) return null;
    const isCall = typeOf(inner) === 'call_expression';
    const nameNode = isCall ? inner.childForFieldName('function') : inner;
    if (nameNode?.type !== 'identifier') return null;
    const macro = expander.macro(nameNode.text, isCall);
    if (!macro) return null;
    const args = isCall ? namedChildren(inner.childForFieldName('arguments') ?? inner).map((a) => a.text) : [];
    const expansion = expander.statements(macro, args);
    if (!expansion) return null;
    const outer = this.how;
    const use = this.span(inner);
    this.how = { expander, at: { ...use, via: use.via ?? macro.name }, expansions: outer.expansions + 1 };
    try {
      return this.sequence(expansion.nodes, next, jumps, depth + 1);
    } finally {
      this.how = outer;
    }
  }

  add<T extends Omit<CfgNode, 'id'>>(node: T): number {
    const id = this.nodes.length;
    this.nodes.push({ ...node, id } as unknown as CfgNode);
    return id;
  }

  private label(name: string): number {
    let id = this.labels.get(name);
    if (id === undefined) {
      id = this.add({ kind: 'nop', next: this.unreachable, span: null });
      this.labels.set(name, id);
    }
    return id;
  }

  private setNext(id: number, next: number): void {
    (this.nodes[id] as { next: number }).next = next;
  }

  /** assert(a && b): each operand a test whose false edge cannot be taken. */
  private assume(expr: Expr, next: number): number {
    if (expr.t === 'binary' && expr.op === '&&') return this.assume(expr.left, this.assume(expr.right, next));
    return this.add({ kind: 'test', expr, span: expr.span, whenTrue: next, whenFalse: this.unreachable, assumption: true });
  }

  condition(expr: Expr, whenTrue: number, whenFalse: number): number {
    if (expr.t === 'not') return this.condition(expr.of, whenFalse, whenTrue);
    if (expr.t === 'binary' && expr.op === '&&') return this.condition(expr.left, this.condition(expr.right, whenTrue, whenFalse), whenFalse);
    if (expr.t === 'binary' && expr.op === '||') return this.condition(expr.left, whenTrue, this.condition(expr.right, whenTrue, whenFalse));
    if (expr.t === 'comma') return this.add({ kind: 'eval', expr: expr.first, span: expr.first.span, next: this.condition(expr.second, whenTrue, whenFalse) });
    return this.add({ kind: 'test', expr, span: expr.span, whenTrue, whenFalse });
  }

  sequence(statements: readonly TsNode[], next: number, jumps: Jumps, depth: number): number {
    let cur = next;
    for (let i = statements.length - 1; i >= 0; i--) {
      const statement = statements[i]!;
      // An upper-case macro from another file right before a label (`END_CALLBACK(ret);` then `error:`) returns:
      // code does not fall into an error handler, and the macro's body is out of sight.
      const following = statements[i + 1];
      const exits = following !== undefined && typeOf(following) === 'labeled_statement' && isForeignMacroStatement(statement, this.expanderKnows);
      cur = this.statement(statement, exits ? this.unreachable : cur, jumps, depth);
    }
    return cur;
  }

  /** Whether a name is one of the file's macros (expanded, so its body is seen). */
  private readonly expanderKnows = (name: string): boolean => this.how.expander?.macro(name, true) != null || this.how.expander?.macro(name, false) != null;

  statement(node: TsNode, next: number, jumps: Jumps, depth: number): number {
    if (depth > MAX_STATEMENT_DEPTH) throw new TooDeepError(`statements nested deeper than ${MAX_STATEMENT_DEPTH}`);
    const d = depth + 1;
    switch (typeOf(node)) {
      case 'compound_statement':
        return this.sequence(namedChildren(node), next, jumps, d);
      case 'declaration':
        return this.declaration(node, next);
      case 'expression_statement': {
        const inner = namedChildren(node)[0];
        if (!inner) return next;
        return this.expandStatement(inner, next, jumps, d) ?? this.expressionStatement(inner, next);
      }
      case 'if_statement': {
        const cond = node.childForFieldName('condition');
        const consequence = node.childForFieldName('consequence');
        const alternative = node.childForFieldName('alternative');
        const elseBody = alternative ? namedChildren(alternative)[0] : undefined;
        const thenEntry = consequence ? this.statement(consequence, next, jumps, d) : next;
        const elseEntry = elseBody ? this.statement(elseBody, next, jumps, d) : next;
        return cond ? this.condition(this.lower(cond), thenEntry, elseEntry) : this.choice(node, [thenEntry, elseEntry]);
      }
      case 'while_statement': {
        const head = this.add({ kind: 'nop', next, span: null });
        const body = node.childForFieldName('body');
        const bodyEntry = body ? this.statement(body, head, { breakTo: next, continueTo: head }, d) : head;
        const cond = node.childForFieldName('condition');
        this.setNext(head, cond ? this.condition(this.lower(cond), bodyEntry, next) : bodyEntry);
        return head;
      }
      case 'do_statement': {
        const head = this.add({ kind: 'nop', next, span: null });
        const cond = node.childForFieldName('condition');
        const condEntry = cond ? this.condition(this.lower(cond), head, next) : head;
        const body = node.childForFieldName('body');
        this.setNext(head, body ? this.statement(body, condEntry, { breakTo: next, continueTo: condEntry }, d) : condEntry);
        return head;
      }
      case 'for_statement': {
        const head = this.add({ kind: 'nop', next, span: null });
        const update = node.childForFieldName('update');
        const updateEntry = update ? this.add({ kind: 'eval', expr: this.lower(update), span: this.span(update), next: head }) : head;
        const body = node.childForFieldName('body');
        const bodyEntry = body ? this.statement(body, updateEntry, { breakTo: next, continueTo: updateEntry }, d) : updateEntry;
        const cond = node.childForFieldName('condition');
        this.setNext(head, cond ? this.condition(this.lower(cond), bodyEntry, next) : bodyEntry);
        const init = node.childForFieldName('initializer');
        if (!init) return head;
        return init.type === 'declaration' ? this.declaration(init, head) : this.add({ kind: 'eval', expr: this.lower(init), span: this.span(init), next: head });
      }
      case 'switch_statement': {
        const body = node.childForFieldName('body');
        const cases = body ? namedChildren(body) : [];
        let cur = next;
        const entries: number[] = [];
        const labels: (Expr | null)[] = [];
        let hasDefault = false;
        for (let i = cases.length - 1; i >= 0; i--) {
          const c = cases[i]!;
          if (c.type === 'case_statement') {
            const value = c.childForFieldName('value');
            if (!value) hasDefault = true;
            const statements = namedChildren(c).filter((s) => s.startIndex !== value?.startIndex);
            cur = this.sequence(statements, cur, { breakTo: next, continueTo: jumps.continueTo }, d);
            entries.push(cur);
            labels.push(value ? this.lower(value) : null);
          } else {
            cur = this.statement(c, cur, { breakTo: next, continueTo: jumps.continueTo }, d);
          }
        }
        if (!hasDefault) {
          // No default: a value no case names goes past the switch.
          entries.push(next);
          labels.push(null);
        }
        const cond = node.childForFieldName('condition');
        const tested = cond ? this.lower(cond) : null;
        const switchOn = tested ? { expr: tested, labels: labels.reverse() } : undefined;
        const dispatch = this.add({ kind: 'choice', span: this.span(node), targets: entries.reverse(), switchOn });
        return tested && cond ? this.add({ kind: 'eval', expr: tested, span: this.span(cond), next: dispatch }) : dispatch;
      }
      case 'return_statement': {
        const value = namedChildren(node)[0];
        return this.add({ kind: 'return', expr: value ? this.lower(value) : null, span: this.span(node) });
      }
      case 'goto_statement': {
        const label = node.childForFieldName('label');
        return label ? this.label(label.text) : next;
      }
      case 'labeled_statement': {
        const label = node.childForFieldName('label');
        const inner = namedChildren(node).filter((c) => c.type !== 'statement_identifier');
        const entry = this.sequence(inner, next, jumps, d);
        if (!label) return entry;
        const id = this.label(label.text);
        this.setNext(id, entry);
        return id;
      }
      case 'break_statement':
        return jumps.breakTo ?? next;
      case 'continue_statement':
        return jumps.continueTo ?? next;
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'preproc_else': {
        const skip = new Set([node.childForFieldName('condition')?.startIndex, node.childForFieldName('name')?.startIndex]);
        const alternative = node.childForFieldName('alternative');
        const body = namedChildren(node).filter((c) => !skip.has(c.startIndex) && c.startIndex !== alternative?.startIndex && !c.type.startsWith('preproc_def'));
        const bodyEntry = this.sequence(body, next, jumps, d);
        if (node.type === 'preproc_else') return bodyEntry;
        const altEntry = alternative ? this.statement(alternative, next, jumps, d) : next;
        if (bodyEntry === altEntry) return bodyEntry;
        const directive = directiveOf(node);
        // The directive's own line, not the whole block: a path step points at it.
        const tested = node.childForFieldName('condition') ?? node.childForFieldName('name');
        const span = tested ? { ...this.span(node), end: this.span(tested).end } : this.span(node);
        return this.add({ kind: 'choice', span, targets: [bodyEntry, altEntry], ...(directive ? { directive } : {}) });
      }
      case 'attributed_statement':
        return this.sequence(namedChildren(node).filter((c) => c.type !== 'attribute_declaration'), next, jumps, d);
      case 'type_definition':
      case 'struct_specifier':
      case 'preproc_def':
      case 'preproc_function_def':
      case 'preproc_call':
      case 'preproc_include':
      case 'function_definition':
        return next;
      default:
        // ERROR nodes and anything unforeseen: evaluate what calls and assignments they hold.
        return this.add({ kind: 'eval', expr: this.lower(node), span: this.span(node), next });
    }
  }

  private choice(node: TsNode, targets: number[]): number {
    return this.add({ kind: 'choice', span: this.span(node), targets });
  }

  private expressionStatement(inner: TsNode, next: number): number {
    const span = this.span(inner);
    if (typeOf(inner) === 'identifier' && RETURN_MACROS[inner.text]) {
      return this.add({ kind: 'return', expr: newReferenceTo(RETURN_MACROS[inner.text]!, span), span });
    }
    const expr = this.lower(inner);
    if (expr.t === 'call' && expr.callee !== null && ASSERTIONS[expr.callee] !== undefined) {
      const condition = expr.args[ASSERTIONS[expr.callee]!];
      return condition ? this.assume(condition, next) : next;
    }
    if (expr.t === 'call' && expr.callee !== null) {
      if (expr.callee === 'Py_RETURN_RICHCOMPARE') return this.add({ kind: 'return', expr: { t: 'call', span, callee: 'Py_RETURN_RICHCOMPARE', calleeExpr: null, args: [] }, span });
      if (NO_RETURN.has(expr.callee) || EXITING_MACRO.test(expr.callee)) return this.add({ kind: 'eval', expr, span, next: this.unreachable });
    }
    return this.add({ kind: 'eval', expr, span, next });
  }

  private declaration(node: TsNode, next: number): number {
    // A static local lives as long as a global: what is stored there is not leaked at return.
    if (namedChildren(node).some((c) => c.type === 'storage_class_specifier' && (c.text === 'static' || c.text === 'extern'))) return next;
    const declarators = node.childrenForFieldName('declarator').filter((c): c is TsNode => c !== null);
    let cur = next;
    for (let i = declarators.length - 1; i >= 0; i--) {
      const decl = declarators[i]!;
      const isInit = decl.type === 'init_declarator';
      const named = declaratorName(isInit ? decl.childForFieldName('declarator') : decl);
      if (!named) continue;
      const value = isInit ? decl.childForFieldName('value') : null;
      cur = this.add({ kind: 'declare', name: named.name, pointer: named.pointer, init: value ? this.lower(value) : null, span: this.span(decl), next: cur });
    }
    return cur;
  }
}

function newReferenceTo(name: string, span: Span): Expr {
  return { t: 'call', span, callee: 'Py_NewRef', calleeExpr: null, args: [{ t: 'name', span, name }] };
}

function functionDeclarator(node: TsNode): TsNode | null {
  let cur: TsNode | null = node.childForFieldName('declarator');
  for (let guard = 0; cur && guard < 50; guard++) {
    if (cur.type === 'function_declarator') return cur;
    cur = cur.childForFieldName('declarator') ?? (cur.type === 'parenthesized_declarator' ? namedChildren(cur)[0] ?? null : null);
  }
  return null;
}

/** The expression each node evaluates, in node order (tests, returns, declarations' initialisers included). */
function nodeExpressions(fn: FunctionGraph): Expr[] {
  const out: Expr[] = [];
  for (const node of fn.nodes) {
    const expr = node.kind === 'eval' || node.kind === 'test' || node.kind === 'return' ? node.expr : node.kind === 'declare' ? node.init : null;
    if (expr) out.push(expr);
  }
  return out;
}

/**
 * Every subexpression of the function's expressions, node by node, each outermost first: made once per graph, for
 * the three analyses that walk them all (callees, member facts, singleton sentinels). Read it with an indexed loop.
 */
export function functionSubexpressions(fn: FunctionGraph): readonly Expr[] {
  return memoized(SUBEXPRESSIONS, fn, () => {
    const out: Expr[] = [];
    for (const root of nodeExpressions(fn)) subexpressions(root, out);
    return out;
  });
}

const SUBEXPRESSIONS = new WeakMap<FunctionGraph, readonly Expr[]>();

/** The object a function works on, by name: its first parameter and the locals cast from it (`Foo *self = (Foo *)op`). */
export function objectNames(fn: FunctionGraph): Set<string> {
  const names = new Set<string>(fn.params[0] ? [fn.params[0].name] : []);
  for (const node of fn.nodes) {
    if (node.kind !== 'declare' || !node.init) continue;
    const init = uncast(node.init);
    if (init.t === 'name' && names.has(init.name)) names.add(node.name);
  }
  return names;
}

/** The name a `function_definition` defines, or null. */
export function functionName(def: TsNode): string | null {
  const name = functionDeclarator(def)?.childForFieldName('declarator');
  return name?.type === 'identifier' ? name.text : null;
}

/** The graph of a `function_definition` node, or null for what is not one we can read. Throws TooDeepError. */
export function buildFunctionGraph(def: TsNode, expander: MacroExpander | null = null): FunctionGraph | null {
  const fnDecl = functionDeclarator(def);
  const nameNode = fnDecl?.childForFieldName('declarator');
  const body = def.childForFieldName('body');
  if (!fnDecl || !nameNode || nameNode.type !== 'identifier' || !body) return null;
  const params: Param[] = [];
  for (const p of namedChildren(fnDecl.childForFieldName('parameters') ?? fnDecl)) {
    if (p.type !== 'parameter_declaration') continue;
    const named = declaratorName(p.childForFieldName('declarator'));
    if (named) params.push({ name: named.name, pointer: named.pointer, type: (p.childForFieldName('type')?.text ?? '') + (named.pointer ? ' *' : '') });
  }
  let stars = 0;
  for (let cur: TsNode | null = def.childForFieldName('declarator'); cur && cur.type !== 'function_declarator'; cur = cur.childForFieldName('declarator')) {
    if (cur.type === 'pointer_declarator') stars++;
  }
  // Everything written before the declarator, so that a linkage macro before the type (`PYCURL_INTERNAL void`)
  // keeps the type; storage and inline specifiers dropped.
  const declarator = def.childForFieldName('declarator');
  const typeText = def.text
    .slice(0, (declarator?.startIndex ?? def.startIndex) - def.startIndex)
    .replace(/\b(static|inline|extern|Py_LOCAL_INLINE|Py_ALWAYS_INLINE)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const isStatic = namedChildren(def).some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
  const b = new Builder(expander);
  const entry = b.statement(body, b.exit, { breakTo: null, continueTo: null }, 0);
  return {
    name: nameNode.text,
    span: spanOf(def),
    nameSpan: spanOf(nameNode),
    isStatic,
    returnType: `${typeText}${stars > 0 ? ' ' + '*'.repeat(stars) : ''}`,
    // PyMODINIT_FUNC is `PyObject *` behind a macro.
    returnsPointer: stars > 0 || /\bPyMODINIT_FUNC\b/.test(typeText),
    params,
    nodes: b.nodes,
    entry,
    exit: b.exit,
  };
}
