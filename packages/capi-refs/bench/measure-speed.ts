/**
 * Speed and peak memory of the C checker, each measurement in a fresh child process running the CLI:
 *
 *   modules  CPython 3.11's Modules/ (Debian's bookworm source, see fetch-cpython-source.ts), vendored code excluded
 *   big      a generated 20 MB extension module (.cache/checker-bench/big.c)
 *   deep     a generated file with a 100,000-deep parenthesised #define and 10,000 nested if blocks
 *
 *   npm run bench:checker-speed
 *   npm run bench:checker-speed -- --only big
 *   npm run bench:checker-speed -- --from source   # the CLI from source, not the built package
 *   npm run bench:checker-speed -- --only modules --repeat 5
 *   npm run bench:checker-speed -- --only modules --repeat 5 --against ../base/packages/capi-refs/bin/capi-refs.js
 *
 * This machine's speed moves by a fifth from one minute to the next, so one run compares nothing: --repeat N runs
 * each input N times and reports the median and the best; --against BIN also runs another build of the checker (a
 * git worktree of an earlier commit, after its `npm ci`), alternating with this one run by run, so that both see
 * the same minutes.
 * By default the package is built first (npm run build:package) and its bin measured: what `npx capi-refs` runs.
 * Prints a Markdown table and writes .cache/checker-bench/speed.json (with --only, that input's row alone); each
 * run's own report, stderr and /usr/bin/time figures stay in .cache/checker-bench/runs/. A benchmark, not a test:
 * nothing is asserted.
 * A run that exits with anything but 0 or 1, or whose output is not the JSON report, is reported as a crash;
 * a run still going after 15 minutes is killed and reported as a timeout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { countLines, cpythonModuleFiles, describeExcluded } from './cpython-modules.ts';
import { median } from './statistics.ts';
import type { CheckResult } from '../src/check.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const BENCH_DIR = path.join(REPO_ROOT, '.cache', 'checker-bench');
/** The CLI from source (Node strips the types as it loads each module), and the package's bin (compiled to dist/). */
export const SOURCE_CLI = path.join(REPO_ROOT, 'packages', 'capi-refs', 'src', 'cli.ts');
const PACKAGE_CLI = path.join(REPO_ROOT, 'packages', 'capi-refs', 'bin', 'capi-refs.js');
export const RUN_TIMEOUT_MS = 15 * 60 * 1000;
const TIME = '/usr/bin/time';

export type RunStatus = 'ok' | 'crash' | 'timeout';

export interface CheckerRun {
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  seconds: number;
  /** Peak resident set size of the checker process, in MB (10^6 bytes); null when not measured. */
  peakMb: number | null;
  /**
   * CPU time of the checker process, all its threads (user + system), in seconds; null when not measured. Against
   * the wall time it shows what the run cost beyond the work: each worker thread compiles the checker's code again.
   */
  cpuSeconds: number | null;
  /** How peak memory was measured. */
  rssSource: 'usr-bin-time' | 'node-exit-hook';
  /** The parsed JSON report; null when the run crashed or timed out. */
  result: CheckResult | null;
  /** Why the run counts as a crash, and the end of its stderr. */
  problem: string | null;
  stderrTail: string;
}

/** Prints `process.resourceUsage()`'s peak RSS (KiB) and CPU time (µs) on exit, for machines without /usr/bin/time. */
const RSS_HOOK = `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\n@@maxrss-kib ' + u.maxRSS + ' cpu-us ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });`;

function relativeToRepo(p: string): string {
  const r = path.relative(REPO_ROOT, p);
  return r.startsWith('..') || path.isAbsolute(r) ? p : r;
}

/**
 * Runs `cli.ts check <paths> --python X --format json --fail-on none` in a fresh process (cwd: the repository
 * root, so findings name paths relative to it), stdout into `outFile`.
 */
export async function runChecker(paths: readonly string[], python: string, outFile: string, options: { timeoutMs?: number; rss?: 'auto' | 'time' | 'hook'; cli?: string } = {}): Promise<CheckerRun> {
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
  const useTime = options.rss === 'hook' ? false : options.rss === 'time' ? true : existsSync(TIME);
  const errFile = `${outFile}.stderr`;
  const timeFile = `${outFile}.time`;
  await mkdir(path.dirname(outFile), { recursive: true });
  await rm(timeFile, { force: true });
  const cliArgs = [options.cli ?? SOURCE_CLI, 'check', ...paths.map(relativeToRepo), '--python', python, '--format', 'json', '--fail-on', 'none'];
  const [command, args] = useTime
    ? [TIME, ['-f', '%e %M %U %S', '-o', timeFile, process.execPath, ...cliArgs]]
    : [process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(RSS_HOOK)}`, ...cliArgs]];
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const started = performance.now();
  // Its own process group, so a timeout kills the checker and not only /usr/bin/time.
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', out, err], detached: true });
  closeSync(out);
  closeSync(err);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  }, timeoutMs);
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolve, reject) => {
      child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
      child.on('exit', (c, s) => resolve({ code: c, signal: s }));
    });
  } finally {
    clearTimeout(timer);
  }
  const { code, signal } = exit;
  const seconds = (performance.now() - started) / 1000;

  const stderr = await readFile(errFile, 'utf8');
  let peakKib: number | null = null;
  let cpuSeconds: number | null = null;
  let exitCode = code;
  let childSignal: string | null = signal;
  if (useTime && existsSync(timeFile)) {
    // GNU time writes "Command exited with non-zero status N" or "Command terminated by signal N" before the figures.
    const timeText = await readFile(timeFile, 'utf8');
    const figures = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/m.exec(timeText);
    if (figures) {
      peakKib = Number(figures[2]);
      cpuSeconds = Number(figures[3]) + Number(figures[4]);
    }
    const bySignal = /terminated by signal (\d+)/.exec(timeText);
    if (bySignal) {
      childSignal = `signal ${bySignal[1]}`;
      exitCode = null;
    }
  } else {
    const hook = /@@maxrss-kib (\d+) cpu-us (\d+)/.exec(stderr);
    if (hook) {
      peakKib = Number(hook[1]);
      cpuSeconds = Number(hook[2]) / 1e6;
    }
  }
  const stderrTail = stderr.replace(/\n?@@maxrss-kib \d+ cpu-us \d+\n?/, '').trim().split('\n').slice(-12).join('\n');

  let status: RunStatus = 'ok';
  let problem: string | null = null;
  let result: CheckResult | null = null;
  if (timedOut) {
    status = 'timeout';
    problem = `killed after ${timeoutMs / 1000} s`;
  } else if (childSignal !== null || (exitCode !== 0 && exitCode !== 1)) {
    status = 'crash';
    problem = childSignal !== null ? `killed by ${childSignal}` : `exit status ${exitCode}`;
  } else {
    try {
      result = JSON.parse(await readFile(outFile, 'utf8')) as CheckResult;
      if (!Array.isArray(result.findings)) throw new Error('no findings array');
    } catch (error) {
      status = 'crash';
      problem = `exit status ${exitCode}, but stdout is not the JSON report (${(error as Error).message})`;
      result = null;
    }
  }
  return {
    status,
    exitCode,
    signal: childSignal,
    seconds,
    peakMb: peakKib === null ? null : (peakKib * 1024) / 1e6,
    cpuSeconds,
    rssSource: useTime ? 'usr-bin-time' : 'node-exit-hook',
    result,
    problem,
    stderrTail,
  };
}

// ---------------------------------------------------------------- generated inputs

/** Realistic extension functions; `N` is replaced by a distinct number per copy. */
const TEMPLATES: readonly string[] = [
  `static PyObject *
build_list_N(PyObject *self, PyObject *args)
{
    Py_ssize_t n, i;
    PyObject *list = NULL;

    if (!PyArg_ParseTuple(args, "n:build_list_N", &n)) {
        return NULL;
    }
    list = PyList_New(n);
    if (list == NULL) {
        goto error;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PyLong_FromSsize_t(i * N);
        if (item == NULL) {
            goto error;
        }
        /* steals the reference to item */
        PyList_SetItem(list, i, item);
    }
    return list;

error:
    Py_XDECREF(list);
    return NULL;
}
`,
  `static PyObject *
lookup_N(PyObject *self, PyObject *args)
{
    PyObject *dict, *key, *value, *result = NULL;

    if (!PyArg_ParseTuple(args, "O!O:lookup_N", &PyDict_Type, &dict, &key)) {
        return NULL;
    }
    value = PyDict_GetItem(dict, key);
    if (value == NULL) {
        PyErr_SetObject(PyExc_KeyError, key);
        goto done;
    }
    Py_INCREF(value);
    result = Py_BuildValue("(On)", value, (Py_ssize_t)N);
    Py_DECREF(value);
done:
    return result;
}
`,
  `static PyObject *
call_method_N(PyObject *self, PyObject *obj)
{
    PyObject *meth = NULL, *args = NULL, *res = NULL;

    meth = PyObject_GetAttrString(obj, "method_N");
    if (meth == NULL) {
        goto error;
    }
    args = PyTuple_New(2);
    if (args == NULL) {
        goto error;
    }
    PyTuple_SET_ITEM(args, 0, PyLong_FromLong(N));
    PyTuple_SET_ITEM(args, 1, PyUnicode_FromString("item_N"));
    res = PyObject_CallObject(meth, args);
    if (res == NULL) {
        goto error;
    }
    Py_DECREF(meth);
    Py_DECREF(args);
    return res;

error:
    Py_XDECREF(meth);
    Py_XDECREF(args);
    return NULL;
}
`,
  `static PyObject *
sum_items_N(PyObject *self, PyObject *seq)
{
    PyObject *fast, *total;
    Py_ssize_t i, n;

    fast = PySequence_Fast(seq, "sum_items_N expects a sequence");
    if (fast == NULL) {
        return NULL;
    }
    total = PyLong_FromLong(0);
    if (total == NULL) {
        Py_DECREF(fast);
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(fast);
    for (i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, i);
        PyObject *next = PyNumber_Add(total, item);
        if (next == NULL) {
            Py_DECREF(total);
            Py_DECREF(fast);
            return NULL;
        }
        Py_SETREF(total, next);
    }
    if (PyList_Check(seq) && PyList_GET_SIZE(seq) > 0) {
        PyObject *first = PyList_GetItem(seq, 0);
        if (first == NULL && PyErr_Occurred()) {
            Py_DECREF(total);
            Py_DECREF(fast);
            return NULL;
        }
    }
    Py_DECREF(fast);
    return total;
}
`,
  `static int
add_constants_N(PyObject *module)
{
    PyObject *value = PyLong_FromLong(N);
    PyObject *name = NULL, *mod_dict;

    if (value == NULL) {
        return -1;
    }
    if (PyModule_AddObject(module, "CONST_N", value) < 0) {
        Py_DECREF(value);
        return -1;
    }
    mod_dict = PyModule_GetDict(module);
    name = PyUnicode_FromFormat("name_%d", N);
    if (name == NULL) {
        return -1;
    }
    if (PyDict_SetItemString(mod_dict, "NAME_N", name) < 0) {
        Py_DECREF(name);
        return -1;
    }
    Py_DECREF(name);
    if (PyDict_GetItemString(mod_dict, "CONST_N") == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "CONST_N vanished");
        return -1;
    }
    return 0;
}
`,
  `static PyObject *
describe_N(PyObject *self, PyObject *obj)
{
    PyObject *type, *value, *traceback;
    PyObject *repr = PyObject_Repr(obj);
    const char *text;

    if (repr == NULL) {
        PyErr_Fetch(&type, &value, &traceback);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        return PyUnicode_FromString("<unrepresentable N>");
    }
    text = PyUnicode_AsUTF8(repr);
    if (text == NULL) {
        Py_DECREF(repr);
        return NULL;
    }
    Py_DECREF(repr);
    return PyUnicode_FromFormat("%s#%d", Py_TYPE(obj)->tp_name, N);
}
`,
];

const METHOD_FLAGS: Readonly<Record<string, string>> = {
  build_list: 'METH_VARARGS',
  lookup: 'METH_VARARGS',
  call_method: 'METH_O',
  sum_items: 'METH_O',
  describe: 'METH_O',
};

/** A ~`bytes`-byte extension module of distinct functions, with a method table every 60 functions. */
export function generateBigModule(bytes: number): string {
  const parts: string[] = ['/* Generated by packages/capi-refs/bench/measure-speed.ts: checker speed input. */\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n\n'];
  let size = parts[0]!.length;
  let pending: string[] = [];
  let tables = 0;
  for (let n = 0; size < bytes; n++) {
    const template = TEMPLATES[n % TEMPLATES.length]!;
    const code = template.replace(/\bN\b/g, String(n)).replace(/_N\b/g, `_${n}`) + '\n';
    parts.push(code);
    size += code.length;
    const base = /^(\w+)_\d+\(/m.exec(code)?.[1];
    if (base && METHOD_FLAGS[base]) pending.push(`    {"${base}_${n}", (PyCFunction)${base}_${n}, ${METHOD_FLAGS[base]}, NULL},\n`);
    if (pending.length >= 60) {
      const table = `static PyMethodDef bench_methods_${tables++}[] = {\n${pending.join('')}    {NULL, NULL, 0, NULL}\n};\n\n`;
      parts.push(table);
      size += table.length;
      pending = [];
    }
  }
  return parts.join('');
}

export interface DeepFile {
  text: string;
  /** The line of the #define, whose innermost parentheses hold a deprecated call (PyUnicode_AS_UNICODE). */
  macroLine: number;
  /** The lines of the innermost if block, which returns a borrowed reference (PyList_GetItem) after releasing its owner. */
  innermost: { from: number; to: number };
}

/**
 * A #define of `parens`-deep nested parentheses and a function of `ifs` nested if blocks. Each has one mistake at
 * the bottom, so findings on those lines show that the checker got there.
 */
export function generateDeepFile(parens: number, ifs: number): DeepFile {
  const lines = [
    '/* Generated by packages/capi-refs/bench/measure-speed.ts: checker depth input. */',
    '#include <Python.h>',
    '',
    `#define DEEP_NEST(o) ${'('.repeat(parens)}PyUnicode_AS_UNICODE(o)${')'.repeat(parens)}`,
    '',
    'static PyObject *',
    'deep_ifs(PyObject *self, PyObject *arg)',
    '{',
    '    PyObject *list = PyList_New(1);',
    '    long v = PyLong_AsLong(arg);',
    '    if (list == NULL) {',
    '        return NULL;',
    '    }',
  ];
  const macroLine = 4;
  for (let i = 0; i < ifs; i++) lines.push(`if (v > ${i}) {`);
  const from = lines.length + 1;
  lines.push('PyObject *item = PyList_GetItem(list, 0);', 'Py_DECREF(list);', 'return item;');
  const to = lines.length;
  for (let i = 0; i < ifs; i++) lines.push('}');
  lines.push('    Py_DECREF(list);', '    Py_RETURN_NONE;', '}', '');
  return { text: lines.join('\n'), macroLine, innermost: { from, to } };
}

// ---------------------------------------------------------------- the benchmark

interface Row {
  input: string;
  /** The CLI measured, relative to the repository when inside it. */
  cli: string;
  files: number;
  lines: number;
  /** The median of the runs' wall times (all runs: a crashed one counts with the time it took). */
  seconds: number;
  /** Each run's wall time, in the order run. */
  secondsEach: number[];
  bestSeconds: number;
  linesPerSecond: number | null;
  bestLinesPerSecond: number | null;
  /** The median of the runs' CPU times (all threads). */
  cpuSeconds: number | null;
  /** The highest peak of the runs. */
  peakMb: number | null;
  findings: number | null;
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  problem: string | null;
  stderrTail: string;
  rssSource: string;
}

/** Builds the package (npm run build:package) and returns the path of its bin. */
function buildPackage(): string {
  process.stderr.write('building the package (npm run build:package) to measure its compiled bin...\n');
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-package.ts')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error(`npm run build:package failed (exit ${build.status}); fix it, or measure the source with --from source`);
  return PACKAGE_CLI;
}

function git(args: string[]): string | null {
  const r = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** One row per CLI: each run `repeat` times, the CLIs alternating run by run. Returns the rows and each CLI's last run. */
async function measure(input: string, files: readonly string[], lines: number, python: string, rss: 'auto' | 'time' | 'hook', clis: readonly string[], repeat: number): Promise<{ rows: Row[]; runs: CheckerRun[] }> {
  process.stderr.write(`measure-speed: ${input}: ${files.length} files, ${lines} lines, ${repeat} run(s) of ${clis.length} checker(s) ...\n`);
  const runs: CheckerRun[][] = clis.map(() => []);
  for (let round = 0; round < repeat; round++) {
    for (const [k, cli] of clis.entries()) {
      const run = await runChecker(files, python, path.join(BENCH_DIR, 'runs', `speed-${input}${k === 0 ? '' : `-against`}.json`), { rss, cli });
      runs[k]!.push(run);
      process.stderr.write(`measure-speed: ${input}${k === 0 ? '' : ' (against)'}: ${run.status}${run.problem ? ` (${run.problem})` : ''} in ${run.seconds.toFixed(1)} s\n`);
      if (run.status !== 'ok' && run.stderrTail) process.stderr.write(run.stderrTail.replace(/^/gm, '    ') + '\n');
    }
  }
  const rows = clis.map((cli, k): Row => {
    const mine = runs[k]!;
    const failed = mine.find((r) => r.status !== 'ok');
    const shown = failed ?? mine.at(-1)!;
    const ok = failed === undefined;
    const seconds = median(mine.map((r) => r.seconds));
    const bestSeconds = Math.min(...mine.map((r) => r.seconds));
    const cpu = mine.map((r) => r.cpuSeconds).filter((c): c is number => c !== null);
    const peaks = mine.map((r) => r.peakMb).filter((m): m is number => m !== null);
    return {
      input,
      cli: relativeToRepo(cli),
      files: files.length,
      lines,
      seconds,
      secondsEach: mine.map((r) => r.seconds),
      bestSeconds,
      linesPerSecond: ok ? lines / seconds : null,
      bestLinesPerSecond: ok ? lines / bestSeconds : null,
      cpuSeconds: cpu.length === mine.length ? median(cpu) : null,
      peakMb: peaks.length === mine.length ? Math.max(...peaks) : null,
      findings: shown.result ? shown.result.findings.length : null,
      status: shown.status,
      exitCode: shown.exitCode,
      signal: shown.signal,
      problem: shown.problem,
      stderrTail: shown.status === 'ok' ? '' : shown.stderrTail,
      rssSource: shown.rssSource,
    };
  });
  return { rows, runs: runs.map((mine) => mine.at(-1)!) };
}

function table(rows: readonly Row[], labelled: boolean): string {
  const f = (n: number | null, digits: number): string => (n === null ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  const out = [
    `| input |${labelled ? ' checker |' : ''} files | lines | seconds (median) | best | lines/s (median) | lines/s (best) | CPU s | peak MB | findings | status |`,
    `|---|${labelled ? '---|' : ''}---:|---:|---:|---:|---:|---:|---:|---:|---:|---|`,
  ];
  for (const r of rows) {
    const status = r.status === 'ok' ? 'ok' : `${r.status}${r.problem ? `: ${r.problem}` : ''}`;
    out.push(
      `| ${r.input} |${labelled ? ` ${r.cli} |` : ''} ${r.files} | ${f(r.lines, 0)} | ${f(r.seconds, 1)} | ${f(r.bestSeconds, 1)} | ${f(r.linesPerSecond, 0)} | ${f(r.bestLinesPerSecond, 0)} | ${f(r.cpuSeconds, 1)} | ${f(r.peakMb, 0)} | ${f(r.findings, 0)} | ${status} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      rss: { type: 'string', default: 'auto' },
      'big-mb': { type: 'string', default: '20' },
      from: { type: 'string', default: 'package' },
      repeat: { type: 'string', default: '1' },
      against: { type: 'string' },
    },
  });
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number of runs, 1 or more (got ${values.repeat})`);
  const against = values.against === undefined ? null : path.resolve(values.against);
  if (against !== null && !existsSync(against)) throw new Error(`--against ${values.against}: no such file; give the bin of another build of the checker (packages/capi-refs/bin/capi-refs.js in a worktree where npm ci has run)`);
  if (values.from !== 'package' && values.from !== 'source') throw new Error(`--from must be package or source (got ${values.from})`);
  // What users run (`npx capi-refs`) is the package's compiled bin: built first, as `npm ci` builds it.
  const cli = values.from === 'package' ? buildPackage() : SOURCE_CLI;
  const clis = against === null ? [cli] : [cli, against];
  const only = values.only;
  if (only !== undefined && only !== 'modules' && only !== 'big' && only !== 'deep') {
    throw new Error(`--only must be modules, big or deep (got ${only})`);
  }
  const rss = values.rss;
  if (rss !== 'auto' && rss !== 'time' && rss !== 'hook') throw new Error(`--rss must be auto, time or hook (got ${rss})`);
  const bigMb = Number(values['big-mb']);
  if (!(bigMb > 0)) throw new Error(`--big-mb must be a positive number (got ${values['big-mb']})`);
  await mkdir(BENCH_DIR, { recursive: true });
  const python = '3.11';
  const rows: Row[] = [];
  let modulesInfo: Record<string, unknown> | null = null;

  if (only === undefined || only === 'modules') {
    const selection = await cpythonModuleFiles();
    const { source } = selection;
    modulesInfo = {
      package: source.package,
      version: source.version,
      dir: path.relative(REPO_ROOT, selection.dir),
      files: selection.files.length,
      lines: selection.lines,
      excluded: selection.excluded,
    };
    rows.push(...(await measure('modules', selection.files, selection.lines, python, rss, clis, repeat)).rows);
  }
  if (only === undefined || only === 'big') {
    const file = path.join(BENCH_DIR, 'big.c');
    await writeFile(file, generateBigModule(bigMb * 1024 * 1024));
    rows.push(...(await measure('big', [file], await countLines(file), python, rss, clis, repeat)).rows);
  }
  let depth: { macroBottomFindings: number; innermostIfFindings: number } | null = null;
  if (only === undefined || only === 'deep') {
    const file = path.join(BENCH_DIR, 'deep.c');
    const deep = generateDeepFile(100_000, 10_000);
    await writeFile(file, deep.text);
    const { rows: deepRows, runs } = await measure('deep', [file], await countLines(file), python, rss, clis, repeat);
    rows.push(...deepRows);
    const run = runs[0]!;
    if (run.result) {
      const lines = run.result.findings.map((f) => f.line);
      depth = {
        macroBottomFindings: lines.filter((l) => l === deep.macroLine).length,
        innermostIfFindings: lines.filter((l) => l >= deep.innermost.from && l <= deep.innermost.to).length,
      };
    }
  }

  const report = {
    checkerCommit: git(['rev-parse', 'HEAD']),
    cli: path.relative(REPO_ROOT, cli),
    against: against === null ? null : relativeToRepo(against),
    repeat,
    checkerSourceModified: (git(['status', '--porcelain', '--', 'packages/capi-refs/src']) ?? '') !== '',
    node: process.version,
    python,
    timeoutMinutes: RUN_TIMEOUT_MS / 60000,
    modules: modulesInfo,
    /** Findings on the lines of the deliberate mistake at the bottom of each deep structure (deep input). */
    depth,
    runs: rows,
  };
  await writeFile(path.join(BENCH_DIR, 'speed.json'), JSON.stringify(report, null, 2) + '\n');

  const lines = [`Checker speed (Python ${python} data, node ${process.version}, commit ${report.checkerCommit?.slice(0, 10) ?? 'unknown'}${report.checkerSourceModified ? ' + local changes' : ''})`, '', table(rows, against !== null)];
  if (modulesInfo) {
    const selection = modulesInfo as { package: string; version: string; dir: string; excluded: Parameters<typeof describeExcluded>[0] };
    lines.push('', `modules: ${selection.dir} (Debian ${selection.package} ${selection.version}), .c and .h files; vendored code excluded: ${describeExcluded(selection.excluded)}.`);
  }
  if (depth) {
    lines.push(
      '',
      `deep: ${depth.macroBottomFindings} finding(s) on the 100,000-deep #define (a deprecated call at its bottom), ` +
        `${depth.innermostIfFindings} in the innermost of the 10,000 nested if blocks (a borrowed reference returned after its owner's release); 0 means the checker did not get there.`,
    );
  }
  lines.push('', `Seconds and lines/s: the median and the best of ${repeat} run(s)${against === null ? '' : ', the two checkers alternating run by run'}; CPU s: the median CPU time of all the process's threads.`);
  lines.push('', `Peak MB: resident set size of the checker process, the highest of the runs (${rows[0]?.rssSource === 'node-exit-hook' ? 'process.resourceUsage().maxRSS at exit' : '/usr/bin/time %M'}). Written ${path.relative(REPO_ROOT, path.join(BENCH_DIR, 'speed.json'))}.`);
  process.stdout.write(lines.join('\n') + '\n');
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`measure-speed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
