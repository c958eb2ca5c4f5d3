/**
 * Stage 1: read each version's docs and CPython data files and write data/versions/X.Y.json.
 *
 *   npm run scrape -- 3.12 3.13                       # from docs.python.org and CPython's repository
 *   npm run scrape -- --snapshot ../shared/cpython    # every version of the offline snapshot
 *   npm run scrape -- 3.13 --docs DIR_OR_URL --src DIR_OR_URL
 *   npm run scrape -- --snapshot ../shared/cpython --check   # fail if data/ differs from what the code makes
 *   npm run scrape -- 3.13 --out /tmp/versions                # write somewhere other than data/versions
 *   npm run scrape -- 3.13 --cache /tmp/http-cache            # keep downloads somewhere other than .cache/http
 *   npm run scrape -- 3.13 --accept-drop "3.13.2 moved the codec APIs to codec.html"   # see scripts/lib/drift-guard.ts
 *
 * A page or version that documents far fewer objects than the committed dataset stops the scrape (nothing is
 * written) unless --accept-drop gives the reason, which data/accepted-drops.json then records.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { failUsage, runStage, writeOrCheck } from './lib/cli.ts';
import { stableJson } from './lib/json-output.ts';
import { DATA_DIR, REPO_ROOT, SNAPSHOT_VERSIONS, VERSIONS_DIR } from './lib/paths.ts';
import { readHandReadings } from './lib/read-hand-readings.ts';
import { finishVersions } from './lib/finish-versions.ts';
import { readDatasetsAs, readVersionDatasets } from './lib/read-datasets.ts';
import { scrapeVersion } from './lib/scrape-version.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';
import { openRoot } from './lib/source-root.ts';
import { DatasetObjects, describeDrop, documentedDrops, type AcceptedDrop } from './lib/drift-guard.ts';
import { SourceError } from './lib/errors.ts';

const USAGE =
  'usage: npm run scrape -- [X.Y ...] [--snapshot DIR | --docs ROOT --src ROOT] [--out DIR] [--cache DIR] [--offline] [--check] [--accept-drop REASON]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    snapshot: { type: 'string' },
    docs: { type: 'string' },
    src: { type: 'string' },
    offline: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    out: { type: 'string', default: VERSIONS_DIR },
    cache: { type: 'string' },
    'accept-drop': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const version of positionals) if (!/^3\.\d+$/.test(version)) failUsage(`"${version}" is not a Python version like 3.13.`, USAGE);
const versions = positionals.length > 0 ? positionals : values.snapshot ? [...SNAPSHOT_VERSIONS] : failUsage('Name at least one version, or --snapshot.', USAGE);
if ((values.docs || values.src) && versions.length !== 1) failUsage('--docs and --src name the roots of one version; give exactly one version.', USAGE);

function rootsFor(version: string): { docs: string; src: string } {
  if (values.snapshot) {
    // A snapshot may be served over HTTP with the same layout; path.join would mangle its URL.
    const under = (part: string): string =>
      /^https?:\/\//i.test(values.snapshot!) ? `${values.snapshot!.replace(/\/?$/, '/')}${version}/${part}/` : path.join(values.snapshot!, version, part);
    return { docs: under('docs'), src: under('src') };
  }
  return {
    docs: values.docs ?? `https://docs.python.org/${version}/`,
    src: values.src ?? `https://raw.githubusercontent.com/python/cpython/${version}/`,
  };
}

await runStage(async () => {
  const started = performance.now();
  const scraped: VersionDataset[] = [];
  const handReadings = await readHandReadings();
  for (const version of versions) {
    const roots = rootsFor(version);
    const dataset = await scrapeVersion({
      version,
      docs: openRoot(roots.docs, { offline: values.offline, cacheDir: values.cache }),
      src: openRoot(roots.src, { offline: values.offline, cacheDir: values.cache }),
      relativeTo: REPO_ROOT,
      runtime: openRoot(DATA_DIR),
      handReadings,
    });
    scraped.push(dataset);
    console.error(`${version}: ${dataset.apis.length} APIs from ${dataset.sources.filter((s) => s.status === 'read').length} files`);
  }
  // The committed datasets as the drift guard reads them: only where objects are, whatever schema wrote them.
  const committed = await readDatasetsAs(values.out, DatasetObjects, { allowNone: true });
  const drops = scraped.flatMap((dataset) => {
    const before = committed.find((c) => c.version === dataset.version);
    return before ? documentedDrops(before, dataset) : [];
  });
  const reason = values['accept-drop']?.trim();
  if (drops.length > 0 && !reason) {
    const first = drops[0]!;
    throw new SourceError(
      first.page ?? `Python ${first.version}`,
      `${drops.map(describeDrop).join('; ')}, more than a broken source should be trusted with`,
      'Nothing was written. If the docs really dropped them, rerun with --accept-drop "why", which accepted-drops.json beside the versions folder records',
    );
  }
  // Versions not scraped now but already in the output folder are neighbours to carry documented values from,
  // and tell which version brought a replacement.
  // Only those are read in full: the ones being replaced may be in an older schema.
  const others = await readVersionDatasets(values.out, { allowNone: true, except: versions });
  const carried = finishVersions([...scraped, ...others]).slice(0, scraped.length);
  const outputs = new Map(carried.map((dataset) => [path.resolve(values.out, `${dataset.version}.json`), stableJson(dataset)]));
  if (drops.length > 0 && reason) {
    // Beside the versions folder: data/accepted-drops.json for data/versions.
    const record = path.join(path.dirname(path.resolve(values.out)), 'accepted-drops.json');
    const accepted: AcceptedDrop[] = existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : [];
    outputs.set(record, stableJson([...accepted, ...drops.map((drop) => ({ ...drop, reason }))]));
  }
  if (await writeOrCheck(outputs, values.check, 'data/versions')) {
    console.error(`wrote ${outputs.size} file(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
});
