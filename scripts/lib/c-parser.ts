/**
 * tree-sitter's C grammar, loaded once. The WASM build that the tree-sitter-c package ships is used, so no
 * native compilation is needed anywhere the project runs.
 */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

let parser: Promise<Parser> | undefined;

export function loadCParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const grammar = createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
    const instance = new Parser();
    instance.setLanguage(await Language.load(grammar));
    return instance;
  })();
  return parser;
}
