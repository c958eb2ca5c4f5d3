/**
 * Stage: measure reference ownership and error conventions by running every documented function of each CPython
 * version on that version's debug build (Debian's pythonX.Y-dbg, unpacked from pinned packages into
 * .cache/python-builds/X.Y/ and run through its own loader), and compare the results with the version's dataset.
 *
 *   npm run probe                                   # every version → data/runtime/X.Y.json and X.Y-comparison.json
 *   npm run probe -- --python 3.15                  # one version (repeat --python for several)
 *   npm run probe -- --python 3.13 --only PyList_SetItem   # one or more probes (repeat --only), printed, nothing written
 *   npm run probe -- --check                        # fail if data/runtime/ differs from a fresh run of every version
 *   npm run probe -- --python 3.15 --repin          # take the suite's current packages instead of the recorded pins
 *   npm run probe -- --jobs 2                       # child processes at once (default: the number of CPUs)
 *   npm run probe -- --only X --keep                # keep the generated probes.c and module (path printed) to debug
 *
 * The packages are pinned by data/runtime/X.Y.json (version and SHA-256); a run with a warm cache makes no network
 * request. Each probe runs in its own interpreter process (`capi_probes.run(NAME, R, S, F)`); when it dies, the
 * experiment that was running is recorded as a crash and the remaining ones run again in a fresh process.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RuntimeComparison, RuntimeProbes, type RuntimePackage, type RuntimeProbe } from '../src/schema/runtime.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { planProbe, type ProbePlan } from './probes/arguments.ts';
import { classifyProbe, type OnceRun, type RepeatRun } from './probes/classify.ts';
import { compareWithDataset } from './probes/compare.ts';
import { PROBED_VERSIONS } from './probes/debian-builds.ts';
import { ensurePythonBuild } from './probes/python-build.ts';
import { compileRunner, describePython, runChild, type Runner } from './probes/run.ts';
import { failUsage, runStage, writeOrCheck } from './lib/cli.ts';
import { DOCUMENTED_SOURCES } from './lib/combine-versions.ts';
import { compareNames, stableJson } from './lib/json-output.ts';
import { DATA_DIR, VERSIONS_DIR } from './lib/paths.ts';

const RUNTIME_DIR = path.join(DATA_DIR, 'runtime');

type Experiment = 'R' | 'S' | 'F';

function experimentsOf(plan: ProbePlan): Experiment[] {
  const list: Experiment[] = [];
  if (plan.returnsObject) list.push('R');
  list.push('S');
  if (plan.failure) list.push('F');
  return list;
}

/** How a child died, without addresses or other run-to-run noise. */
function crashDescription(result: { signal: string | null; code: number | null; timedOut: boolean; stderr: string }): string {
  if (result.timedOut) return 'timed out';
  const fatal = /(Assertion [^\n]*failed|Fatal Python error: [^\n]*|[^\n]*negative refcount[^\n]*)/.exec(result.stderr)?.[0];
  const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  return (fatal ? `${how}: ${fatal}` : how).replace(/0x[0-9a-f]+/gi, '0x…').replace(/\s+/g, ' ').slice(0, 300);
}

async function runProbe(runner: Runner, plan: ProbePlan): Promise<RuntimeProbe> {
  const runs: { R?: RepeatRun; S?: OnceRun; F?: OnceRun } = {};
  const crashes: { experiment: Experiment; how: string }[] = [];
  let pending = experimentsOf(plan);
  let mode = 0;
  while (pending.length > 0) {
    const args = [plan.name, ...(mode ? [`mode=${mode}`] : []), ...pending];
    const result = await runChild(runner, args);
    const done = result.lines as (RepeatRun | OnceRun)[];
    for (const line of done) {
      if (line.exp === 'R') {
        runs.R = line;
        mode = repeatMode(line);
      } else runs[line.exp] = line;
    }
    pending = pending.slice(done.length);
    if (pending.length === 0) break;
    const crashed = pending[0] as Experiment;
    crashes.push({ experiment: crashed, how: crashDescription(result) });
    pending = pending.slice(1);
  }
  // arguments that crash the succeeding call are wrong for the function, so the repeated calls on them prove nothing
  if (crashes.some((c) => c.experiment === 'S')) delete runs.R;
  const verdict = classifyProbe(plan, runs);
  const probe: RuntimeProbe = { name: plan.name, status: verdict.status, failure: plan.failure, params: verdict.params };
  if (verdict.returns) probe.returns = verdict.returns;
  if (verdict.errors) probe.errors = verdict.errors;
  if (plan.note) probe.note = plan.note;
  if (crashes.length > 0) {
    probe.crashes = crashes;
    if (!runs.S && !runs.F && !runs.R) {
      probe.status = 'crash';
      probe.reason = crashes[0]!.how;
    }
  }
  return probe;
}

/** The return mode R settles, handed to S/F when R ran in an earlier process (1 new, 2 borrowed, 0 open). */
function repeatMode(r: RepeatRun): number {
  if (!r.same) return 0;
  const [a = 0, b = 0, c = 0] = r.rc;
  const d1 = b - a - 1;
  const d2 = c - b - 1;
  return d1 === d2 && d1 === 1 ? 1 : d1 === d2 && d1 === 0 ? 2 : 0;
}

async function pool<T, R>(items: T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

export interface ProbeOptions {
  version: string;
  only?: string[];
  jobs: number;
  /** Where the runner is generated and compiled; removed afterwards unless `keep`. */
  workDir: string;
  keep?: boolean;
  /** Ignore the pins recorded in data/runtime/X.Y.json and take the suite's current packages. */
  repin?: boolean;
  log: (line: string) => void;
}

/** The packages data/runtime/X.Y.json pins, or none when the file or its pins do not exist yet. */
async function recordedPins(version: string): Promise<RuntimePackage[]> {
  const file = path.join(RUNTIME_DIR, `${version}.json`);
  if (!existsSync(file)) return [];
  const recorded = JSON.parse(await readFile(file, 'utf8')) as { debian?: { packages?: RuntimePackage[] } };
  return recorded.debian?.packages ?? [];
}

export async function probeVersion(options: ProbeOptions) {
  const { version, log } = options;
  const datasetFile = path.join(VERSIONS_DIR, `${version}.json`);
  const dataset = VersionDataset.parse(JSON.parse(await readFile(datasetFile, 'utf8')));
  const build = await ensurePythonBuild(version, { pins: options.repin ? [] : await recordedPins(version), log });
  const { python, extSuffix } = describePython(build.layout, version);
  const apis = dataset.apis.filter((api) => api.kind === 'function');
  const selected = options.only ? apis.filter((api) => options.only!.includes(api.name)) : apis;
  const probes: RuntimeProbe[] = [];
  const plans: ProbePlan[] = [];
  for (const api of selected) {
    const unchecked = api.evidence.some((e) => e.field === 'errors' && DOCUMENTED_SOURCES.has(e.source) && e.value === 'unchecked');
    const planned = planProbe({ ...api, unchecked });
    if (planned.ok) plans.push(planned.plan);
    else probes.push({ name: api.name, status: 'skipped', reason: planned.reason, params: [] });
  }
  log(`compiling ${plans.length} probes against CPython ${python.version}'s headers`);
  const compiled = compileRunner(plans, options.workDir, build.layout, version, extSuffix);
  for (const [name, reason] of compiled.rejected) probes.push({ name, status: 'skipped', reason, params: [] });
  let done = 0;
  try {
    probes.push(...(await pool(compiled.plans, options.jobs, async (plan) => {
      const probe = await runProbe(compiled.runner, plan);
      if (++done % 100 === 0 || done === compiled.plans.length) log(`probed ${done}/${compiled.plans.length}`);
      return probe;
    })));
  } finally {
    if (!options.keep) await rm(options.workDir, { recursive: true, force: true });
  }
  probes.sort((a, b) => compareNames(a.name, b.name));
  const summary: Record<string, number> = { attempted: compiled.plans.length };
  for (const probe of probes) summary[probe.status] = (summary[probe.status] ?? 0) + 1;
  const output = RuntimeProbes.parse({ version, python, debian: { suite: build.suite, packages: build.packages }, summary, probes });
  const comparison = RuntimeComparison.parse(compareWithDataset(version, probes, apis));
  return { output, comparison, downloaded: build.downloaded };
}

const USAGE = `usage: npm run probe -- [--python X.Y]... [--only NAME]... [--jobs N] [--check] [--repin] [--keep] [--work-dir DIR]
versions: ${PROBED_VERSIONS.join(', ')}`;

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      python: { type: 'string', multiple: true },
      only: { type: 'string', multiple: true },
      jobs: { type: 'string', default: String(availableParallelism()) },
      check: { type: 'boolean', default: false },
      repin: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'work-dir': { type: 'string', default: path.join(tmpdir(), `capi-refs-probes-${process.pid}`) },
    },
  });
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) failUsage('--jobs must be a positive integer', USAGE);
  const versions = values.python ?? PROBED_VERSIONS;
  const unknown = versions.filter((version) => !PROBED_VERSIONS.includes(version));
  if (unknown.length > 0) failUsage(`no Debian build is listed for ${unknown.join(', ')}`, USAGE);
  if (values.check && values.repin) failUsage('--check measures the pinned packages; --repin changes them', USAGE);
  await runStage(async () => {
    const outputs = new Map<string, string>();
    for (const version of versions) {
      const started = performance.now();
      const log = (line: string) => console.error(`[${version}] ${line}`);
      const workDir = versions.length > 1 ? path.join(values['work-dir'], version) : values['work-dir'];
      const { output, comparison, downloaded } = await probeVersion({ version, only: values.only, jobs, workDir, keep: values.keep, repin: values.repin, log });
      if (values.keep) log(`kept the generated runner in ${workDir}`);
      if (values.only) {
        console.log(JSON.stringify({ version, probes: output.probes, disagreements: comparison.disagreements }, null, 2));
        continue;
      }
      outputs.set(path.join(RUNTIME_DIR, `${version}.json`), stableJson(output));
      outputs.set(path.join(RUNTIME_DIR, `${version}-comparison.json`), stableJson(comparison));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(`measured CPython ${output.python.version} in ${seconds}s (downloaded ${(downloaded / 1e6).toFixed(1)} MB): ${JSON.stringify(output.summary)}`);
      log(`agreement by source: ${JSON.stringify(comparison.bySource)}`);
    }
    if (!values.only) await writeOrCheck(outputs, values.check, 'data/runtime/');
  });
}
