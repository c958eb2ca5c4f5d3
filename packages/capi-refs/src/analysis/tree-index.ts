/**
 * The nodes of a parsed file that the analysis reads, found in one walk of the tree: each separate walk of a
 * large file costs about as much as parsing it again.
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

export function indexTree(root: TsNode): TreeIndex {
  const functions: TsNode[] = [];
  const macros: TsNode[] = [];
  const structs: TsNode[] = [];
  const topLevelDeclarations: TsNode[] = [];
  for (const node of root.descendantsOfType(['function_definition', 'preproc_def', 'preproc_function_def', 'struct_specifier', 'declaration'])) {
    if (!node) continue;
    switch (node.type) {
      case 'function_definition':
        functions.push(node);
        break;
      case 'struct_specifier':
        structs.push(node);
        break;
      case 'declaration':
        if (isTopLevel(node)) topLevelDeclarations.push(node);
        break;
      default:
        macros.push(node);
    }
  }
  return { functions, macros, structs, topLevelDeclarations };
}

/** Outside every function body (inside #if blocks and extern "C" is still top level). */
function isTopLevel(node: TsNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'compound_statement' || p.type === 'function_definition') return false;
    if (p.type === 'translation_unit') return true;
  }
  return true;
}
