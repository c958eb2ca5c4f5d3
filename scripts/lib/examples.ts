/**
 * Build and run the C examples of content/examples/<slug>/ against the machine's CPython 3.11: the release build
 * (Debian python3.11-dev) and the debug build (Debian python3.11-dbg, whose sys.gettotalrefcount() counts every
 * reference). Shared by tests/examples.test.ts and scripts/measure-examples.ts.
 *
 * Each example has wrong.c and fixed.c, both defining the extension module `example`, and driver.py with
 * `call(m)` (one use of the module; measured) and optionally `check(m)` (raises if the result is wrong).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const EXAMPLES_DIR = resolve(import.meta.dirname, '../../content/examples');

export type BuildKind = 'release' | 'debug';
export type Variant = 'wrong' | 'fixed';

export type Interpreter = {
  kind: BuildKind;
  python: string;
  includes: string[];
  extSuffix: string;
};

const PYTHONS: Record<BuildKind, { python: string; config: string }> = {
  release: { python: '/usr/bin/python3.11', config: '/usr/bin/python3.11-config' },
  debug: { python: '/usr/bin/python3.11d', config: '/usr/bin/python3.11d-config' },
};

/** Calls of `call(m)` before measuring, and per measured round. */
export const WARMUP_CALLS = 50;
export const CALLS_PER_ROUND = 200;
export const ROUNDS = 3;

export function listExamples(dir: string = EXAMPLES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export async function probeInterpreter(kind: BuildKind): Promise<Interpreter> {
  const { python, config } = PYTHONS[kind];
  for (const path of [python, config]) {
    if (!existsSync(path)) {
      throw new Error(`${path} is missing: apt-get install python3.11-dev python3.11-dbg (see .ci/run)`);
    }
  }
  const inc = await run(config, ['--includes']);
  const suffix = await run(python, ['-c', "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"]);
  return {
    kind,
    python,
    includes: [...new Set(inc.stdout.trim().split(/\s+/).filter(Boolean))],
    extSuffix: suffix.stdout.trim(),
  };
}

let numpyInclude: Promise<string> | undefined;
/** NumPy's C headers (Debian python3-numpy), found through the release interpreter. */
export function numpyIncludeDir(): Promise<string> {
  numpyInclude ??= run(PYTHONS.release.python, ['-c', 'import numpy; print(numpy.get_include())']).then(
    (r) => r.stdout.trim(),
    () => {
      throw new Error('NumPy is missing for /usr/bin/python3.11: apt-get install python3-numpy (see .ci/run)');
    },
  );
  return numpyInclude;
}

export type Built = { dir: string; compileMs: number };

/** Compile content/examples/<slug>/<variant>.c into <outRoot>/<slug>/<variant>-<kind>/example<EXT_SUFFIX>. */
export async function buildExample(
  slug: string,
  variant: Variant,
  interp: Interpreter,
  outRoot: string,
): Promise<Built> {
  const source = join(EXAMPLES_DIR, slug, `${variant}.c`);
  const dir = join(outRoot, slug, `${variant}-${interp.kind}`);
  const extra: string[] = [];
  if (/#\s*include\s*[<"]numpy\//.test(readFileSync(source, 'utf8'))) extra.push(`-I${await numpyIncludeDir()}`);
  return buildModule(source, dir, interp, extra, `${slug}/${variant}.c`);
}

/** Compile one C file defining the extension module `example` into <dir>/example<EXT_SUFFIX>, every warning an error. */
export async function buildModule(source: string, dir: string, interp: Interpreter, extra: readonly string[] = [], what = source): Promise<Built> {
  mkdirSync(dir, { recursive: true });
  const args = [
    '-Wall',
    '-Wextra',
    '-Wno-unused-parameter',
    '-Wno-missing-field-initializers',
    '-Werror',
    '-std=c11',
    '-O0',
    '-g',
    '-shared',
    '-fPIC',
    ...interp.includes,
    ...extra,
    source,
    '-o',
    join(dir, `example${interp.extSuffix}`),
  ];
  const start = performance.now();
  try {
    await run('gcc', args);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`gcc failed for ${what} (${interp.kind}):\n${e.stderr ?? e.message}`);
  }
  return { dir, compileMs: performance.now() - start };
}

/** Python run in the child: imports `example` from the build folder and the example's driver.py. */
const RUNNER = String.raw`
import gc, importlib.util, json, sys
mod_dir, driver_path, mode, warmup, calls, rounds = sys.argv[1:7]
warmup, calls, rounds = int(warmup), int(calls), int(rounds)
sys.path.insert(0, mod_dir)
import example
spec = importlib.util.spec_from_file_location("driver", driver_path)
driver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(driver)

def check():
    if not hasattr(driver, "check"):
        return None
    try:
        driver.check(example)
    except BaseException as e:
        return "%s: %s" % (type(e).__name__, e)
    return None

def measure():
    call = driver.call
    # A driver may count something narrower than the interpreter's total: extensions built for the release ABI
    # (NumPy from Debian) change reference counts without updating the debug build's total.
    total = getattr(driver, "refs", None) or getattr(sys, "gettotalrefcount", None)
    for _ in range(warmup):
        call(example)
    deltas = []
    for _ in range(rounds):
        gc.collect()
        before = total() if total else 0
        for _ in range(calls):
            call(example)
        gc.collect()
        after = total() if total else 0
        deltas.append(after - before)
    return deltas

result = {}
result["checkError"] = check()
result["deltas"] = measure()
result["metric"] = getattr(driver, "METRIC", "sys.gettotalrefcount()" if hasattr(sys, "gettotalrefcount") else None)
print("@@RESULT@@" + json.dumps(result), flush=True)
`;

export type RunResult = {
  /** Total-refcount change per measured round (all 0 on the release build, which cannot count). */
  deltas: number[] | null;
  /** What the deltas count: sys.gettotalrefcount() unless the driver defines refs() and METRIC. */
  metric: string | null;
  /** What `check(m)` raised, if anything; null if it passed or the driver has none. */
  checkError: string | null;
  exitCode: number | null;
  signal: string | null;
  /** The debug build's "Fatal Python error" line, or the start of stderr. */
  fatal: string | null;
  stderr: string;
  ms: number;
};

/** Run a driver (the example's driver.py by default) against one built module in a child process (a crash only ends the child). */
export function runExample(slug: string, built: Built, interp: Interpreter, timeoutMs = 60_000, driver = join(EXAMPLES_DIR, slug, 'driver.py')): Promise<RunResult> {
  const args = ['-X', 'faulthandler', '-c', RUNNER, built.dir, driver, 'measure'];
  args.push(String(WARMUP_CALLS), String(CALLS_PER_ROUND), String(ROUNDS));
  const start = performance.now();
  return new Promise((resolvePromise, reject) => {
    // No core files from the expected crashes (`ulimit -c 0`), and the build folder as working directory.
    const child = spawn('/bin/sh', ['-c', 'ulimit -c 0 && exec "$0" "$@"', interp.python, ...args], {
      cwd: built.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0' },
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
      const parsed = line ? (JSON.parse(line.slice('@@RESULT@@'.length)) as { deltas: number[]; checkError: string | null; metric: string | null }) : null;
      const fatal = /Fatal Python error: .*/.exec(stderr)?.[0] ?? null;
      resolvePromise({
        deltas: parsed?.deltas ?? null,
        checkError: parsed?.checkError ?? null,
        metric: parsed?.metric ?? null,
        exitCode: code,
        signal,
        fatal,
        stderr: stderr.slice(0, 4000),
        ms: performance.now() - start,
      });
    });
  });
}

/** References leaked per call in the last measured round (negative: released more than owned). */
export function perCall(r: RunResult): number | null {
  if (!r.deltas || r.deltas.length === 0) return null;
  return r.deltas[r.deltas.length - 1]! / CALLS_PER_ROUND;
}

export function crashed(r: RunResult): boolean {
  return r.signal !== null || r.fatal !== null || (r.exitCode !== 0 && r.deltas === null);
}

/** Run `tasks` with at most `limit` in flight (the machines have 2 cores). */
export async function pool<T>(tasks: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  });
  await Promise.all(workers);
  return results;
}

export type ExampleOutcome = {
  slug: string;
  /** Set when a C file did not compile (gcc's message); the runs are then absent. */
  buildError: string | null;
  wrongDebug: RunResult | null;
  fixedDebug: RunResult | null;
  fixedRelease: RunResult | null;
  compileMs: number;
};

/**
 * For every slug: compile wrong.c and fixed.c for both builds (-Wall -Wextra -Werror), run wrong and fixed under
 * the debug build and fixed under the release build, each in its own child process. At most `limit` slugs at once.
 */
export async function buildAndRunAll(slugs: string[], outRoot: string, limit = 2): Promise<ExampleOutcome[]> {
  const [release, debug] = await Promise.all([probeInterpreter('release'), probeInterpreter('debug')]);
  const tasks = slugs.map((slug) => async (): Promise<ExampleOutcome> => {
    let wrongDebugBuilt: Built, fixedDebugBuilt: Built, fixedReleaseBuilt: Built, wrongReleaseBuilt: Built;
    try {
      wrongDebugBuilt = await buildExample(slug, 'wrong', debug, outRoot);
      fixedDebugBuilt = await buildExample(slug, 'fixed', debug, outRoot);
      fixedReleaseBuilt = await buildExample(slug, 'fixed', release, outRoot);
      wrongReleaseBuilt = await buildExample(slug, 'wrong', release, outRoot); // compiled only: it must build cleanly
    } catch (err) {
      const buildError = (err as Error).message;
      return { slug, buildError, wrongDebug: null, fixedDebug: null, fixedRelease: null, compileMs: 0 };
    }
    return {
      slug,
      buildError: null,
      wrongDebug: await runExample(slug, wrongDebugBuilt, debug),
      fixedDebug: await runExample(slug, fixedDebugBuilt, debug),
      fixedRelease: await runExample(slug, fixedReleaseBuilt, release),
      compileMs: wrongDebugBuilt.compileMs + fixedDebugBuilt.compileMs + fixedReleaseBuilt.compileMs + wrongReleaseBuilt.compileMs,
    };
  });
  return pool(tasks, limit);
}

/** "crash", or references leaked per call (the count's growth in the last measured round, divided by the calls). */
export function formatPerCall(r: RunResult | null): string {
  if (r === null) return 'not built';
  if (crashed(r)) return 'crash';
  const n = perCall(r);
  if (n === null) return `failed (exit ${r.exitCode})`;
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
