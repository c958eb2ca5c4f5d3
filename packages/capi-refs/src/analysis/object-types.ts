/**
 * The file's own object types: structs that begin with `PyObject_HEAD` (or an `ob_base`), their object members,
 * and which members each function releases (`Py_CLEAR(self->m)`, `Py_XDECREF`, `Py_XSETREF`...) or visits
 * (`Py_VISIT(self->m)`), directly or through the file's other functions it calls. The member rules compare what
 * a type stores with what its tp_dealloc, tp_clear and tp_traverse handle.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { functionSubexpressions, objectNames, type FunctionGraph } from './cfg.ts';
import { RELEASE_PRIMITIVES } from './engine.ts';
import { uncast, type Expr, type Span } from './expressions.ts';
import { memoized } from './memo.ts';
import { HEAD_FIELDS } from './tree-index.ts';

export interface ObjectMember {
  readonly name: string;
  readonly span: Span;
  /** The declaration's line says the member is borrowed or weak: the type does not own it. */
  readonly notOwned: boolean;
}

export interface ObjectType {
  readonly name: string;
  readonly members: readonly ObjectMember[];
}

/** `PyObject_HEAD` and `PyObject_VAR_HEAD` as the declarations they expand to, same length, so the parser reads the struct. */
export function spellOutObjectHeads(text: string): string {
  return text.replace(/\bPyObject_HEAD\b/g, 'PyObject _h_;').replace(/\bPyObject_VAR_HEAD\b/g, 'PyVarObject _vh_;');
}

function namedChildren(node: TsNode): TsNode[] {
  return node.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment');
}

function fieldName(declarator: TsNode | null): { name: string; pointer: boolean } | null {
  let pointer = false;
  let cur = declarator;
  for (let guard = 0; cur && guard < 20; guard++) {
    if (cur.type === 'field_identifier') return { name: cur.text, pointer };
    if (cur.type === 'pointer_declarator') pointer = true;
    if (cur.type === 'function_declarator' || cur.type === 'array_declarator') return null;
    cur = cur.childForFieldName('declarator');
  }
  return null;
}

/** Object types by every name they go by (`Name` of a typedef, `struct tag`). */
export function readObjectTypes(structs: readonly TsNode[], source: string): Map<string, ObjectType> {
  const types = new Map<string, ObjectType>();
  for (const spec of structs) {
    const body = spec.childForFieldName('body');
    if (!body) continue;
    const fields = namedChildren(body).filter((f) => f.type === 'field_declaration');
    const first = fields[0];
    const firstName = first ? fieldName(first.childForFieldName('declarator'))?.name : undefined;
    if (!first || !firstName || !HEAD_FIELDS.has(firstName)) continue;
    const members: ObjectMember[] = [];
    for (const f of fields.slice(1)) {
      const type = f.childForFieldName('type')?.text ?? '';
      if (!/Object$/.test(type) && type !== 'PyObject') continue;
      const lineEnd = source.indexOf('\n', f.endIndex);
      const rest = source.slice(f.startIndex, lineEnd === -1 ? source.length : lineEnd);
      for (const d of f.childrenForFieldName('declarator')) {
        const named = fieldName(d);
        if (named?.pointer) members.push({ name: named.name, span: { start: d!.startIndex, end: d!.endIndex }, notOwned: /borrow|weak|not owned/i.test(rest) });
      }
    }
    const tag = spec.childForFieldName('name')?.text;
    const typedefName = spec.parent?.type === 'type_definition' ? spec.parent.childForFieldName('declarator')?.text : undefined;
    const name = typedefName ?? (tag ? `struct ${tag}` : null);
    if (!name) continue;
    const type = { name, members };
    if (typedefName) types.set(typedefName, type);
    if (tag) types.set(`struct ${tag}`, type);
  }
  return types;
}

function memberOf(expr: Expr | undefined): string | null {
  const e = expr ? uncast(expr) : null;
  return e?.t === 'member' && e.arrow ? e.field : null;
}

/** What one function does to members, and the file functions and slot pointers it calls. */
export interface MemberFacts {
  readonly released: ReadonlySet<string>;
  /**
   * Members whose address a call is given (`_clear_joined_ptr(&self->tail)`, also `FD_ZERO(&self->fds)`): the callee
   * may release and reset them. Not evidence that a member holds references, as `released` is.
   */
  readonly addressed: ReadonlySet<string>;
  readonly visited: ReadonlySet<string>;
  readonly callees: ReadonlySet<string>;
  /** Slots called through a pointer (`Py_TYPE(self)->tp_clear(self)`). */
  readonly slotCalls: ReadonlySet<string>;
  /** Calls that are given the object itself (`cleanup(self)`): unless the callee is known, it may release its members. */
  readonly pointerCalls: ReadonlySet<string>;
}

export function memberFacts(fn: FunctionGraph): MemberFacts {
  const released = new Set<string>();
  const addressed = new Set<string>();
  const visited = new Set<string>();
  const callees = new Set<string>();
  const slotCalls = new Set<string>();
  const pointerCalls = new Set<string>();
  // `PyObject *lf = self->limitframe; self->limitframe = NULL; Py_XDECREF(lf);` releases the member too.
  const copiedMembers = new Map<string, string>();
  for (const node of fn.nodes) {
    const field = node.kind === 'declare' && node.init ? memberOf(node.init) : null;
    if (field && node.kind === 'declare') copiedMembers.set(node.name, field);
  }
  // A traverse that calls its visitproc parameter itself (often through a macro of its own) visits too.
  const visitors = new Set(fn.params.filter((p) => p.type.startsWith('visitproc')).map((p) => p.name));
  const selfNames = objectNames(fn);
  const all = functionSubexpressions(fn);
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!;
    if (e.t !== 'call') continue;
    if (e.callee === null) {
      const target = e.calleeExpr ? uncast(e.calleeExpr) : null;
      if (target?.t === 'member') slotCalls.add(target.field);
      continue;
    }
    const arg = e.args[0] ? uncast(e.args[0]) : null;
    const member = memberOf(e.args[0]) ?? (arg?.t === 'name' ? (copiedMembers.get(arg.name) ?? null) : null);
    if (member && RELEASE_PRIMITIVES.has(e.callee)) released.add(member);
    else if (member && (e.callee === 'Py_VISIT' || visitors.has(e.callee))) visited.add(member);
    else callees.add(e.callee);
    if (e.args.some((a) => { const u = uncast(a); return u.t === 'name' && selfNames.has(u.name); })) pointerCalls.add(e.callee);
    for (const a of e.args) {
      const u = uncast(a);
      const field = u.t === 'address' ? memberOf(u.of) : null;
      if (field !== null) addressed.add(field);
    }
  }
  return { released, addressed, visited, callees, slotCalls, pointerCalls };
}

/**
 * The name of the object type a function works on: its first parameter's pointer type, or the type its first
 * declaration casts to (`Foo *self = (Foo *)op;`), as written without `*`; null for a plain `PyObject *`.
 */
export function selfTypeName(fn: FunctionGraph): string | null {
  // The member rules ask it of every function for every type: once per function is enough.
  return memoized(SELF_TYPE_NAMES, fn, () => readSelfTypeName(fn));
}

const SELF_TYPE_NAMES = new WeakMap<FunctionGraph, string | null>();

function readSelfTypeName(fn: FunctionGraph): string | null {
  const clean = (type: string): string => type.replace(/\*/g, '').trim();
  const first = fn.params[0];
  if (first?.pointer && clean(first.type) !== 'PyObject') return clean(first.type);
  for (const node of fn.nodes) {
    if (node.kind === 'declare' && node.init?.t === 'cast' && /\*/.test(node.init.type) && clean(node.init.type) !== 'PyObject') return clean(node.init.type);
  }
  return null;
}

/**
 * The members a function releases (or visits), through the file's functions it calls and the slots it calls
 * through a pointer; `opaque` when it hands a pointer to a function nobody here knows, which might do it too.
 */
export function membersHandled(
  name: string,
  what: 'released' | 'visited',
  facts: ReadonlyMap<string, MemberFacts>,
  slotFunctions: ReadonlyMap<string, readonly string[]>,
  isKnownApi: (name: string) => boolean,
): { members: Set<string>; opaque: boolean } {
  const members = new Set<string>();
  let opaque = false;
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const f = facts.get(current);
    if (!f) continue;
    for (const m of f[what]) members.add(m);
    if (what === 'released') for (const m of f.addressed) members.add(m);
    for (const callee of f.callees) if (facts.has(callee)) stack.push(callee);
    for (const slot of f.slotCalls) stack.push(...(slotFunctions.get(slot) ?? []));
    for (const callee of f.pointerCalls) if (!facts.has(callee) && !isKnownApi(callee)) opaque = true;
  }
  return { members, opaque };
}
