/**
 * Stage: measure reference ownership and error conventions by running every documented function of each CPython
 * version on that version's debug build (Debian's pythonX.Y-dbg, unpacked from pinned packages into
 * .cache/python-builds/X.Y/ and run through its own loader), and compare the results with the version's dataset.
 *
 *   npm run probe                                   # every version → data/runtime/X.Y.json and X.Y-comparison.json
 *   npm run probe -- --python 3.15                  # one version (repeat --python for several)
 *   npm run probe -- --python 3.13 --only PyList_SetItem   # one or more probes (repeat --only), printed, nothing written
 *   npm run probe -- --check                        # fail if data/runtime/ differs from a fresh run of every version,
 *                                                   # naming each value that moved, or if a version's pins cannot be had
 *   npm run probe -- --python 3.15 --repin          # take the suite's current packages instead of the recorded pins
 *   npm run probe -- --jobs 2                       # child processes at once (default: the number of CPUs)
 *   npm run probe -- --only X --keep                # keep the generated probes.c and module (path printed) to debug
 *
 * The packages are pinned by data/runtime/X.Y.json (version and SHA-256); a run with a warm cache makes no network
 * request. Each probe runs in its own interpreter process (`capi_probes.run(NAME, R, S, F)`); when it dies, the
 * experiment that was running is recorded as a crash and the remaining ones run again in a fresh process. Every
 * probe runs twice, in two differently laid-out processes, and only the outcomes both runs agree on are recorded:
 * a call built to fail may read memory that is not its object, and an outcome that follows the process's layout
 * would pass --check in one checkout and fail it in another (scripts/probes/outcomes.ts).
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RuntimeComparison, RuntimeProbes, type RuntimePackage, type RuntimeProbe } from '../src/schema/runtime.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { planProbe, type ProbePlan } from './probes/arguments.ts';
import type { OnceRun, RepeatRun } from './probes/classify.ts';
import { compareWithDataset } from './probes/compare.ts';
import { describeDrift } from './probes/drift.ts';
import { PROBED_VERSIONS } from './probes/debian-builds.ts';
import { ensurePythonBuild } from './probes/python-build.ts';
import { agreedRecord, crashDescription, experimentsOf, recordedVaried, repeatMode, type Outcome } from './probes/outcomes.ts';
import { compileRunner, describePython, LAYOUTS, runChild, type Layout, type Runner } from './probes/run.ts';
import { failUsage, runStage, writeOrCheck } from './lib/cli.ts';
import { SourceError } from './lib/errors.ts';
import { DOCUMENTED_SOURCES } from './lib/combine-versions.ts';
import { compareNames, stableJson } from './lib/json-output.ts';
import { DATA_DIR, VERSIONS_DIR } from './lib/paths.ts';

const RUNTIME_DIR = path.join(DATA_DIR, 'runtime');

/**
 * Runs a probe's experiments in one process layout, one process after another: when a process dies, the experiment
 * it was running is recorded as a crash and the remaining ones run again in a fresh process.
 */
async function runExperiments(runner: Runner, plan: ProbePlan, layout: Layout): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let pending = experimentsOf(plan);
  let mode = 0;
  while (pending.length > 0) {
    const args = [plan.name, ...(mode ? [`mode=${mode}`] : []), ...pending];
    const result = await runChild(runner, args, layout);
    const done = result.lines as (RepeatRun | OnceRun)[];
    for (const line of done) {
      if (line.exp === 'R') {
        outcomes.push({ experiment: 'R', line });
        mode = repeatMode(line);
      } else outcomes.push({ experiment: line.exp, line });
    }
    pending = pending.slice(done.length);
    if (pending.length === 0) break;
    outcomes.push({ experiment: pending[0]!, crash: crashDescription(result) });
    pending = pending.slice(1);
  }
  return outcomes;
}

/** One probe: its experiments in every layout, recorded as far as the layouts agree and the record before it allows. */
async function runProbe(runner: Runner, plan: ProbePlan, recorded: RuntimeProbe | undefined): Promise<RuntimeProbe> {
  const layouts: Outcome[][] = [];
  for (const layout of LAYOUTS) layouts.push(await runExperiments(runner, plan, layout));
  return agreedRecord(plan, layouts, recordedVaried(plan, recorded));
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

/** What data/runtime/X.Y.json holds (`{}` when it does not exist yet), read once per run of a version. */
interface Recorded {
  /** The file as read: what --check compares the measurement with. */
  readonly json: unknown;
  /** The pinned packages. */
  readonly pins: RuntimePackage[];
  /** The probes, by name: what varied before stays out (recordedVaried). */
  readonly probes: ReadonlyMap<string, RuntimeProbe>;
}

async function readRecorded(version: string): Promise<Recorded> {
  const file = path.join(RUNTIME_DIR, `${version}.json`);
  const json = (existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {}) as { debian?: { packages?: RuntimePackage[] }; probes?: RuntimeProbe[] };
  return { json, pins: json.debian?.packages ?? [], probes: new Map((json.probes ?? []).map((probe) => [probe.name, probe])) };
}

export async function probeVersion(options: ProbeOptions) {
  const { version, log } = options;
  const datasetFile = path.join(VERSIONS_DIR, `${version}.json`);
  const dataset = VersionDataset.parse(JSON.parse(await readFile(datasetFile, 'utf8')));
  const recorded = await readRecorded(version);
  const build = await ensurePythonBuild(version, { pins: options.repin ? [] : recorded.pins, log });
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
      const probe = await runProbe(compiled.runner, plan, recorded.probes.get(plan.name));
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
  return { output, comparison, downloaded: build.downloaded, recorded: recorded.json };
}

const USAGE = `usage: npm run probe -- [--python X.Y]... [--only NAME]... [--jobs N] [--check] [--repin] [--keep] [--work-dir DIR]
versions: ${PROBED_VERSIONS.join(', ')} (all of them without --python)`;

const CHECK_FIX = 'If the change is meant (new pins, a changed probe or classifier), run `npm run probe -- --python X.Y` for ' +
  'each version named, then `npm run build:data`, then the probe again (X.Y-comparison.json compares with the dataset ' +
  'build:data just wrote), and commit data/. If nothing changed, a probe depends on memory its call was not given and ' +
  'two runs did not show it: add it to OVERRIDES in scripts/probes/overrides.ts with the reason.';

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      python: { type: 'string', multiple: true },
      only: { type: 'string', multiple: true },
      jobs: { type: 'string', default: String(availableParallelism()) },
      check: { type: 'boolean', default: false },
      repin: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      // the runner's folder is on the child's command line and in its sys.path: a name of fixed length keeps the
      // process's layout the same from run to run, whatever the process id
      'work-dir': { type: 'string', default: path.join(tmpdir(), `capi-refs-probes-${String(process.pid).padStart(7, '0')}`) },
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
    const failed: string[] = [];
    for (const version of versions) {
      const started = performance.now();
      const log = (line: string) => console.error(`[${version}] ${line}`);
      // one folder per version whether one or all are probed, so that both measure in the same layout
      const workDir = path.join(path.resolve(values['work-dir']), version);
      let measured: Awaited<ReturnType<typeof probeVersion>>;
      try {
        measured = await probeVersion({ version, only: values.only, jobs, workDir, keep: values.keep, repin: values.repin, log });
      } catch (error) {
        // a gate reports every version: one whose packages cannot be had does not hide drift in the others
        if (!(values.check && error instanceof SourceError)) throw error;
        log(`error: ${error.message}`);
        failed.push(version);
        continue;
      }
      const { output, comparison, downloaded, recorded } = measured;
      if (values.keep) log(`kept the generated runner in ${workDir}`);
      if (values.only) {
        console.log(JSON.stringify({ version, probes: output.probes, disagreements: comparison.disagreements }, null, 2));
        continue;
      }
      outputs.set(path.join(RUNTIME_DIR, `${version}.json`), stableJson(output));
      outputs.set(path.join(RUNTIME_DIR, `${version}-comparison.json`), stableJson(comparison));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const varied = output.probes.filter((probe) => probe.skips).length;
      log(`measured CPython ${output.python.version} in ${seconds}s (downloaded ${(downloaded / 1e6).toFixed(1)} MB): ${JSON.stringify(output.summary)}; ` +
        `${varied} probes with experiments that varied between runs`);
      log(`agreement by source: ${JSON.stringify(comparison.bySource)}`);
      if (values.check) {
        // value by value, the record read before measuring against the measurement as it would be written
        const drift = describeDrift(recorded, JSON.parse(stableJson(output)));
        if (drift.length > 0) log(`data/runtime/${version}.json differs from this measurement (recorded → measured):\n  ${drift.slice(0, 40).join('\n  ')}${drift.length > 40 ? `\n  … and ${drift.length - 40} more` : ''}`);
      }
    }
    const measured = versions.filter((version) => !failed.includes(version));
    if (!values.only && measured.length > 0) await writeOrCheck(outputs, values.check, `data/runtime/ (${measured.join(', ')})`, CHECK_FIX);
    if (failed.length > 0) throw new SourceError(`data/runtime/{${failed.join(',')}}.json`, `the pinned packages of ${failed.join(', ')} could not be had or measured (see the errors above)`,
      'Fix the cause each error names; if a suite dropped a pinned version, run `npm run probe -- --python X.Y --repin` and review the new pins.');
  });
}
