/**
 * "How to call it" snippets (shared by the site and the npm package). The code lives in the package, which must
 * build on its own; this module is the site's import path for it.
 */
export * from '../../packages/capi-refs/src/snippet.ts';
