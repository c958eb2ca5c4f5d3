/**
 * A node's type and end offset, read from the parser once per node object. Each read of `type` or `endIndex`
 * crosses into web-tree-sitter's WASM (marshalling the node first), and the graph and expression builders read
 * the same node's type again where one step drops comments from a node's children and the next dispatches on
 * them: on CPython's Modules/, 650,000 of 1.4 million `type` reads were of a node object already read. The values
 * are kept on the node object itself, under symbols of this module (a node object is a view of an immutable tree).
 */
import type { Node as TsNode } from 'web-tree-sitter';

const TYPE = Symbol('capi-refs node type');
const END = Symbol('capi-refs node end');

type Read = TsNode & { [TYPE]?: string; [END]?: number };

export function typeOf(node: TsNode): string {
  const read = node as Read;
  return (read[TYPE] ??= node.type);
}

export function endOf(node: TsNode): number {
  const read = node as Read;
  return (read[END] ??= node.endIndex);
}
