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

export function indexTree(root: TsNode): TreeIndex {
  const functions: TsNode[] = [];
  const macros: TsNode[] = [];
  const structs: TsNode[] = [];
  const topLevelDeclarations: TsNode[] = [];
  const add = (node: TsNode, types: readonly string[]): void => {
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
        case 'function_definition': {
          functions.push(child);
          // Only a body the parser could not read can hold another function; a `#define` needs a `#`.
          const text = child.text;
          const inside = [...(child.hasError ? ['function_definition'] : []), ...(text.includes('#') ? MACRO_TYPES : []), ...(text.includes('struct') ? ['struct_specifier'] : [])];
          if (inside.length > 0) add(child, inside);
          break;
        }
        case 'preproc_def':
        case 'preproc_function_def':
          macros.push(child);
          break;
        case 'declaration':
          if (top) topLevelDeclarations.push(child);
          add(child, ['struct_specifier', 'function_definition', ...MACRO_TYPES]);
          break;
        case 'struct_specifier':
          structs.push(child);
          add(child, ['struct_specifier', 'function_definition', ...MACRO_TYPES]);
          break;
        case 'compound_statement':
          walk(child, false);
          break;
        default:
          if (CONTAINERS.has(child.type)) walk(child, top);
          else add(child, ['struct_specifier', 'function_definition', ...MACRO_TYPES]);
      }
    }
  };
  walk(root, true);
  const byStart = (a: TsNode, b: TsNode): number => a.startIndex - b.startIndex;
  return { functions: functions.sort(byStart), macros: macros.sort(byStart), structs: structs.sort(byStart), topLevelDeclarations };
}
