/**
 * What a version's public headers add to its dataset: where each API is declared, what the macros the docs leave
 * untyped take and give, and the public API the docs do not document, as entries assembleApi reads like the
 * docs' own. Pure.
 */
import type { HeaderLocation } from '../../src/schema/api.ts';
import type { HeaderDeclaration } from '../sources/headers.ts';
import type { DocsEntry } from '../sources/docs-html.ts';
import type { Parser } from 'web-tree-sitter';
import { MacroReader, type MacroSignature } from './macro-signature.ts';
import type { HeaderSet } from './read-headers.ts';
import { compareNames } from './json-output.ts';

export interface HeaderFacts {
  /** The first public declaration of each name. */
  declarations: Map<string, HeaderDeclaration>;
  /** What each function-like macro takes and gives, from its definition. */
  macros: Map<string, MacroSignature>;
}

/** Declared only for CPython's own build (`#ifdef Py_BUILD_CORE`): public-looking, but not API. */
function isForCoreOnly(declaration: HeaderDeclaration): boolean {
  return declaration.conditions.some((condition) => /(^|[^!])defined\(Py_BUILD_CORE(_BUILTIN|_MODULE)?\)/.test(condition) && !/^!/.test(condition));
}

export function readHeaderFacts(set: HeaderSet, parser: Parser): HeaderFacts {
  const reader = new MacroReader(parser, [...set.declarations, ...set.helpers], set.structs);
  const declarations = new Map<string, HeaderDeclaration>();
  for (const declaration of set.declarations) {
    if (!isForCoreOnly(declaration) && !declarations.has(declaration.name)) declarations.set(declaration.name, declaration);
  }
  const macros = new Map<string, MacroSignature>();
  // Only macros need reading; a name that is also a static inline function reads as that function.
  for (const declaration of set.declarations) {
    if (declaration.kind !== 'macro' || macros.has(declaration.name)) continue;
    const signature = reader.read(declaration.name);
    if (signature) macros.set(declaration.name, signature);
  }
  reader.dispose();
  return { declarations, macros };
}

export function locationOf(declaration: HeaderDeclaration): HeaderLocation {
  return { file: declaration.header, line: declaration.line };
}

/** `PyObject *` + `op` → `PyObject *op`; `int` + `x` → `int x`. */
function declare(type: string, name: string): string {
  if (name === '' || name === '...') return type;
  if (type.includes('(*)')) return type.replace('(*)', `(*${name})`);
  return type.endsWith('*') ? `${type}${name}` : `${type} ${name}`;
}

export function signatureOf(declaration: HeaderDeclaration): string {
  const params = declaration.params;
  if (declaration.kind === 'macro') return params ? `${declaration.name}(${params.map((param) => param.name).join(', ')})` : declaration.name;
  if (declaration.kind === 'data') return declare(declaration.returnType ?? '', declaration.name);
  const list = params && params.length > 0 ? params.map((param) => declare(param.type, param.name)).join(', ') : 'void';
  return `${declare(declaration.returnType ?? 'void', declaration.name)}(${list})`;
}

/** The public API the headers declare and the docs do not describe, shaped as the docs' entries. */
export function undocumentedEntries(facts: HeaderFacts, documented: ReadonlySet<string>): { entry: DocsEntry; declaration: HeaderDeclaration }[] {
  return [...facts.declarations.values()]
    .filter((declaration) => !documented.has(declaration.name))
    .sort((a, b) => compareNames(a.name, b.name))
    .map((declaration) => ({
      declaration,
      entry: {
        name: declaration.name,
        kind: declaration.kind === 'data' ? 'var' : declaration.kind === 'macro' ? 'macro' : 'function',
        anchor: '',
        signature: signatureOf(declaration),
        returnAnnotation: null,
        stableAbi: null,
        threadSafety: null,
        added: null,
        changed: [],
        deprecated: declaration.deprecated ? { version: declaration.deprecated, removalPlanned: null, soft: false } : null,
        removed: null,
        unstable: declaration.name.startsWith('PyUnstable_'),
        replacedBy: [],
        prose: '',
      },
    }));
}
