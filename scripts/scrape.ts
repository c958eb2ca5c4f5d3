/**
 * Stage 1: read each version's docs and CPython data files and write data/versions/X.Y.json.
 *
 *   npm run scrape -- 3.12 3.13                       # from docs.python.org and CPython's repository
 *   npm run scrape -- --snapshot ../shared/cpython    # every version of the offline snapshot
 *   npm run scrape -- 3.13 --docs DIR_OR_URL --src DIR_OR_URL
 *   npm run scrape -- --snapshot ../shared/cpython --check   # fail if data/ differs from what the code makes
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { SourceError } from './lib/errors.ts';
import { findStaleFiles, stableJson, writeFilesAtomically } from './lib/json-output.ts';
import { REPO_ROOT, SNAPSHOT_VERSIONS, versionFile } from './lib/paths.ts';
import { scrapeVersion } from './lib/scrape-version.ts';
import { openRoot } from './lib/source-root.ts';

const USAGE = 'usage: npm run scrape -- [X.Y ...] [--snapshot DIR | --docs ROOT --src ROOT] [--offline] [--check]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    snapshot: { type: 'string' },
    docs: { type: 'string' },
    src: { type: 'string' },
    offline: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const version of positionals) if (!/^3\.\d+$/.test(version)) fail(`"${version}" is not a Python version like 3.13.\n${USAGE}`);
const versions = positionals.length > 0 ? positionals : values.snapshot ? [...SNAPSHOT_VERSIONS] : fail(`name at least one version, or --snapshot.\n${USAGE}`);
if ((values.docs || values.src) && versions.length !== 1) fail(`--docs and --src name the roots of one version; give exactly one version.\n${USAGE}`);

function rootsFor(version: string): { docs: string; src: string } {
  if (values.snapshot) {
    return { docs: path.join(values.snapshot, version, 'docs'), src: path.join(values.snapshot, version, 'src') };
  }
  return {
    docs: values.docs ?? `https://docs.python.org/${version}/`,
    src: values.src ?? `https://raw.githubusercontent.com/python/cpython/${version}/`,
  };
}

try {
  const started = performance.now();
  const outputs = new Map<string, string>();
  for (const version of versions) {
    const roots = rootsFor(version);
    const dataset = await scrapeVersion({
      version,
      docs: openRoot(roots.docs, { offline: values.offline }),
      src: openRoot(roots.src, { offline: values.offline }),
      relativeTo: REPO_ROOT,
    });
    outputs.set(versionFile(version), stableJson(dataset));
    console.error(`${version}: ${dataset.apis.length} APIs from ${dataset.sources.filter((s) => s.status === 'read').length} files`);
  }
  if (values.check) {
    const stale = await findStaleFiles(outputs);
    if (stale.length > 0) {
      fail(`These files differ from what the scraper produces now:\n  ${stale.map((f) => path.relative(REPO_ROOT, f)).join('\n  ')}\nRun npm run build:data and commit data/.`);
    }
    console.error('data/versions is up to date.');
  } else {
    await writeFilesAtomically(outputs);
    console.error(`wrote ${outputs.size} file(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} catch (error) {
  if (error instanceof SourceError) fail(`error: ${error.message}`);
  throw error;
}
