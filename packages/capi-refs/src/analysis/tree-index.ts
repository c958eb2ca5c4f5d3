/**
 * The nodes of a parsed file that the analysis reads, found in one walk of its top level: function bodies are
 * not walked (a `#define` inside one, rare, is looked for there only when the body has a `#`), since walking
 * every node of a large file costs a good part of parsing it again.
 */
import type { Node as TsNode } from 'web-tree-sitter';

export interface TreeIndex {
  readonly functions: readonly TsNode[];
  /** `#define`s anywhere, function bodies included (a traverse may define its own VISIT). */
  readonly macros: readonly TsNode[];
  readonly structs: readonly TsNode[];
  /** Declarations outside functions: where the method tables, slot arrays and type objects are. */
  readonly topLevelDeclarations: readonly TsNode[];
}

/** Nodes whose children are top-level items: #if groups, `extern "C" { }`, and what the parser could not read. */
const CONTAINERS = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list', 'ERROR']);
const MACRO_TYPES = ['preproc_def', 'preproc_function_def'];

/**
 * The node types worth looking for below a top-level item, which a look at its text decides: only what the
 * parser could not read can hold a function, a `#define` needs `#define`, and a struct is read only for an object
 * type (object-types.ts), whose body starts with the object head (`PyObject _h_;` once PyObject_HEAD is spelled
 * out, or `ob_base`). Asked of the parser, a search walks every node of the item (a method table has thousands,
 * a function body as many): with `#` and `struct` alone as the signs, 3,500 items of CPython's Modules/ were
 * searched, most of them functions with an `#ifdef` or a `struct timeval` inside.
 */
function typesWithin(node: TsNode): string[] {
  const text = node.text;
  return [
    ...(node.hasError ? ['function_definition'] : []),
    ...(DEFINE.test(text) ? MACRO_TYPES : []),
    ...(text.includes('struct') && OBJECT_HEAD.test(text) ? ['struct_specifier'] : []),
  ];
}

/** A `#define`: spaces or line splices may stand between the `#` and the word. */
const DEFINE = /#(?:[ \t]|\\\r?\n)*define\b/;
/**
 * The name of an object type's first field: PyObject_HEAD and PyObject_VAR_HEAD spelled out (object-types.ts
 * spellOutObjectHeads), or `ob_base`. Only a struct that starts so is read as an object type.
 */
export const HEAD_FIELDS: ReadonlySet<string> = new Set(['_h_', '_vh_', 'ob_base']);
const OBJECT_HEAD = new RegExp(`\\b(?:${[...HEAD_FIELDS].join('|')})\\b`);

export function indexTree(root: TsNode): TreeIndex {
  const functions: TsNode[] = [];
  const macros: TsNode[] = [];
  const structs: TsNode[] = [];
  const topLevelDeclarations: TsNode[] = [];
  const add = (node: TsNode, types: readonly string[]): void => {
    if (types.length === 0) return;
    for (const n of node.descendantsOfType([...types])) {
      if (!n || n.id === node.id) continue;
      if (n.type === 'function_definition') functions.push(n);
      else if (n.type === 'struct_specifier') structs.push(n);
      else macros.push(n);
    }
  };
  /** `top`: outside every brace, where a declaration is a top-level one (a stray brace can put code in a block). */
  const walk = (node: TsNode, top: boolean): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case 'function_definition':
          functions.push(child);
          add(child, typesWithin(child));
          break;
        case 'preproc_def':
        case 'preproc_function_def':
          macros.push(child);
          break;
        case 'declaration':
          if (top) topLevelDeclarations.push(child);
          add(child, typesWithin(child));
          break;
        case 'struct_specifier':
          structs.push(child);
          add(child, typesWithin(child));
          break;
        case 'compound_statement':
          walk(child, false);
          break;
        default:
          if (CONTAINERS.has(child.type)) walk(child, top);
          else add(child, typesWithin(child));
      }
    }
  };
  walk(root, true);
  const byStart = (a: TsNode, b: TsNode): number => a.startIndex - b.startIndex;
  return { functions: functions.sort(byStart), macros: macros.sort(byStart), structs: structs.sort(byStart), topLevelDeclarations };
}
