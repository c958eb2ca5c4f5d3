/** capi-refs: the Python C-API reference-ownership dataset and a typed query API over it. */
export type * from './types.ts';
export * from './query.ts';
export * from './data.ts';
export * from './alternatives.ts';
export * from './ownership-words.ts';
export * from './lookup.ts';
export * from './exports.ts';
export { compareVersions } from './versions.ts';
