/**
 * The I/O edge of the probes: describe the debug CPython of a build root, compile the generated runner as an
 * extension module against that root's headers (dropping the probes the headers reject, and recording why), and
 * run each probe in its own interpreter process, started through the root's loader, with a timeout.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimePython } from '../../src/schema/runtime.ts';
import type { ProbePlan } from './arguments.ts';
import { generateRunner, probesInErrors, cIdent } from './c-generator.ts';
import type { BuildLayout } from './debian-builds.ts';
import { pythonCommand } from './python-build.ts';

export const RUNTIME_C = join(dirname(fileURLToPath(import.meta.url)), 'runtime.c');
const MODULE_NAME = 'capi_probes';

function runPython(layout: BuildLayout, code: string): string {
  const command = pythonCommand(layout, ['-c', code]);
  return execFileSync(command.file, command.args, { env: command.env }).toString();
}

/** The build's description as data/runtime records it, and the file suffix its extension modules need. */
export function describePython(layout: BuildLayout, version: string): { python: RuntimePython; extSuffix: string } {
  const info = JSON.parse(runPython(layout,
    'import sys, platform, json, sysconfig; print(json.dumps({"version": platform.python_version(), "implementation": ' +
      'sys.implementation.name, "compiler": platform.python_compiler(), "platform": sysconfig.get_platform(), ' +
      '"debug": hasattr(sys, "gettotalrefcount"), "extSuffix": sysconfig.get_config_var("EXT_SUFFIX")}))')) as {
    version: string; implementation: string; compiler: string; platform: string; debug: boolean; extSuffix: string;
  };
  if (!info.debug) throw new Error(`${layout.python} is not a debug build (no sys.gettotalrefcount)`);
  if (!info.version.startsWith(`${version}.`)) throw new Error(`${layout.python} is CPython ${info.version}, expected ${version}`);
  const python: RuntimePython = {
    version: info.version, build: 'debug', implementation: info.implementation, compiler: info.compiler, platform: info.platform,
    // where the interpreter is inside its unpacked packages: the cache folder differs from machine to machine
    executable: `/usr/bin/python${version}d`,
  };
  return { python, extSuffix: info.extSuffix };
}

/** What a compiled runner needs to run: the build root, the module's folder, and the Python version its headers are. */
export interface Runner {
  layout: BuildLayout;
  moduleDir: string;
}

export interface Compiled {
  runner: Runner;
  plans: ProbePlan[];
  /** Probes dropped because the headers reject the call, with gcc's first message. */
  rejected: Map<string, string>;
}

/** Compiles all plans into one runner; a probe that does not compile is dropped and the rest compiled again. */
export function compileRunner(plans: ProbePlan[], workDir: string, layout: BuildLayout, version: string, extSuffix: string): Compiled {
  mkdirSync(workDir, { recursive: true });
  const runtime = readFileSync(RUNTIME_C, 'utf8');
  const source = join(workDir, 'probes.c');
  const module = join(workDir, `${MODULE_NAME}${extSuffix}`);
  const rejected = new Map<string, string>();
  let current = plans;
  const includes = layout.includes.flatMap((dir) => ['-I', dir]);
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = generateRunner(runtime, current, version);
    writeFileSync(source, text);
    try {
      execFileSync('gcc', ['-shared', '-fPIC', '-Wall', '-Werror=implicit-function-declaration', '-Werror=incompatible-pointer-types',
        '-Werror=int-conversion', '-Wno-deprecated-declarations', '-Wno-unused-function', '-O0', ...includes, source, '-o', module],
      { stdio: ['ignore', 'pipe', 'pipe'] });
      return { runner: { layout, moduleDir: workDir }, plans: current, rejected };
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
      const blamed = probesInErrors(text, stderr);
      if (blamed.size === 0) throw new Error(`gcc failed outside any probe:\n${stderr.slice(0, 4000)}`);
      for (const plan of current) {
        if (!blamed.has(cIdent(plan.name))) continue;
        const implicit = new RegExp(`implicit declaration of function .${plan.name}\\b`).test(stderr);
        rejected.set(plan.name, implicit
          ? `not declared by this platform's ${version} headers`
          : 'does not compile as a call with the documented argument types (a statement macro or another prototype)');
      }
      current = current.filter((p) => !blamed.has(cIdent(p.name)));
    }
  }
  throw new Error('the runner still does not compile after 20 rounds');
}

export interface ChildResult {
  lines: unknown[];
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stderr: string;
}

/**
 * The process layouts every probe runs in: as is, and shifted. A call built to fail may read memory that is not
 * its object (past its end, a field of another type); what lies there follows the process's history: which blocks
 * pymalloc placed next to the argument, what the stack holds. The shifted layout moves both: the runner leaves
 * holes among blocks of every small size before the probe starts (runtime.c, shift_heap), and the longer environment
 * moves the stack. Nothing in it changes a count of a shared object (None, b'', the code's constants), so a call that reads
 * only what it was given measures the same in both; an outcome that is not the same depends on other memory, not on
 * the function (tried: 3.13's PyEval_EvalCode on a non-code object dies by SIGSEGV in one, by an assertion in the other).
 */
export const LAYOUTS = [0, 1] as const;
export type Layout = (typeof LAYOUTS)[number];
const SHIFTED = { CAPI_REFS_LAYOUT_SHIFT: 'x'.repeat(4099) };

/**
 * Runs `capi_probes.run(NAME, EXP...)` in a fresh interpreter process laid out as `layout` says. A probe takes well
 * under a second; the timeout is far above that so that a loaded CI machine does not turn a slow run into a crash
 * that the other layout did not have.
 */
export function runChild(runner: Runner, args: string[], layout: Layout = 0, timeoutMs = 60_000): Promise<ChildResult> {
  const command = pythonCommand(runner.layout, ['-c', `import sys; sys.path.insert(0, sys.argv[1]); import ${MODULE_NAME}; ${MODULE_NAME}.run(*sys.argv[2:])`, runner.moduleDir, ...args]);
  const env = layout === 1 ? { ...command.env, ...SHIFTED } : command.env;
  return new Promise((resolve) => {
    // a fixed working directory: imports resolve the '' entry of sys.path against it, so the checkout's path would
    // reach the heap, and its length move what is allocated after it
    const child = execFile(command.file, command.args, { env, cwd: '/', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const lines: unknown[] = [];
      for (const line of String(stdout).split('\n')) {
        if (!line.startsWith('{')) continue;
        try { lines.push(JSON.parse(line)); } catch { /* a line cut by a crash */ }
      }
      const e = error as (Error & { code?: number | string; signal?: string; killed?: boolean }) | null;
      resolve({
        lines,
        code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
        signal: e?.signal ?? null,
        timedOut: Boolean(e?.killed && e.signal === 'SIGKILL'),
        stderr: String(stderr).slice(-2000),
      });
    });
    // an empty stdin: a function that reads the console (PyRun_InteractiveOneObject) sees its end instead of waiting
    // for the timeout
    child.stdin?.end();
  });
}
