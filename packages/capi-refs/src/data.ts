/**
 * Loading the JSON shipped with the package (data/ next to dist/). Files are read once and cached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deriveCheckerFacts, indexCheckerFacts, type CheckerFacts, type CheckerIndex } from './checker-facts.ts';
import { indexVersion, type VersionIndex } from './query.ts';
import type { Api, CombinedDataset, VersionDataset } from './types.ts';

function defaultDataDir(): string {
  // packages/capi-refs/{dist,src}/../data: the copy made by the build. From source before any build, the repo's data/.
  const packaged = fileURLToPath(new URL('../data/', import.meta.url));
  if (existsSync(packaged + 'capi.json')) return packaged;
  return fileURLToPath(new URL('../../../data/', import.meta.url));
}

let dataDir = defaultDataDir();
const versions = new Map<string, VersionIndex>();
const checkerIndexes = new Map<string, CheckerIndex>();
let combined: CombinedDataset | undefined;

/** Read the data from another folder (laid out like the package's data/: capi.json and versions/X.Y.json). */
export function setDataDir(dir: string): void {
  dataDir = dir.endsWith('/') ? dir : dir + '/';
  versions.clear();
  checkerIndexes.clear();
  combined = undefined;
}

export function loadCombined(): CombinedDataset {
  combined ??= JSON.parse(readFileSync(dataDir + 'capi.json', 'utf8')) as CombinedDataset;
  return combined;
}

/** The versions in the data, oldest first. */
export function availableVersions(): string[] {
  return [...loadCombined().versions];
}

export function latestVersion(): string {
  const all = availableVersions();
  return all[all.length - 1]!;
}

function assertAvailable(version: string): void {
  if (!availableVersions().includes(version)) {
    throw new RangeError(`no data for Python ${version}; available: ${availableVersions().join(', ')}`);
  }
}

export function loadVersion(version: string): VersionDataset {
  assertAvailable(version);
  return JSON.parse(readFileSync(`${dataDir}versions/${version}.json`, 'utf8')) as VersionDataset;
}

/** One version, indexed by name (cached). */
export function getVersion(version: string = latestVersion()): VersionIndex {
  let index = versions.get(version);
  if (!index) {
    index = indexVersion(loadVersion(version));
    versions.set(version, index);
  }
  return index;
}

/**
 * What the checker reads of one version (checker-facts.ts), cached: from the file the package build writes, or,
 * in a data folder without one (the repository's data/), derived from the full files.
 */
export function getCheckerIndex(version: string): CheckerIndex {
  let index = checkerIndexes.get(version);
  if (!index) {
    assertAvailable(version);
    const file = `${dataDir}checker/${version}.json`;
    const facts = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CheckerFacts) : deriveCheckerFacts(version, loadCombined(), loadVersion);
    index = indexCheckerFacts(facts);
    checkerIndexes.set(version, index);
  }
  return index;
}

/** One API in one version (default: the latest), or undefined. */
export function getApi(name: string, version: string = latestVersion()): Api | undefined {
  return getVersion(version).apis.get(name);
}
