/**
 * tree-sitter's C parser for the pipeline (headers, macro bodies), loaded once, with the grammar of the
 * tree-sitter-c package. The npm package's checker loads its own: the pipeline does not depend on the package it
 * publishes.
 */
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';

let parserPromise: Promise<Parser> | undefined;

export function loadCParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm')));
    return parser;
  })();
  return parserPromise;
}
