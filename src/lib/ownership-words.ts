/** Plain-words descriptions of ownership values (shared by the site and the npm package; the code lives in the package). */
export * from '../../packages/capi-refs/src/ownership-words.ts';
