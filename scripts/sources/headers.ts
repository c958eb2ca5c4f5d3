/**
 * Reads CPython's public headers with tree-sitter's C grammar: every exported function (PyAPI_FUNC), exported
 * variable (PyAPI_DATA), public static inline function and public macro, with its declaration, the header and
 * line, and the preprocessor conditions around it. Pure: header text and a parser in, declarations out.
 *
 * Headers are read unpreprocessed on purpose: the conditions (`#ifndef Py_LIMITED_API`, `#ifdef MS_WINDOWS`) are
 * information, and a preprocessor would need pyconfig.h of one particular build.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { normaliseType, type CParam } from '../lib/c-declaration.ts';
import { SourceError } from '../lib/errors.ts';

export type HeaderKind = 'function' | 'inline-function' | 'data' | 'macro';

export interface HeaderDeclaration {
  name: string;
  kind: HeaderKind;
  /** Path under the source root, e.g. 'Include/cpython/listobject.h'. */
  header: string;
  /** 1-based. */
  line: number;
  /** A function's return type, a variable's type; null for macros. */
  returnType: string | null;
  /** null for object-like macros and variables; macro parameters have type ''. */
  params: CParam[] | null;
  /** The preprocessor conditions it sits under, outermost first, as written ('!defined(Py_LIMITED_API)'). */
  conditions: string[];
  /** The version in its Py_DEPRECATED(X.Y) marker, if it has one. */
  deprecated: string | null;
  /** A macro's replacement text, continuation lines joined and comments removed; null for anything else. */
  body: string | null;
}

export interface ParsedHeader {
  declarations: HeaderDeclaration[];
  /** Underscored functions and macros: not API, but public macros expand to them, so they tell a macro's types. */
  helpers: HeaderDeclaration[];
  /** Struct layouts by typedef name and by 'struct tag', so a macro reading a member knows the member's type. */
  structs: StructLayout[];
  /** Quoted includes as written ('cpython/listobject.h'); the includer resolves them against its search path. */
  includes: string[];
  /** Parts of the header the grammar could not read, by line: reported, never silently dropped. */
  unreadable: number[];
  /**
   * Exported declarations the text shows (`PyAPI_FUNC(...) Name(`, `PyAPI_DATA(...) Name`, outside comments and
   * #define bodies) that the parse did not yield: text the C parser lost, most likely to a syntax error near it.
   */
  lost: { name: string; line: number }[];
}

export interface StructLayout {
  /** 'PyListObject', or 'struct _longobject' for a tagged struct. */
  name: string;
  /** null for `typedef struct _longobject PyLongObject;`, which names a struct laid out elsewhere. */
  fields: CParam[] | null;
  /** The struct a typedef names, when its layout is elsewhere. */
  aliasOf: string | null;
}

/** Public means a name a C extension may use: not underscored, and for macros in the Py/PY namespace. */
function isPublicName(name: string, kind: HeaderKind): boolean {
  if (name.startsWith('_')) return false;
  if (kind !== 'macro') return true;
  // Include guards (Py_LISTOBJECT_H) are macros too, but not API.
  return /^(Py|PY)[A-Za-z0-9_]*$/.test(name) && !/_H$/.test(name);
}

/** web-tree-sitter hands out a new object per access, so nodes compare by id. */
function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

function text(node: Node | null): string {
  return node ? node.text.replace(/\s+/g, ' ').trim() : '';
}

/** The identifier a declarator declares: `*name`, `name[]`, `(*name)(…)` all lead to `name`. */
function declaredName(node: Node | null): string {
  if (!node) return '';
  if (node.type === 'identifier' || node.type === 'field_identifier' || node.type === 'type_identifier') return node.text;
  const inner = node.childForFieldName('declarator');
  if (inner) return declaredName(inner);
  for (const child of node.namedChildren) {
    if (!child) continue;
    const name = declaredName(child);
    if (name) return name;
  }
  return '';
}

/** The type of a declarator with its name taken out: `PyObject **out` → `PyObject **`. */
function typeWithoutName(base: string, declarator: Node | null, name: string): string {
  if (!declarator) return normaliseType(base);
  const rest = name ? declarator.text.replace(new RegExp(`\\b${name}\\b`), '') : declarator.text;
  return normaliseType(`${base} ${rest}`);
}

function parameters(list: Node | null): CParam[] {
  if (!list) return [];
  const params: CParam[] = [];
  for (const child of list.namedChildren) {
    if (!child) continue;
    if (child.type === 'variadic_parameter') {
      params.push({ name: '...', type: '...' });
      continue;
    }
    if (child.type !== 'parameter_declaration') continue;
    const declarator = child.childForFieldName('declarator');
    const base = [...child.children]
      .filter((part) => part && !same(part, declarator))
      .map((part) => part!.text)
      .join(' ');
    const name = declaredName(declarator);
    const type = typeWithoutName(base, declarator, name);
    if (type === 'void' && !name) continue;
    params.push({ name, type });
  }
  return params;
}

/** PyAPI_FUNC(type) / PyAPI_DATA(type): tree-sitter reads the macro call as a macro_type_specifier. */
function exportMacro(declaration: Node): { macro: string; type: string } | null {
  const type = declaration.childForFieldName('type');
  if (type?.type !== 'macro_type_specifier') return null;
  const macro = type.childForFieldName('name')?.text ?? '';
  if (macro !== 'PyAPI_FUNC' && macro !== 'PyAPI_DATA') return null;
  return { macro, type: normaliseType(text(type.childForFieldName('type'))) };
}

function functionDeclarator(node: Node | null): Node | null {
  if (!node) return null;
  if (node.type === 'function_declarator') return node;
  return functionDeclarator(node.childForFieldName('declarator'));
}

/** Pointer stars that belong to the return type sit between the type and the function declarator. */
function returnPointers(declarator: Node | null): string {
  let stars = '';
  for (let node = declarator; node && node.type === 'pointer_declarator'; node = node.childForFieldName('declarator')) stars += '*';
  return stars;
}

function conditionOf(node: Node): string {
  if (node.type === 'preproc_ifdef') {
    const negated = node.children[0]?.text.trim() === '#ifndef';
    const name = node.childForFieldName('name')?.text ?? '';
    return negated ? `!defined(${name})` : `defined(${name})`;
  }
  return text(node.childForFieldName('condition'));
}

/** Include guards and the C++ linkage wrapper surround everything; as conditions they say nothing. */
const IGNORED_CONDITION = /^!?defined\((__cplusplus|\w+_H)\)$/;

/**
 * Annotation macros that tree-sitter cannot know are macros (`Py_GCC_ATTRIBUTE((format(printf, 1, 2)))` after a
 * prototype, `Py_DEPRECATED(3.12)` before one) make it lose the whole declaration. They are overwritten with
 * spaces of the same length, so every line and column stays where it was.
 */
const ANNOTATIONS = /\bPy_GCC_ATTRIBUTE\s*\(\((?:[^()]|\([^()]*\))*\)\)|\bPy_DEPRECATED\s*\(\s*[\d.]+\s*\)|\b_?Py_NO_RETURN\b|\bPy_ALWAYS_INLINE\b|\bPy_NO_INLINE\b/g;

/**
 * A struct's head macro (`PyObject_HEAD`, `_PyDateTime_DATETIMEHEAD`, `_Py_COMMON_FIELDS(func_)`) stands alone on its
 * line with no semicolon, so the grammar would read it as the type of the member after it.
 */
const HEAD_MACRO_LINE = /^[ \t]*\w*(?:HEAD|COMMON|FIELDS)\w*(?:\(\w*\))?[ \t]*(?:\/\*.*\*\/)?[ \t]*$/gm;

/** Text made spaces, its newlines kept, so that every line and column after it stays where it was. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

function blankAnnotations(source: string): string {
  return source.replace(ANNOTATIONS, blank).replace(HEAD_MACRO_LINE, blank);
}

/** Py_DEPRECATED(X.Y) on the declaration's line or the line before it. */
function deprecationOf(lines: string[], line: number): string | null {
  const near = `${lines[line - 2] ?? ''}\n${lines[line - 1] ?? ''}`;
  return /\bPy_DEPRECATED\s*\(\s*([\d.]+)\s*\)/.exec(near)?.[1] ?? null;
}

function structFields(body: Node): CParam[] {
  const fields: CParam[] = [];
  for (const field of body.namedChildren) {
    if (field?.type !== 'field_declaration') continue;
    const base = [...field.children]
      .filter((part) => part && (part.type === 'type_qualifier' || same(part, field.childForFieldName('type'))))
      .map((part) => part!.text)
      .join(' ');
    for (const declarator of field.childrenForFieldName('declarator')) {
      if (!declarator) continue;
      const name = declaredName(declarator);
      fields.push({ name, type: typeWithoutName(base, declarator, name) });
    }
  }
  return fields;
}

/** `typedef struct [tag] { … } Name;`, `struct tag { … };` and `typedef struct tag Name;`. */
function structLayouts(node: Node): StructLayout[] {
  const specifier = node.type === 'struct_specifier' ? node : node.childForFieldName('type');
  if (specifier?.type !== 'struct_specifier') return [];
  const tag = specifier.childForFieldName('name')?.text;
  const body = specifier.childForFieldName('body');
  const layouts: StructLayout[] = [];
  const fields = body ? structFields(body) : null;
  if (tag && fields) layouts.push({ name: `struct ${tag}`, fields, aliasOf: null });
  if (node.type === 'type_definition') {
    for (const declarator of node.childrenForFieldName('declarator')) {
      if (declarator?.type !== 'type_identifier') continue;
      layouts.push(fields && !tag ? { name: declarator.text, fields, aliasOf: null } : { name: declarator.text, fields: null, aliasOf: tag ? `struct ${tag}` : null });
    }
  }
  return layouts;
}

function macroBody(node: Node): string {
  return (node.childForFieldName('value')?.text ?? '')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*?(?=\\?\r?\n|$)/g, '')
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseHeader(source: string, header: string, parser: Parser): ParsedHeader {
  const lines = source.split('\n');
  const tree = parser.parse(blankAnnotations(source));
  if (!tree) throw new SourceError(header, 'the C parser returned no tree', 'Check that the file is a C header.');
  const parsed: ParsedHeader = { declarations: [], helpers: [], structs: [], includes: [], unreadable: [], lost: [] };
  /** Every name a declaration of the parse gave, kept or not. */
  const yielded = new Set<string>();
  const add = (declaration: Omit<HeaderDeclaration, 'deprecated' | 'body'>, body: string | null = null): void => {
    yielded.add(declaration.name);
    const complete = { ...declaration, deprecated: deprecationOf(lines, declaration.line), body };
    if (isPublicName(declaration.name, declaration.kind)) parsed.declarations.push(complete);
    else if (declaration.name.startsWith('_') && declaration.kind !== 'data') parsed.helpers.push(complete);
  };

  const visit = (node: Node, conditions: string[]): void => {
    const line = node.startPosition.row + 1;
    // The grammar recovers from a broken declaration either by skipping text (ERROR) or by inventing a token.
    if (node.isMissing) parsed.unreadable.push(line);
    switch (node.type) {
      case 'ERROR':
        parsed.unreadable.push(line);
        break;
      case 'preproc_include': {
        const path = node.childForFieldName('path');
        // <stdio.h> is the system's and not ours to read.
        if (path?.type === 'string_literal') parsed.includes.push(path.text.slice(1, -1));
        return;
      }
      case 'preproc_def':
        add({ name: node.childForFieldName('name')?.text ?? '', kind: 'macro', header, line, returnType: null, params: null, conditions }, macroBody(node));
        return;
      case 'preproc_function_def': {
        const names = (node.childForFieldName('parameters')?.namedChildren ?? []).map((param) => param?.text ?? '');
        const params = names.map((name) => (name === '...' ? { name, type: '...' } : { name, type: '' }));
        add({ name: node.childForFieldName('name')?.text ?? '', kind: 'macro', header, line, returnType: null, params, conditions }, macroBody(node));
        return;
      }
      case 'declaration': {
        if (node.hasError) parsed.unreadable.push(line);
        const exported = exportMacro(node);
        if (exported) {
          const declarator = node.childForFieldName('declarator');
          const fn = functionDeclarator(declarator);
          if (exported.macro === 'PyAPI_FUNC' && fn) {
            const returnType = normaliseType(`${exported.type} ${returnPointers(declarator)}`);
            add({ name: declaredName(fn.childForFieldName('declarator')), kind: 'function', header, line, returnType, params: parameters(fn.childForFieldName('parameters')), conditions });
          } else {
            add({ name: declaredName(declarator), kind: 'data', header, line, returnType: typeWithoutName(exported.type, declarator, declaredName(declarator)), params: null, conditions });
          }
        }
        return;
      }
      case 'type_definition':
      case 'struct_specifier':
        parsed.structs.push(...structLayouts(node));
        break;
      case 'function_definition': {
        const specifiers = node.children.filter((child) => child?.type === 'storage_class_specifier').map((child) => child!.text);
        if (!specifiers.includes('static')) return;
        const declarator = node.childForFieldName('declarator');
        const fn = functionDeclarator(declarator);
        if (!fn) return;
        const base = [...node.children]
          .filter((child) => child && child.type !== 'storage_class_specifier' && !same(child, declarator) && child.type !== 'compound_statement' && child.type !== 'comment')
          .map((child) => child!.text)
          .join(' ');
        const returnType = normaliseType(`${base} ${returnPointers(declarator)}`);
        add({ name: declaredName(fn.childForFieldName('declarator')), kind: 'inline-function', header, line, returnType, params: parameters(fn.childForFieldName('parameters')), conditions });
        return;
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef': {
        const condition = conditionOf(node);
        const inside = IGNORED_CONDITION.test(condition) ? conditions : [...conditions, condition];
        const alternative = node.childForFieldName('alternative');
        const skip = [alternative, node.childForFieldName('condition'), node.childForFieldName('name')];
        for (const child of node.children) {
          if (child && !skip.some((part) => same(part, child))) visit(child, inside);
        }
        if (alternative) visit(alternative, IGNORED_CONDITION.test(condition) ? conditions : [...conditions, `!(${condition})`]);
        return;
      }
      default:
        break;
    }
    // All children, not only named ones: a token the grammar had to invent is unnamed.
    for (const child of node.children) if (child) visit(child, conditions);
  };

  visit(tree.rootNode, []);
  tree.delete();
  parsed.lost = exportedDeclarations(source).filter(({ name }) => !yielded.has(name));
  return parsed;
}

/**
 * The names `PyAPI_FUNC(type) Name(` and `PyAPI_DATA(type) Name` declare, read from the text alone (comments and
 * #define bodies blanked first): what the parse must yield, so that a declaration it lost does not go unnoticed.
 * A pointer to function as data (`PyAPI_DATA(int) (*PyOS_InputHook)(void);`) is left out: the grammar reads that
 * shape as a call, and the reader does not take it (PyOS_InputHook is the one such declaration in 3.9 to 3.15).
 */
function exportedDeclarations(source: string): { name: string; line: number }[] {
  const text = source
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, blank)
    .replace(/^[ \t]*#[ \t]*define\b(?:[^\n\\]|\\\r?\n|\\)*/gm, blank);
  const out: { name: string; line: number }[] = [];
  // Lines counted on from the previous match, not from the top each time.
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(/\bPyAPI_(?:FUNC|DATA)\s*\((?:[^()]|\([^()]*\))*\)\s*(?:const\s+)?\**\s*([A-Za-z_]\w*)\s*[([;,=]/g)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    counted = m.index;
    out.push({ name: m[1]!, line });
  }
  return out;
}
