/** The typed query API over the dataset (shared by the site and the npm package; the code lives in the package). */
export * from '../../packages/capi-refs/src/query.ts';
export * from '../../packages/capi-refs/src/exports.ts';
export { compareVersions } from '../../packages/capi-refs/src/versions.ts';
