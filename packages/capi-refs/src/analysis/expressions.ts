/**
 * C expressions lowered from tree-sitter's tree into a small plain-object form, once per function, so that the
 * ownership engine, which visits each expression once per program state, never crosses into the WASM parser and
 * can be tested without it. Only what ownership depends on is kept apart; everything else becomes `other` with its
 * subexpressions, evaluated for their effects.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { MAX_EXPANSION_DEPTH, type MacroExpander } from './macros.ts';
import { memoized } from './memo.ts';
import { endOf, typeOf } from './node-reads.ts';

/** Byte offsets into the checked source. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** The file macro whose expansion this comes from (the span is then the macro's use). */
  readonly via?: string;
}

export type Expr =
  | { readonly t: 'call'; readonly span: Span; readonly callee: string | null; readonly calleeExpr: Expr | null; readonly args: readonly Expr[] }
  | { readonly t: 'name'; readonly span: Span; readonly name: string }
  | { readonly t: 'member'; readonly span: Span; readonly base: Expr; readonly field: string; readonly arrow: boolean }
  | { readonly t: 'index'; readonly span: Span; readonly base: Expr; readonly index: Expr }
  | { readonly t: 'assign'; readonly span: Span; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'address'; readonly span: Span; readonly of: Expr }
  | { readonly t: 'deref'; readonly span: Span; readonly of: Expr }
  | { readonly t: 'null'; readonly span: Span }
  | { readonly t: 'number'; readonly span: Span; readonly value: number | null }
  | { readonly t: 'string'; readonly span: Span; readonly value: string }
  | { readonly t: 'binary'; readonly span: Span; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'not'; readonly span: Span; readonly of: Expr }
  | { readonly t: 'conditional'; readonly span: Span; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr }
  | { readonly t: 'comma'; readonly span: Span; readonly first: Expr; readonly second: Expr }
  | { readonly t: 'cast'; readonly span: Span; readonly type: string; readonly of: Expr }
  | { readonly t: 'other'; readonly span: Span; readonly parts: readonly Expr[] };

/** Macros of the C API's headers that only cast their (last) argument. */
const CAST_MACROS: ReadonlySet<string> = new Set(['_Py_CAST', '_Py_STATIC_CAST', '_Py_CONST_CAST', '_PyObject_CAST', '_PyObject_CAST_CONST', '_PyVarObject_CAST', '_PyVarObject_CAST_CONST']);

/** Deeper expressions than this are kept opaque: nothing real nests so deep, and the limit keeps the stack safe. */
export const MAX_EXPRESSION_DEPTH = 200;

/**
 * How to lower: which of the file's macros to expand, and, inside an expansion, the span of the use that every
 * node of it is placed at.
 */
export interface Lowering {
  readonly expander: MacroExpander | null;
  readonly at: Span | null;
  readonly expansions: number;
}

export const PLAIN: Lowering = { expander: null, at: null, expansions: 0 };

function field(node: TsNode, name: string): TsNode | null {
  return node.childForFieldName(name);
}

/**
 * A node's children when they are exactly its production's `count` symbols, or null. Each field read crosses into
 * the parser's WASM and makes a node object; one read of all the children makes them at once. The positions are
 * the fields only when nothing else stands between them: a comment or a recovered error is an extra child, so the
 * count tells (a missing token takes its symbol's place and keeps the count).
 */
function production(node: TsNode, count: number): (TsNode | null)[] | null {
  const children = node.children;
  return children.length === count ? children : null;
}

function namedChildren(node: TsNode): TsNode[] {
  return node.namedChildren.filter((c): c is TsNode => c !== null && typeOf(c) !== 'comment');
}

/** Integer value of a C integer literal (decimal, hex, octal, with suffixes), or null. */
export function integerValue(text: string): number | null {
  // tree-sitter reads `-1` as one literal.
  const m = /^(-?)\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(text.trim());
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2]!;
  if (/^0[xX]/.test(digits)) return sign * Number.parseInt(digits.slice(2), 16);
  if (digits.length > 1 && digits.startsWith('0')) return sign * Number.parseInt(digits, 8);
  return sign * Number.parseInt(digits, 10);
}

export function lowerExpression(node: TsNode, how: Lowering = PLAIN, depth = 0): Expr {
  const s = how.at ?? { start: node.startIndex, end: endOf(node) };
  if (depth > MAX_EXPRESSION_DEPTH) return { t: 'other', span: s, parts: [] };
  const lower = (n: TsNode | null): Expr => (n ? lowerExpression(n, how, depth + 1) : { t: 'other', span: s, parts: [] });
  switch (typeOf(node)) {
    case 'identifier': {
      const name = node.text;
      return name === 'NULL' ? { t: 'null', span: s } : { t: 'name', span: s, name };
    }
    case 'null':
      return { t: 'null', span: s };
    case 'number_literal':
      return { t: 'number', span: s, value: integerValue(node.text) };
    case 'true':
      return { t: 'number', span: s, value: 1 };
    case 'false':
      return { t: 'number', span: s, value: 0 };
    case 'string_literal':
    case 'concatenated_string':
      return { t: 'string', span: s, value: stringValue(node) };
    case 'parenthesized_expression': {
      const inner = namedChildren(node)[0];
      return inner ? lower(inner) : { t: 'other', span: s, parts: [] };
    }
    case 'call_expression': {
      // function arguments
      const parts = production(node, 2);
      const fn = parts ? parts[0]! : field(node, 'function');
      const argList = parts ? parts[1]! : field(node, 'arguments');
      const callee = fn?.type === 'identifier' ? fn.text : null;
      const macro = callee !== null && how.expansions < MAX_EXPANSION_DEPTH ? how.expander?.macro(callee, true) : null;
      if (macro && argList) {
        const expansion = how.expander!.expression(macro, namedChildren(argList).map((a) => a.text));
        if (expansion) return lowerExpression(expansion.nodes[0]!, { expander: how.expander, at: { ...s, via: s.via ?? macro.name }, expansions: how.expansions + 1 }, depth + 1);
      }
      const argNodes = argList ? namedChildren(argList) : [];
      if (callee !== null && CAST_MACROS.has(callee) && argNodes.length > 0) {
        // The C API's cast macros: `_Py_CAST(T, x)` and `_PyObject_CAST(x)` are `((T)(x))`. tree-sitter reads
        // `_Py_CAST(PyObject *, x)` as one broken product `PyObject * x`: its right operand is the value.
        let value = argNodes.at(-1)!;
        if (argNodes.length === 1 && value.type === 'binary_expression' && value.hasError) value = field(value, 'right') ?? value;
        const type = argList!.text.slice(1, value.startIndex - argList!.startIndex).replace(/[\s,]+$/, '') || 'PyObject *';
        return { t: 'cast', span: s, type, of: lower(value) };
      }
      return { t: 'call', span: s, callee, calleeExpr: callee === null ? lower(fn) : null, args: argNodes.map(lower) };
    }
    case 'field_expression': {
      // argument operator field
      const parts = production(node, 3);
      if (parts) return { t: 'member', span: s, base: lower(parts[0]!), field: parts[2]!.text, arrow: typeOf(parts[1]!) === '->' };
      const op = field(node, 'operator')?.text ?? '.';
      return { t: 'member', span: s, base: lower(field(node, 'argument')), field: field(node, 'field')?.text ?? '', arrow: op === '->' };
    }
    case 'subscript_expression':
      return { t: 'index', span: s, base: lower(field(node, 'argument')), index: lower(field(node, 'index')) };
    case 'assignment_expression': {
      // left operator right
      const parts = production(node, 3);
      if (parts) return { t: 'assign', span: s, op: typeOf(parts[1]!), left: lower(parts[0]!), right: lower(parts[2]!) };
      return { t: 'assign', span: s, op: field(node, 'operator')?.text ?? '=', left: lower(field(node, 'left')), right: lower(field(node, 'right')) };
    }
    case 'pointer_expression': {
      // operator argument
      const parts = production(node, 2);
      const op = parts ? typeOf(parts[0]!) : field(node, 'operator')?.text;
      const of = lower(parts ? parts[1]! : field(node, 'argument'));
      return op === '&' ? { t: 'address', span: s, of } : { t: 'deref', span: s, of };
    }
    case 'cast_expression':
      return { t: 'cast', span: s, type: (field(node, 'type')?.text ?? '').replace(/\s+/g, ' '), of: lower(field(node, 'value')) };
    case 'binary_expression': {
      // left operator right
      const parts = production(node, 3);
      if (parts) return { t: 'binary', span: s, op: typeOf(parts[1]!), left: lower(parts[0]!), right: lower(parts[2]!) };
      return { t: 'binary', span: s, op: field(node, 'operator')?.text ?? '', left: lower(field(node, 'left')), right: lower(field(node, 'right')) };
    }
    case 'unary_expression': {
      // operator argument
      const parts = production(node, 2);
      const op = parts ? typeOf(parts[0]!) : field(node, 'operator')?.text;
      const of = lower(parts ? parts[1]! : field(node, 'argument'));
      return op === '!' ? { t: 'not', span: s, of } : { t: 'other', span: s, parts: [of] };
    }
    case 'conditional_expression':
      return {
        t: 'conditional',
        span: s,
        test: lower(field(node, 'condition')),
        then: lower(field(node, 'consequence')),
        otherwise: lower(field(node, 'alternative')),
      };
    case 'update_expression': {
      // i++ and --n: the variable no longer holds a value the engine knows.
      const target = lower(field(node, 'argument'));
      return { t: 'assign', span: s, op: field(node, 'operator')?.text ?? '++', left: target, right: { t: 'other', span: s, parts: [] } };
    }
    case 'comma_expression':
      return { t: 'comma', span: s, first: lower(field(node, 'left')), second: lower(field(node, 'right')) };
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression':
    case 'char_literal':
      return { t: 'number', span: s, value: null };
    default:
      return { t: 'other', span: s, parts: namedChildren(node).filter((c) => !typeOf(c).endsWith('type_descriptor')).map(lower) };
  }
}

/** The text of a string literal (or adjacent literals), escapes left as written: format strings need no more. */
function stringValue(node: TsNode): string {
  if (node.type === 'concatenated_string') return namedChildren(node).map(stringValue).join('');
  if (node.type !== 'string_literal') return '';
  return namedChildren(node)
    .filter((c) => c.type === 'string_content' || c.type === 'escape_sequence')
    .map((c) => c.text)
    .join('');
}

/** Strip casts: `(PyObject *)x` is x for ownership. */
export function uncast(expr: Expr): Expr {
  let e = expr;
  while (e.t === 'cast') e = e.of;
  return e;
}

/**
 * A stable key for an lvalue that can hold a reference: a local name, or a member path rooted at one
 * (`self->dict`, `st->cache.value`); null for anything else (array elements, calls, dereferences).
 */
export function placeKey(expr: Expr): string | null {
  if (expr.t === 'name') return expr.name;
  if (expr.t !== 'member' && expr.t !== 'deref' && expr.t !== 'cast') return null;
  // The engine asks for the key of the same expressions on every path through them: made once, a member path's
  // key is also the same string each time, which the state's maps then hash once.
  return memoized(PLACE_KEYS, expr, () => readPlaceKey(expr));
}

const PLACE_KEYS = new WeakMap<Expr, string | null>();

function readPlaceKey(expr: Expr): string | null {
  const e = uncast(expr);
  if (e.t === 'name') return e.name;
  if (e.t === 'member') {
    const base = placeKey(e.base);
    return base === null ? null : `${base}${e.arrow ? '->' : '.'}${e.field}`;
  }
  if (e.t === 'deref') {
    const base = placeKey(e.of);
    return base === null ? null : `*${base}`;
  }
  return null;
}

/**
 * Every subexpression, outermost first (iterative: deep trees must not exhaust the stack), pushed onto `out`. An
 * array, not a generator: the analysis asks for them per function, and a generator's step and the children's
 * arrays were a good part of what it allocates.
 */
export function subexpressions(expr: Expr, out: Expr[] = []): Expr[] {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    out.push(e);
    pushChildrenReversed(e, stack);
  }
  return out;
}

/** Pushes the children of `e` last first, so that the first is popped first. */
function pushChildrenReversed(e: Expr, stack: Expr[]): void {
  switch (e.t) {
    case 'call':
      for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]!);
      if (e.calleeExpr) stack.push(e.calleeExpr);
      return;
    case 'member':
      stack.push(e.base);
      return;
    case 'index':
      stack.push(e.index, e.base);
      return;
    case 'assign':
    case 'binary':
      stack.push(e.right, e.left);
      return;
    case 'address':
    case 'deref':
    case 'not':
    case 'cast':
      stack.push(e.of);
      return;
    case 'conditional':
      stack.push(e.otherwise, e.then, e.test);
      return;
    case 'comma':
      stack.push(e.second, e.first);
      return;
    case 'other':
      for (let i = e.parts.length - 1; i >= 0; i--) stack.push(e.parts[i]!);
      return;
    default:
      return;
  }
}
