/**
 * Where the file names a C-API function or macro: calls (also nested in other calls and in #if branches left
 * undecided), uses as a value (a function pointer), and uses in the bodies of `#define`s, parsed as C apart and
 * reported at the definition, where a macro that wraps an API is written. Comments, strings, prototypes,
 * `#ifdef NAME` and `defined(NAME)` are not uses. The per-name rules (deprecated, removed, and the explanation
 * notes) read these.
 */
import type { Node as TsNode, Parser } from 'web-tree-sitter';
import { memoized } from './memo.ts';

export type UseKind = 'call' | 'macro-definition' | 'reference';

export interface NameUse {
  readonly name: string;
  readonly use: UseKind;
  readonly start: number;
  readonly end: number;
  /** Argument texts, for a call. */
  readonly args: readonly string[] | null;
  /** Why a borrowed return is harmless here (the result is only tested, dereferenced at once, or made strong at once), or null. */
  readonly borrowSafe: string | null;
}

/** Calls that turn a borrowed reference into a strong one at once. */
const MAKES_STRONG: ReadonlySet<string> = new Set(['Py_NewRef', 'Py_XNewRef', 'Py_INCREF', 'Py_XINCREF', 'Py_IncRef', 'Py_XIncRef']);

/** Skip parentheses and casts upwards. */
function outer(node: TsNode): { node: TsNode; parent: TsNode | null } {
  let cur = node;
  while (cur.parent && (cur.parent.type === 'parenthesized_expression' || cur.parent.type === 'cast_expression')) cur = cur.parent;
  return { node: cur, parent: cur.parent };
}

function borrowSafety(call: TsNode): string | null {
  const { node, parent } = outer(call);
  if (!parent) return null;
  const t = parent.type;
  if (t === 'field_expression' && parent.childForFieldName('argument')?.startIndex === node.startIndex) return 'dereferenced at once';
  if ((t === 'if_statement' || t === 'while_statement' || t === 'do_statement') && parent.childForFieldName('condition')?.startIndex === node.startIndex) {
    return 'only tested';
  }
  if (t === 'conditional_expression' && parent.childForFieldName('condition')?.startIndex === node.startIndex) return 'only tested';
  if (t === 'unary_expression' && parent.childForFieldName('operator')?.text === '!') return 'only tested';
  if (t === 'binary_expression') {
    const op = parent.childForFieldName('operator')?.text;
    if (op === '&&' || op === '||') return 'only tested';
    // A pointer comparison (with NULL or another object) needs no reference.
    if (op === '==' || op === '!=') return 'only compared';
  }
  if (t === 'argument_list' && parent.parent?.type === 'call_expression') {
    const fn = parent.parent.childForFieldName('function')?.text ?? '';
    if (MAKES_STRONG.has(fn)) return `made strong at once by ${fn}`;
  }
  return null;
}

const MACRO_PREFIX = 'void capi_refs_macro_body(void) {\n';

/** Macro bodies nested deeper than this are not read: no real macro does, and the parse of one that does is slow. */
const MAX_MACRO_NESTING = 200;

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return max;
}

const CANDIDATE_SOURCES = new WeakMap<ReadonlySet<string>, string>();

/**
 * A regex source for the identifiers that may be one of `names`: those that begin as one of them begins (its first
 * two characters; every C-API name begins `Py` or `PY`). Matching every identifier of a file, to look each up,
 * made a match for each one; most are not candidates.
 */
function candidateSource(names: ReadonlySet<string>): string {
  return memoized(CANDIDATE_SOURCES, names, () => {
    const starts = new Set([...names].map((name) => name.slice(0, 2).replace(/[^\w]/g, '\\$&')));
    // No name: a pattern that never matches.
    return starts.size === 0 ? '(?!)' : `(?<!\\w)(?:${[...starts].sort().join('|')})\\w*`;
  });
}

function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  for (const m of text.matchAll(new RegExp(candidateSource(names), 'g'))) if (names.has(m[0])) return true;
  return false;
}

/** The uses of known names in a parsed file; `text` is the source it was parsed from, `macros` its #defines. */
export function collectUses(parser: Parser, root: TsNode, macros: readonly TsNode[], names: ReadonlySet<string>, text: string): NameUse[] {
  const out: NameUse[] = [];
  collectInTree(parser, root, macros, text, names, 0, null, out);
  return out;
}

/**
 * The uses in one tree; for a macro body parsed apart, `offset` shifts positions and `macroName` names the macro.
 * Candidate names are found in the text first and only those looked up in the tree: walking every identifier node
 * of a large file costs more than parsing it.
 */
function collectInTree(
  parser: Parser,
  root: TsNode,
  macros: readonly TsNode[],
  text: string,
  names: ReadonlySet<string>,
  offset: number,
  macroName: string | null,
  out: NameUse[],
): void {
  const inMacro = macroName !== null;
  for (const def of macros) {
    const node = def.childForFieldName('value');
    // Only bodies that name a known API are worth a parse of their own.
    if (!node || !mentionsAny(node.text, names) || nestingDepth(node.text) > MAX_MACRO_NESTING) continue;
    // Parse the macro body as the body of a function; line continuations become spaces (same length).
    const body = node.text.replace(/\\(\r?\n)/g, ' $1');
    const shift = node.startIndex - MACRO_PREFIX.length;
    const macroText = `${MACRO_PREFIX}${body}\n;}\n`;
    const tree = parser.parse(macroText);
    if (!tree) continue;
    try {
      collectInTree(parser, tree.rootNode, [], macroText, names, offset + shift, def.childForFieldName('name')?.text ?? null, out);
    } finally {
      tree.delete();
    }
  }
  // A regex of its own per call: exec keeps its place in the regex (lastIndex), and a shared one would carry it over.
  const identifier = new RegExp(candidateSource(names), 'g');
  identifier.lastIndex = root.startIndex;
  // Asked once: each question to a node is a call into the parser's WASM.
  const end = root.endIndex;
  for (let m = identifier.exec(text); m !== null && m.index < end; m = identifier.exec(text)) {
    const name = m[0];
    // A macro that wraps the API of its own name (`#define PyWeakref_GetObject(...) ({ ... PyWeakref_GetObject(...) })`,
    // fault injection, tracing) uses it only where the file calls it, and that call is reported where it stands.
    if (!names.has(name) || name === macroName) continue;
    const node = root.descendantForIndex(m.index, m.index + name.length);
    // In a comment, a string or a macro body (read apart above), the tree has no identifier there.
    if (node?.type !== 'identifier' || node.startIndex !== m.index) continue;
    const use = classify(node, inMacro);
    if (use === null) continue;
    const start = node.startIndex + offset;
    if (inMacro && node.startIndex < MACRO_PREFIX.length) continue;
    let args: string[] | null = null;
    let borrowSafe: string | null = null;
    if (use !== 'reference' && node.parent?.type === 'call_expression') {
      const list = node.parent.childForFieldName('arguments');
      args = list ? list.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment').map((c) => c.text) : null;
      borrowSafe = borrowSafety(node.parent);
    }
    out.push({ name, use, start, end: node.endIndex + offset, args, borrowSafe });
  }
}

/** How a name is used, or null when it is not a use (a declaration, a #ifdef test, a member name...). */
function classify(node: TsNode, inMacro: boolean): UseKind | null {
  const parent = node.parent;
  if (!parent) return null;
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.startIndex === node.startIndex) {
    return inMacro ? 'macro-definition' : 'call';
  }
  // Declarations and definitions of the name itself (prototypes, compat shims), preprocessor tests and names.
  if (parent.type === 'init_declarator' || parent.type === 'declaration') {
    // `T *p = PyDict_GetItem;` uses the name as a value; `T PyDict_GetItem;` declares it.
    if (parent.childForFieldName('declarator')?.startIndex === node.startIndex) return null;
    return inMacro ? 'macro-definition' : 'reference';
  }
  if (parent.type === 'function_declarator') return null;
  if (parent.type.startsWith('preproc_') || parent.type === 'parameter_declaration' || parent.type === 'field_identifier') return null;
  if (parent.type === 'pointer_declarator' || parent.type === 'array_declarator' || parent.type === 'parenthesized_declarator') return null;
  if (parent.type === 'argument_list' && parent.parent?.type === 'call_expression') {
    // `defined(X)` in #if conditions is parsed as a call.
    const fn = parent.parent.childForFieldName('function');
    if (fn?.text === 'defined') return null;
  }
  return inMacro ? 'macro-definition' : 'reference';
}

