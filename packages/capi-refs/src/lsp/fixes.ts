/**
 * The code actions of the language server: rewrites that are mechanical, computed from the parsed file and the
 * finding they fix, as edits on the text (offsets). Where the code does not have the simple shape a rewrite
 * needs, there is no fix rather than a guess; the checker runs again on the result, so a rewrite that leaves a
 * problem shows it at once.
 *
 *   error-hiding-call     v = PyDict_GetItem(d, k);  →  if (PyDict_GetItemRef(d, k, &v) < 0) { return NULL; }
 *                         and v released before every later return in its block (it is a strong reference now)
 *   release-before-store  Py_DECREF(o->f); o->f = v;  →  Py_XSETREF(o->f, v);
 *   returns-borrowed      return Py_None;  →  return Py_NewRef(Py_None);
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { compareVersions } from '../versions.ts';

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
}

/** What a fix needs to know of the finding: its rule, where it stands, and the target version. */
export interface FixRequest {
  readonly ruleId: string;
  readonly start: number;
  readonly python: string;
}

const STRONG_VARIANTS: Readonly<Record<string, string>> = { PyDict_GetItem: 'PyDict_GetItemRef', PyDict_GetItemString: 'PyDict_GetItemStringRef' };
const RELEASES = new Set(['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR']);
/** The variable of the block a fix adds around a return value, named so that no extension code uses it. */
const RETURNED = 'capi_refs_returned';

function ancestor(node: TsNode | null, type: string): TsNode | null {
  for (let n = node; n; n = n.parent) if (n.type === type) return n;
  return null;
}

function named(node: TsNode): TsNode[] {
  return node.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment');
}

/** The indentation of the line `offset` is on. */
function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

/** A statement's own lines removed, when nothing else shares them; else the statement alone. */
function removal(source: string, node: TsNode): Edit {
  const lineStart = source.lastIndexOf('\n', node.startIndex - 1) + 1;
  const lineEnd = source.indexOf('\n', node.endIndex);
  const alone = source.slice(lineStart, node.startIndex).trim() === '' && source.slice(node.endIndex, lineEnd === -1 ? source.length : lineEnd).trim() === '';
  return alone ? { start: lineStart, end: lineEnd === -1 ? source.length : lineEnd + 1, text: '' } : { start: node.startIndex, end: node.endIndex, text: '' };
}

/** The function's declared return type, and what it returns to report a failure: NULL, -1, or null when neither fits. */
function failureReturn(fn: TsNode): { type: string; value: string } | null {
  const type = fn.childForFieldName('type')?.text ?? '';
  const declarator = fn.childForFieldName('declarator');
  if (declarator?.type === 'pointer_declarator') return { type: `${type} *`, value: 'NULL' };
  if (type.trim() === 'int') return { type: 'int', value: '-1' };
  return null;
}

function isSimpleValue(expr: TsNode | null): boolean {
  return expr === null || expr.type === 'identifier' || expr.type === 'number_literal' || expr.type === 'null' || expr.type === 'true' || expr.type === 'false';
}

/** PyDict_GetItem → the PyDict_GetItemRef pattern, releasing the strong reference before each later return. */
function strongLookupFix(source: string, root: TsNode, request: FixRequest): Fix | null {
  const name = root.descendantForIndex(request.start, request.start + 1);
  const call = name?.parent;
  if (!name || name.type !== 'identifier' || call?.type !== 'call_expression' || call.childForFieldName('function')?.startIndex !== name.startIndex) return null;
  const variant = STRONG_VARIANTS[name.text];
  const argList = call.childForFieldName('arguments');
  if (!variant || !argList) return null;
  const args = named(argList).map((a) => a.text);
  if (args.length !== 2) return null;

  // `v = PyDict_GetItem(d, k);` or `PyObject *v = PyDict_GetItem(d, k);`
  let statement: TsNode | null;
  let variable: string;
  let declaration = '';
  const holder = call.parent;
  if (holder?.type === 'assignment_expression' && holder.childForFieldName('operator')?.text === '=' && holder.childForFieldName('left')?.type === 'identifier') {
    statement = holder.parent?.type === 'expression_statement' ? holder.parent : null;
    variable = holder.childForFieldName('left')!.text;
  } else if (holder?.type === 'init_declarator' && holder.childForFieldName('declarator')?.type === 'pointer_declarator') {
    statement = holder.parent?.type === 'declaration' && named(holder.parent).filter((c) => c.type === 'init_declarator').length === 1 ? holder.parent : null;
    const pointer = holder.childForFieldName('declarator')!;
    variable = pointer.childForFieldName('declarator')?.type === 'identifier' ? pointer.childForFieldName('declarator')!.text : '';
    declaration = `${statement?.childForFieldName('type')?.text ?? 'PyObject'} *${variable};`;
  } else return null;
  const block = statement?.parent;
  const fn = ancestor(statement, 'function_definition');
  const failure = fn ? failureReturn(fn) : null;
  if (!statement || !variable || block?.type !== 'compound_statement' || !fn || !failure) return null;

  // Every later return must be in the statement's block, where the lookup always ran before it.
  const body = fn.childForFieldName('body')!;
  const later = body.descendantsOfType(['return_statement', 'expression_statement']).filter((n): n is TsNode => n !== null && n.startIndex >= statement.endIndex);
  const returns = later.filter((n) => n.type === 'return_statement' || /^Py_RETURN_\w+\s*;$/.test(n.text));
  if (returns.some((r) => r.startIndex >= block.endIndex)) return null;

  const indent = indentAt(source, statement.startIndex);
  const lookup = `if (${variant}(${args.join(', ')}, &${variable}) < 0) {\n${indent}    return ${failure.value};\n${indent}}`;
  const edits: Edit[] = [{ start: statement.startIndex, end: statement.endIndex, text: declaration ? `${declaration}\n${indent}${lookup}` : lookup }];
  const release = `Py_XDECREF(${variable});`;
  for (const r of returns) {
    const expr = r.type === 'return_statement' ? (named(r)[0] ?? null) : null;
    if (expr?.text === variable) continue; // the strong reference goes to the caller
    const text =
      r.type !== 'return_statement' || isSimpleValue(expr)
        ? `{ ${release} ${r.text} }`
        : `{ ${failure.type}${failure.type.endsWith('*') ? '' : ' '}${RETURNED} = ${expr!.text}; ${release} return ${RETURNED}; }`;
    edits.push({ start: r.startIndex, end: r.endIndex, text });
  }
  return { title: `Use ${variant}, which reports errors and returns a strong reference`, edits };
}

/** `Py_DECREF(o->f); ... o->f = v;` → `Py_XSETREF(o->f, v);`, which also takes a member that may be NULL. */
function setRefFix(source: string, root: TsNode, request: FixRequest): Fix | null {
  const statement = ancestor(root.descendantForIndex(request.start, request.start + 1), 'expression_statement');
  const assignment = statement ? named(statement)[0] : null;
  if (!statement || assignment?.type !== 'assignment_expression' || assignment.childForFieldName('operator')?.text !== '=') return null;
  const place = assignment.childForFieldName('left')!.text;
  const value = assignment.childForFieldName('right')!.text;
  const block = statement.parent;
  if (block?.type !== 'compound_statement') return null;
  const before = named(block).filter((s) => s.endIndex <= statement.startIndex && s.type === 'expression_statement');
  const releaseStatement = [...before].reverse().find((s) => {
    const call = named(s)[0];
    const fn = call?.type === 'call_expression' ? call.childForFieldName('function')?.text : undefined;
    const args = call?.childForFieldName('arguments');
    return fn !== undefined && RELEASES.has(fn) && args !== null && args !== undefined && named(args).map((a) => a.text).join() === place;
  });
  if (!releaseStatement) return null;
  return {
    title: `Replace the release and the store with Py_XSETREF(${place}, ...)`,
    edits: [removal(source, releaseStatement), { start: statement.startIndex, end: statement.endIndex, text: `Py_XSETREF(${place}, ${value});` }],
  };
}

/** `return Py_None;` → `return Py_NewRef(Py_None);` (before 3.10, which has no Py_NewRef: Py_INCREF first). */
function newRefFix(_source: string, root: TsNode, request: FixRequest): Fix | null {
  const statement = ancestor(root.descendantForIndex(request.start, request.start + 1), 'return_statement');
  const expr = statement ? named(statement)[0] : null;
  if (!statement || !expr) return null;
  const hasNewRef = compareVersions(request.python, '3.10') >= 0;
  const edit: Edit = hasNewRef
    ? { start: expr.startIndex, end: expr.endIndex, text: `Py_NewRef(${expr.text})` }
    : { start: statement.startIndex, end: statement.endIndex, text: `{ Py_INCREF(${expr.text}); return ${expr.text}; }` };
  return { title: hasNewRef ? `Return Py_NewRef(${expr.text})` : `Take a reference to ${expr.text} before returning it`, edits: [edit] };
}

const FIXERS: Readonly<Record<string, (source: string, root: TsNode, request: FixRequest) => Fix | null>> = {
  'error-hiding-call': strongLookupFix,
  'release-before-store': setRefFix,
  'returns-borrowed': newRefFix,
};

/** The fix for a finding, or null when its rule has none or the code is not in the shape the rewrite needs. */
export function fixFor(source: string, root: TsNode, request: FixRequest): Fix | null {
  return FIXERS[request.ruleId]?.(source, root, request) ?? null;
}

/** The text with the edits applied (they must not overlap). */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
