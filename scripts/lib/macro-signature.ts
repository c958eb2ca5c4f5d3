/**
 * Reads what a function-like macro takes and gives from its definition in the headers, since neither the docs nor
 * the C declaration types a macro: `#define PyCell_Check(op) Py_IS_TYPE((op), &PyCell_Type)` passes `op` to a
 * function whose parameter is a `PyObject *`, and gives that function's `int`. The replacement text is parsed with
 * tree-sitter's C grammar (as the body of a function), never matched with regular expressions, and followed
 * through the helper macros it uses down to a typed function. Pure: definitions and a parser in, readings out.
 */
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { escapeRegExp, normaliseType, splitTopLevel, type CParam } from './c-declaration.ts';
import type { HeaderDeclaration, StructLayout } from '../sources/headers.ts';

/**
 * What a macro argument or result is. value: an expression of `type` ('' when the definition does not say which);
 * type-name: a C type (`PyObject_New(TYPE, typeobj)`); token: a name the macro stringifies or pastes
 * (`PyModule_AddIntMacro(module, macro)`); sizeof: measured with sizeof, so a type or array; statement: the macro
 * is a statement and gives no value; number: an integer computed from its arguments (shifts, masks).
 */
export type MacroRole = 'value' | 'number' | 'type-name' | 'token' | 'sizeof' | 'statement';

export interface MacroReading {
  role: MacroRole;
  /** The C type, for values; 'void' for statements; '' otherwise. */
  type: string;
  /** The function the argument reaches unchanged (casts aside), or whose result the macro gives: it has that function's ownership. */
  passedTo: { callee: string; index: number | 'returns' } | null;
  /** How the reading was made, in our words, for the evidence. */
  how: string;
  /** Set when the definition itself shows the ownership: a macro that reads an object member hands out the object's own, borrowed, reference. */
  borrowedMember?: true;
}

export interface MacroSignature {
  returns: MacroReading | null;
  params: (MacroReading | null)[];
}

/** Macros nest (PyTuple_GET_SIZE → Py_SIZE → _PyVarObject_CAST → _Py_CAST); real ones are a few levels deep. */
const MAX_DEPTH = 6;
const COMPARISON = new Set(['==', '!=', '<', '>', '<=', '>=', '&&', '||']);
const OBJECT_POINTER = /^(const )?(PyObject|Py\w*Object) \*$/;

/**
 * A cast (at `where`) from one object pointer type to another of what a call gives or a member read: the same
 * object, its ownership kept. Null for any other cast.
 */
function objectCast(where: string, type: string, value: MacroReading | null): MacroReading | null {
  if (!value || (value.passedTo?.index !== 'returns' && value.borrowedMember !== true)) return null;
  if (!OBJECT_POINTER.test(type) || !OBJECT_POINTER.test(value.type)) return null;
  return { ...value, type, how: `${where} gives, cast to ${type}, ${value.how.replace(/^gives /, '')}` };
}

/**
 * Helper macros of object.h that only cast their argument to an object type: the value is the argument's, so a call
 * inside keeps its ownership (`_PyObject_CAST(Py_TYPE(x))` gives what Py_TYPE gives).
 */
const OBJECT_CASTS: ReadonlyMap<string, string> = new Map([
  ['_PyObject_CAST', 'PyObject *'],
  ['_PyVarObject_CAST', 'PyVarObject *'],
]);

export class MacroReader {
  private readonly typed = new Map<string, HeaderDeclaration>();
  private readonly macros = new Map<string, HeaderDeclaration>();
  /** Object-like macros that name a function (`#define PyObject_DEL PyObject_Free`). */
  private readonly aliases = new Map<string, HeaderDeclaration>();
  /** Each macro's parsed definition; the trees live in tree-sitter's WASM memory until dispose(). */
  private readonly trees = new Map<string, { tree: Tree | null; body: Node | null }>();
  private readonly structs = new Map<string, StructLayout>();
  /** member name → the types it has in the structs that have it. */
  private readonly fieldsNamed = new Map<string, string[]>();
  private readonly parser: Parser;

  constructor(parser: Parser, declarations: readonly HeaderDeclaration[], structs: readonly StructLayout[]) {
    this.parser = parser;
    for (const layout of structs) {
      if (!this.structs.has(layout.name)) this.structs.set(layout.name, layout);
      for (const field of layout.fields ?? []) this.fieldsNamed.set(field.name, [...(this.fieldsNamed.get(field.name) ?? []), field.type]);
    }
    // A name defined in several #if branches (PyDoc_STR with and without docstrings) is read from its first definition.
    for (const declaration of declarations) {
      if (declaration.kind === 'function' || declaration.kind === 'inline-function') {
        if (!this.typed.has(declaration.name)) this.typed.set(declaration.name, declaration);
      } else if (declaration.kind === 'macro' && declaration.params && !this.macros.has(declaration.name)) {
        this.macros.set(declaration.name, declaration);
      } else if (declaration.kind === 'macro' && !declaration.params && /^\w+$/.test(declaration.body ?? '') && !this.aliases.has(declaration.name)) {
        this.aliases.set(declaration.name, declaration);
      }
    }
  }

  /** The header declaration a macro's readings come from, for evidence locations. */
  definition(name: string): HeaderDeclaration | undefined {
    return this.macros.get(name);
  }

  /**
   * A macro that is also a static inline function of the same name (the 3.11+ pattern) reads as that function; an
   * object-like macro that names a function, as the function; any other function-like macro, from its definition.
   */
  read(name: string): MacroSignature | null {
    const alias = this.aliases.get(name);
    const typed = this.typed.get(name) ?? (alias ? this.typed.get(alias.body!) : undefined);
    if (typed?.params) {
      const where = `${typed.header}:${typed.line}`;
      const said = alias ? `${alias.header}:${alias.line} names ${typed.name}(), declared at ${where}` : `declared as a function at ${where}`;
      return {
        returns: reading('value', typed.returnType ?? 'void', { callee: typed.name, index: 'returns' }, said),
        params: typed.params.map((param, index) => (param.type === '...' ? null : reading('value', param.type, { callee: typed.name, index }, said))),
      };
    }
    const macro = this.macros.get(name);
    if (!macro) return null;
    return { returns: this.readReturn(macro, 0), params: macro.params!.map((_, index) => this.readParam(macro, index, 0)) };
  }

  /** A helper such as _PyObject_CAST(op) or _PyTuple_CAST(op): one argument, given back cast to a type. */
  private castMacroType(call: Node): string | null {
    const macro = this.macros.get(call.childForFieldName('function')?.text ?? '');
    if (!macro || macro.params?.length !== 1 || this.typed.has(macro.name)) return null;
    const result = this.readReturn(macro, MAX_DEPTH);
    return result?.role === 'value' && result.how.includes('casts its result') ? result.type : null;
  }

  private body(macro: HeaderDeclaration): Node | null {
    if (!this.trees.has(macro.name)) {
      // The definition becomes the body of a function, which the grammar reads as statements and expressions.
      const tree = this.parser.parse(`void macro_body(void) { ${expandForGrammar(macro.body ?? '')} ; }`);
      this.trees.set(macro.name, { tree, body: tree?.rootNode.child(0)?.childForFieldName('body') ?? null });
    }
    return this.trees.get(macro.name)!.body;
  }

  /** Frees the parsed definitions; the readings already returned are plain data and stay valid. */
  dispose(): void {
    for (const { tree } of this.trees.values()) tree?.delete();
    this.trees.clear();
  }

  private readParam(macro: HeaderDeclaration, index: number, depth: number): MacroReading | null {
    const name = macro.params![index]!.name;
    const body = macro.body ?? '';
    if (name === '...' || depth > MAX_DEPTH) return null;
    const word = escapeRegExp(name);
    if (new RegExp(`(^|[^#])#\\s*${word}\\b`).test(body)) return reading('token', '', null, `the macro turns ${name} into a string (#${name})`);
    if (new RegExp(`##\\s*${word}\\b|\\b${word}\\s*##`).test(body)) return reading('token', '', null, `the macro pastes ${name} into a name (##)`);
    const root = this.body(macro);
    if (!root) return null;

    const readings: MacroReading[] = [];
    for (const use of descendants(root, (node) => node.text === name && (node.type === 'identifier' || node.type === 'type_identifier'))) {
      if (use.type === 'type_identifier') {
        readings.push(reading('type-name', '', null, `${macro.header}:${macro.line} uses ${name} as a type`));
        continue;
      }
      const { outer, castType } = climbCasts(use, (call) => this.castMacroType(call));
      const parent = outer.parent;
      if (parent?.type === 'argument_list' && parent.parent?.type === 'call_expression') {
        const callee = parent.parent.childForFieldName('function')?.text ?? '';
        const position = parent.namedChildren.findIndex((child) => child?.id === outer.id);
        const typed = this.typed.get(callee);
        const param = typed?.params?.[position];
        if (param && param.type !== '...') {
          readings.push(reading('value', param.type, { callee, index: position }, `passed to ${callee}() as argument ${position + 1} (${typed!.header}:${typed!.line})`));
          continue;
        }
        const inner = !typed && this.macros.has(callee) ? this.readParam(this.macros.get(callee)!, position, depth + 1) : null;
        if (inner) {
          readings.push({ ...inner, how: `passed to ${callee}() as argument ${position + 1}, which is ${inner.how}` });
          continue;
        }
      }
      if (parent?.type === 'argument_list' && parent.parent?.childForFieldName('function')?.type === 'field_expression') {
        const callee = parent.parent.childForFieldName('function')!;
        const pointer = functionPointer(this.memberType(callee, macro, depth));
        const position = parent.namedChildren.findIndex((child) => child?.id === outer.id);
        const type = pointer?.params[position];
        if (type) {
          readings.push(reading('value', type.replace(/\s*\b\w+$/, (name) => (/[*\s]$/.test(type.slice(0, -name.length)) ? '' : name)), null, `passed to the function pointer ${callee.text} as argument ${position + 1} (${pointer!.type})`));
          continue;
        }
      }
      if (parent?.type === 'subscript_expression' && parent.childForFieldName('index')?.id === outer.id) {
        readings.push(reading('number', '', null, `${macro.header}:${macro.line} uses ${name} as an index`));
        continue;
      }
      if (parent?.type === 'sizeof_expression') {
        readings.push(reading('sizeof', '', null, `${macro.header}:${macro.line} measures ${name} with sizeof`));
        continue;
      }
      if (castType) readings.push(reading('value', castType, null, `${macro.header}:${macro.line} casts ${name} to ${castType}`));
    }
    // The strongest use decides: a typed parameter, then a cast, then how a type or array is used.
    const rank = (candidate: MacroReading): number =>
      candidate.passedTo ? 0 : candidate.role === 'value' && candidate.type !== '' ? 1 : candidate.role === 'value' ? 2 : 3;
    return readings.sort((a, b) => rank(a) - rank(b))[0] ?? null;
  }

  private readReturn(macro: HeaderDeclaration, depth: number): MacroReading | null {
    if (depth > MAX_DEPTH) return null;
    const where = `${macro.header}:${macro.line}`;
    if ((macro.body ?? '') === '') return reading('statement', 'void', null, `${where} expands to nothing`);
    const root = this.body(macro);
    const statements = root?.namedChildren.filter((child) => child && child.type !== 'comment') ?? [];
    if (statements.length !== 1 || statements[0]!.type !== 'expression_statement' || root!.hasError) {
      const isStatement = statements.some((statement) => statement && /^(do|if|for|while|switch|return|compound|declaration)/.test(statement.type));
      if (isStatement && !root!.hasError) return reading('statement', 'void', null, `${where} expands to a statement`);
      // Half a block (Py_BEGIN_CRITICAL_SECTION opens a brace its END macro closes) cannot parse, yet is plainly code.
      const halfBlock = /^\{|\}$|;/.test(macro.body ?? '');
      return halfBlock ? reading('statement', 'void', null, `${where} expands to statements (part of a block)`) : null;
    }
    const expression = statements[0]!.namedChild(0);
    return expression ? this.expressionType(expression, macro, depth) : null;
  }

  /** The type of an expression in a macro's replacement text, as far as the headers say. */
  private expressionType(node: Node, macro: HeaderDeclaration, depth: number): MacroReading | null {
    const where = `${macro.header}:${macro.line}`;
    switch (node.type) {
      case 'parenthesized_expression':
        return node.namedChild(0) ? this.expressionType(node.namedChild(0)!, macro, depth) : null;
      case 'call_expression': {
        const function_ = node.childForFieldName('function');
        const callee = function_?.text ?? '';
        if (function_?.type === 'field_expression') {
          const pointer = functionPointer(this.memberType(function_, macro, depth));
          return pointer ? reading('value', pointer.returnType, null, `gives the result of the function pointer ${callee} (${pointer.type})`) : null;
        }
        const castTo = OBJECT_CASTS.get(callee);
        const castArgument = castTo ? node.childForFieldName('arguments')?.namedChild(0) : null;
        const cast = castTo && castArgument ? objectCast(where, castTo, this.expressionType(castArgument, macro, depth)) : null;
        if (cast) return cast;
        const typed = this.typed.get(callee);
        if (typed?.returnType) return reading('value', typed.returnType, { callee, index: 'returns' }, `gives the result of ${callee}() (${typed.header}:${typed.line})`);
        const inner = !typed && this.macros.has(callee) ? this.readReturn(this.macros.get(callee)!, depth + 1) : null;
        return inner ? { ...inner, how: `gives the result of ${callee}(), which ${inner.how}` } : null;
      }
      case 'cast_expression': {
        const type = normaliseType(node.childForFieldName('type')?.text ?? '');
        // `(type *)_PyObject_New(typeobj)` casts to the caller's own type: whether that is an object is what the
        // cast value is (PyObject_New's is, PyMem_New's void * is not).
        const base = type.replace(/^const /, '').replace(/\s*\*$/, '');
        const value = node.childForFieldName('value');
        const inner = value ? this.expressionType(value, macro, depth) : null;
        if (macro.params?.some((param) => param.name === base) && inner?.role === 'value' && OBJECT_POINTER.test(inner.type)) {
          return { ...inner, how: `${where} casts ${inner.type === '' ? 'its result' : `a ${inner.type}`} to the caller's type ${type}: ${inner.how}` };
        }
        return objectCast(where, type, inner) ?? reading('value', type, null, `${where} casts its result to ${type}`);
      }
      case 'field_expression':
      case 'subscript_expression': {
        const type = this.memberType(node, macro, depth);
        if (!type) return null;
        return { ...reading('value', type, null, `${where} reads the member ${node.text.replace(/\s+/g, ' ')}, a ${type}, which the object keeps owning`), borrowedMember: true };
      }
      case 'comma_expression': {
        // `(assert(PyTuple_Check(op)), _Py_CAST(PyTupleObject *, (op)))`: the value is the last operand's.
        const last = node.childForFieldName('right');
        return last ? this.expressionType(last, macro, depth) : null;
      }
      case 'conditional_expression': {
        // `(n > max) ? NULL : (type *)PyMem_Malloc(…)`: either branch that says its type.
        const branches = [node.childForFieldName('consequence'), node.childForFieldName('alternative')];
        for (const branch of branches) {
          const type = branch ? this.expressionType(branch, macro, depth) : null;
          if (type) return type;
        }
        return null;
      }
      case 'assignment_expression': {
        const value = node.childForFieldName('right');
        return value ? this.expressionType(value, macro, depth) : null;
      }
      case 'binary_expression': {
        const operator = node.childForFieldName('operator')?.text ?? '';
        if (COMPARISON.has(operator)) return reading('value', 'int', null, `${where} gives a comparison`);
        if (INTEGER_OPERATORS.has(operator)) return reading('number', '', null, `${where} gives an integer (${operator})`);
        return null;
      }
      case 'unary_expression':
        return node.childForFieldName('operator')?.text === '!' ? reading('value', 'int', null, `${where} gives a negation`) : null;
      case 'string_literal':
      case 'concatenated_string':
        return reading('value', 'const char *', null, `${where} gives a string literal`);
      default:
        return null;
    }
  }

  /**
   * The type of `x->member` or `x->member[i]`: the struct is the one x is cast to, or, when x is not cast, the only
   * struct in the headers with a member of that name.
   */
  private memberType(node: Node, macro: HeaderDeclaration, depth: number): string | null {
    if (node.type === 'subscript_expression') {
      const array = node.childForFieldName('argument');
      const type = array ? this.memberType(array, macro, depth) : null;
      return type ? elementType(type) : null;
    }
    if (node.type === 'parenthesized_expression' && node.namedChild(0)) return this.memberType(node.namedChild(0)!, macro, depth);
    if (node.type !== 'field_expression') return null;
    const member = node.childForFieldName('field')?.text ?? '';
    const argument = node.childForFieldName('argument');
    // The struct is what the argument is: a cast, or a helper such as _PyList_CAST(op) that gives a typed pointer.
    const ownerType = argument && depth <= MAX_DEPTH ? this.expressionType(argument, macro, depth + 1)?.type : undefined;
    const owner = ownerType?.endsWith('*') ? ownerType.replace(/\s*\*$/, '') : undefined;
    if (owner) return this.layout(owner)?.find((field) => field.name === member)?.type ?? null;
    const types = new Set(this.fieldsNamed.get(member) ?? []);
    return types.size === 1 ? [...types][0]! : null;
  }

  private layout(name: string): CParam[] | null {
    for (let current: string | null = name, hops = 0; current && hops < 4; hops++) {
      const layout = this.structs.get(current);
      if (!layout) return null;
      if (layout.fields) return layout.fields;
      current = layout.aliasOf;
    }
    return null;
  }
}

const INTEGER_OPERATORS = new Set(['<<', '>>', '|', '&', '^', '%']);

/** `PyObject *(*)(int, PyTypeObject *)` → its return type and parameters. */
function functionPointer(type: string | null): { type: string; returnType: string; params: string[] } | null {
  const match = type ? /^(.*?)\s*\(\*\)\((.*)\)$/.exec(type) : null;
  if (!match) return null;
  return { type: type!, returnType: normaliseType(match[1]!), params: splitTopLevel(match[2]!).map((param) => normaliseType(param)) };
}

/** The type of one element of an array or pointer member. */
function elementType(type: string): string | null {
  if (/\[[^\]]*\]$/.test(type)) return normaliseType(type.replace(/\s*\[[^\]]*\]$/, ''));
  if (type.endsWith('*')) return normaliseType(type.slice(0, -1));
  return null;
}

function reading(role: MacroRole, type: string, passedTo: MacroReading['passedTo'], how: string): MacroReading {
  return { role, type: type === '' ? '' : normaliseType(type), passedTo, how };
}

/** Goes up through parentheses, casts and cast helpers around an argument, keeping the innermost cast's type. */
function climbCasts(node: Node, castMacroType: (call: Node) => string | null): { outer: Node; castType: string | null } {
  let outer = node;
  let castType: string | null = null;
  for (let parent = outer.parent; parent; parent = outer.parent) {
    if (parent.type === 'parenthesized_expression') outer = parent;
    else if (parent.type === 'cast_expression' && parent.childForFieldName('value')?.id === outer.id) {
      castType ??= normaliseType(parent.childForFieldName('type')?.text ?? '');
      outer = parent;
    } else if (parent.type === 'argument_list' && parent.namedChildren.length === 1 && parent.parent?.type === 'call_expression') {
      const type = castMacroType(parent.parent);
      if (type === null) break;
      castType ??= type;
      outer = parent.parent;
    } else break;
  }
  return { outer, castType };
}

function descendants(root: Node, match: (node: Node) => boolean): Node[] {
  const found: Node[] = [];
  const visit = (node: Node): void => {
    if (match(node)) found.push(node);
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

/**
 * Rewrites what the C grammar cannot read in a replacement text: `_Py_CAST(type, expr)`, whose first argument is
 * a type, becomes the cast it is defined as, and # / ## (already recorded as tokens) are dropped.
 */
function expandForGrammar(body: string): string {
  let text = body.replace(/\s*##\s*/g, '').replace(/(^|[^#])#\s*(\w+)/g, '$1"$2"');
  for (let at = text.indexOf('_Py_CAST('); at >= 0; at = text.indexOf('_Py_CAST(', at + 1)) {
    const open = at + '_Py_CAST'.length;
    let depth = 0;
    let close = open;
    for (; close < text.length; close++) {
      if (text[close] === '(') depth++;
      if (text[close] === ')' && --depth === 0) break;
    }
    const [type, ...rest] = splitTopLevel(text.slice(open + 1, close));
    if (!type || rest.length === 0) break;
    text = `${text.slice(0, at)}((${type})(${rest.join(', ')}))${text.slice(close + 1)}`;
  }
  return text;
}
