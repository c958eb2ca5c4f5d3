/**
 * Measures the offline pipeline (all snapshot versions: scrape, combine, JSON Schema) as `npm run build:data`
 * runs it, in fresh child processes so each run's peak memory is its own, and prints the per-version table.
 *
 *   npm run benchmark              # 3 runs
 *   npm run benchmark -- --runs 5
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { combineVersions } from './lib/combine-versions.ts';
import { readCompatManifest } from './lib/read-compat-manifest.ts';
import { stableJson, writeFilesAtomically } from './lib/json-output.ts';
import { renderJsonSchemas } from './lib/json-schemas.ts';
import { SNAPSHOT_VERSIONS } from './lib/paths.ts';
import { scrapeSnapshot } from './lib/scrape-snapshot.ts';
import type { CombinedDataset } from '../src/schema/capi.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, once: { type: 'string' } },
});

interface RunResult {
  seconds: number;
  peakRssMb: number;
  versions: { version: string; seconds: number; row: Record<string, number>; trust?: Record<string, number>; history?: Record<string, number> }[];
}

function summarise(dataset: VersionDataset): Record<string, number> {
  const count = (predicate: (api: VersionDataset['apis'][number]) => boolean): number => dataset.apis.filter(predicate).length;
  const params = dataset.apis.flatMap((api) => api.params);
  return {
    apis: dataset.apis.length,
    functions: count((api) => api.kind === 'function'),
    macros: count((api) => api.kind === 'macro'),
    'ret new': count((api) => api.returns?.ownership === 'new'),
    'ret borrowed': count((api) => api.returns?.ownership === 'borrowed'),
    'ret unknown': count((api) => api.returns?.ownership === 'unknown'),
    stolen: params.filter((p) => p.ownership === 'stolen').length,
    'stolen on success': params.filter((p) => p.ownership === 'stolen-on-success').length,
    'in-out': params.filter((p) => p.ownership === 'in-out').length,
    'out-new': params.filter((p) => p.ownership === 'out-new').length,
    'param unknown': params.filter((p) => p.ownership === 'unknown').length,
    ...Object.fromEntries(
      (['runtime-confirmed', 'documented', 'carried', 'inferred'] as const).map((confidence) => [
        `object fields ${confidence}`,
        [...dataset.apis.map((api) => api.returns), ...params].filter((field) => field && field.ownership !== 'no-object' && field.confidence === confidence).length,
      ]),
    ),
    'stable ABI': count((api) => api.stableAbi !== null),
    'thread safety': count((api) => api.threadSafety !== null),
    'with conflicts': count((api) => api.conflicts.length > 0),
    files: dataset.sources.filter((s) => s.status === 'read').length,
  };
}

/** How far each field beyond ownership can be trusted: error conventions by confidence, Stable ABI by source. */
function trustRow(dataset: VersionDataset): Record<string, number> {
  const errors = dataset.apis.flatMap((api) => (api.errors ? [api.errors] : []));
  const stable = dataset.apis.flatMap((api) => (api.stableAbi ? [api.stableAbi] : []));
  return {
    'errors stated': errors.filter((e) => e.confidence === 'documented').length,
    'errors measured': errors.filter((e) => e.confidence === 'runtime-confirmed').length,
    'errors inferred': errors.filter((e) => e.confidence === 'inferred').length,
    'errors unstated': errors.filter((e) => e.confidence === 'unknown').length,
    ...Object.fromEntries((['docs-annotation', 'stable_abi.dat', 'stable_abi.toml', 'docs-limited-api-list'] as const).map((source) => [`stable ABI: ${source}`, stable.filter((e) => e.source === source).length])),
    'docs change notes': dataset.apis.reduce((n, api) => n + api.changed.length, 0),
  };
}

/** History events of capi.json that the version brings, by kind. */
function historyRow(combined: CombinedDataset, version: string): Record<string, number> {
  const row: Record<string, number> = {};
  for (const history of Object.values(combined.apis)) {
    for (const change of history.changes) if (change.version === version) row[change.change] = (row[change.change] ?? 0) + 1;
  }
  return row;
}

/** One whole offline pipeline, writing into a scratch folder so the run pays for serialising and writing too. */
async function runOnce(outDir: string): Promise<RunResult> {
  const started = performance.now();
  const versions: RunResult['versions'] = [];
  const datasets = await scrapeSnapshot({ onVersion: (dataset, seconds) => versions.push({ version: dataset.version, seconds, row: {} }) });
  const combined = combineVersions(datasets, await readCompatManifest());
  for (const [i, dataset] of datasets.entries()) {
    versions[i]!.row = summarise(dataset);
    versions[i]!.trust = trustRow(dataset);
    versions[i]!.history = historyRow(combined, dataset.version);
  }
  const outputs = new Map(datasets.map((d) => [path.join(outDir, 'versions', `${d.version}.json`), stableJson(d)]));
  outputs.set(path.join(outDir, 'capi.json'), stableJson(combined));
  for (const [file, text] of renderJsonSchemas()) outputs.set(path.join(outDir, 'schema', path.basename(file)), text);
  await writeFilesAtomically(outputs);
  return { seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, versions };
}

if (values.once) {
  process.stdout.write(JSON.stringify(await runOnce(values.once)));
} else {
  const runs = Number(values.runs);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'capi-refs-bench-'));
    try {
      // Timed from outside too, so Node's start-up and module loading count, as they do for npm run build:data.
      const started = performance.now();
      const { stdout } = await promisify(execFile)(process.execPath, [import.meta.filename, '--once', outDir], { maxBuffer: 1 << 24 });
      const result = JSON.parse(stdout) as RunResult;
      results.push({ ...result, seconds: (performance.now() - started) / 1000 });
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
  const times = results.map((r) => r.seconds).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`offline pipeline, ${SNAPSHOT_VERSIONS.length} versions, ${runs} runs on ${os.cpus().length} cores (Node ${process.version})`);
  console.log(`wall time: median ${median.toFixed(2)} s, min ${times[0]!.toFixed(2)} s, max ${times.at(-1)!.toFixed(2)} s (target ≤ 15 s)`);
  console.log(`peak memory (max RSS): ${Math.max(...results.map((r) => r.peakRssMb)).toFixed(0)} MB (target ≤ 1024 MB)`);
  const last = results.at(-1)!;
  const columns = ['version', 'seconds', ...Object.keys(last.versions[0]!.row)];
  console.log(`\n| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|`);
  for (const { version, seconds, row } of last.versions) {
    console.log(`| ${[version, seconds.toFixed(2), ...Object.values(row)].join(' | ')} |`);
  }
  const table = (title: string, pick: (v: RunResult['versions'][number]) => Record<string, number>): void => {
    const keys = [...new Set(last.versions.flatMap((v) => Object.keys(pick(v))))];
    console.log(`\n${title}\n\n| version | ${keys.join(' | ')} |\n|---|${keys.map(() => '---').join('|')}|`);
    for (const v of last.versions) console.log(`| ${[v.version, ...keys.map((k) => pick(v)[k] ?? 0)].join(' | ')} |`);
  };
  table('Error conventions by confidence, Stable ABI entries by source, docs change notes:', (v) => v.trust ?? {});
  table('History events of capi.json by kind (changes from the previous dataset version):', (v) => v.history ?? {});
}
