/**
 * All versions of a snapshot folder laid out as ../shared/cpython is (X.Y/docs, X.Y/src), scraped and then
 * carried across one another: what `npm run build:data` writes, for the tests and the benchmark.
 */
import path from 'node:path';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { finishVersions } from './finish-versions.ts';
import { DATA_DIR, REPO_ROOT, SNAPSHOT_DIR, SNAPSHOT_VERSIONS } from './paths.ts';
import { readHandReadings } from './read-hand-readings.ts';
import { scrapeVersion } from './scrape-version.ts';
import { openRoot } from './source-root.ts';

export interface SnapshotOptions {
  onVersion?: (dataset: VersionDataset, seconds: number) => void;
  /** Leave out the runtime probes, to see what the other sources and the rules say on their own. */
  withoutRuntime?: boolean;
}

export async function scrapeSnapshot(options: SnapshotOptions = {}, folder: string = SNAPSHOT_DIR, versions: readonly string[] = SNAPSHOT_VERSIONS): Promise<VersionDataset[]> {
  const datasets: VersionDataset[] = [];
  const handReadings = await readHandReadings();
  for (const version of versions) {
    const started = performance.now();
    const dataset = await scrapeVersion({
      version,
      docs: openRoot(path.join(folder, version, 'docs')),
      src: openRoot(path.join(folder, version, 'src')),
      relativeTo: REPO_ROOT,
      handReadings,
      ...(options.withoutRuntime ? {} : { runtime: openRoot(DATA_DIR) }),
    });
    options.onVersion?.(dataset, (performance.now() - started) / 1000);
    datasets.push(dataset);
  }
  return finishVersions(datasets);
}
