/**
 * Stage: measure reference ownership by running every documented 3.11 function on this machine's CPython 3.11
 * debug build (Debian python3.11-dbg), and compare the results with the dataset's sources.
 *
 *   npm run probe                          # all functions → data/runtime/3.11.json and 3.11-comparison.json
 *   npm run probe -- --only PyList_SetItem # one or more probes (repeat --only), printed, nothing written
 *   npm run probe -- --check               # fail if data/runtime/ differs from a fresh run
 *   npm run probe -- --jobs 4              # child processes at once (default: the number of CPUs)
 *   npm run probe -- --only X --keep       # keep the generated probes.c and probe-runner (path printed) to debug
 *
 * Each probe runs in its own child process (`probe-runner NAME R S F`); when it dies, the experiment that was
 * running is recorded as a crash and the remaining ones run again in a fresh process.
 */
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RuntimeComparison, RuntimeProbes, type RuntimeProbe } from '../src/schema/runtime.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { planProbe, type ProbePlan } from './probes/arguments.ts';
import { classifyProbe, type OnceRun, type RepeatRun } from './probes/classify.ts';
import { compareWithDataset } from './probes/compare.ts';
import { compileRunner, describePython, runChild } from './probes/run.ts';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { compareNames, stableJson } from './lib/json-output.ts';
import { DATA_DIR, VERSIONS_DIR } from './lib/paths.ts';

const VERSION = '3.11';

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

async function runProbe(binary: string, plan: ProbePlan): Promise<RuntimeProbe> {
  const runs: { R?: RepeatRun; S?: OnceRun; F?: OnceRun } = {};
  const crashes: { experiment: Experiment; how: string }[] = [];
  let pending = experimentsOf(plan);
  let mode = 0;
  while (pending.length > 0) {
    const args = [plan.name, ...(mode ? [`mode=${mode}`] : []), ...pending];
    const result = await runChild(binary, args);
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
  only?: string[];
  jobs: number;
  /** Where the runner is generated and compiled; removed afterwards unless `keep`. */
  workDir: string;
  keep?: boolean;
}

export async function probeVersion(options: ProbeOptions) {
  const datasetFile = path.join(VERSIONS_DIR, `${VERSION}.json`);
  const dataset = VersionDataset.parse(JSON.parse(await readFile(datasetFile, 'utf8')));
  const apis = dataset.apis.filter((api) => api.kind === 'function');
  const selected = options.only ? apis.filter((api) => options.only!.includes(api.name)) : apis;
  const probes: RuntimeProbe[] = [];
  const plans: ProbePlan[] = [];
  for (const api of selected) {
    const planned = planProbe(api);
    if (planned.ok) plans.push(planned.plan);
    else probes.push({ name: api.name, status: 'skipped', reason: planned.reason, params: [] });
  }
  const compiled = compileRunner(plans, options.workDir);
  for (const [name, reason] of compiled.rejected) probes.push({ name, status: 'skipped', reason, params: [] });
  try {
    probes.push(...(await pool(compiled.plans, options.jobs, (plan) => runProbe(compiled.binary, plan))));
  } finally {
    if (!options.keep) await rm(options.workDir, { recursive: true, force: true });
  }
  probes.sort((a, b) => compareNames(a.name, b.name));
  const summary: Record<string, number> = { attempted: compiled.plans.length };
  for (const probe of probes) summary[probe.status] = (summary[probe.status] ?? 0) + 1;
  const output = RuntimeProbes.parse({ version: VERSION, python: describePython(), summary, probes });
  const comparison = RuntimeComparison.parse(compareWithDataset(VERSION, probes, apis));
  return { output, comparison };
}

const USAGE = 'usage: npm run probe -- [--only NAME]... [--jobs N] [--check] [--keep] [--work-dir DIR]';

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      jobs: { type: 'string', default: String(availableParallelism()) },
      check: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'work-dir': { type: 'string', default: path.join(tmpdir(), `capi-refs-probes-${process.pid}`) },
    },
  });
  await runStage(async () => {
    const started = performance.now();
    const jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) {
      console.error(`--jobs must be a positive integer\n${USAGE}`);
      process.exit(2);
    }
    const { output, comparison } = await probeVersion({ only: values.only, jobs, workDir: values['work-dir'], keep: values.keep });
    if (values.keep) console.error(`kept the generated runner in ${values['work-dir']}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (values.only) {
      console.log(JSON.stringify({ probes: output.probes, disagreements: comparison.disagreements }, null, 2));
      return;
    }
    const outputs = new Map([
      [path.join(RUNTIME_DIR, `${VERSION}.json`), stableJson(output)],
      [path.join(RUNTIME_DIR, `${VERSION}-comparison.json`), stableJson(comparison)],
    ]);
    if (await writeOrCheck(outputs, values.check, 'data/runtime/')) {
      console.error(`wrote data/runtime/${VERSION}.json in ${seconds}s: ${JSON.stringify(output.summary)}`);
      console.error(`agreement by source: ${JSON.stringify(comparison.bySource)}`);
    }
  });
}
