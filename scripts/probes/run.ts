/**
 * The I/O edge of the probes: find the debug CPython, compile the generated runner (dropping the probes the 3.11
 * headers reject, and recording why), and run each probe in its own child process with a timeout.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProbePlan } from './arguments.ts';
import { generateRunner, probesInErrors, cIdent } from './c-generator.ts';

export const RUNTIME_C = join(dirname(fileURLToPath(import.meta.url)), 'runtime.c');
export const PYTHON_CONFIG = '/usr/bin/python3.11-dbg-config';
export const PYTHON_DBG = '/usr/bin/python3.11-dbg';

export interface PythonBuild {
  version: string;
  build: 'debug';
  implementation: string;
  compiler: string;
  platform: string;
  executable: string;
}

export function describePython(): PythonBuild {
  const out = execFileSync(PYTHON_DBG, [
    '-c',
    'import sys, platform, json, sysconfig; print(json.dumps({"version": platform.python_version(), "implementation": ' +
      'sys.implementation.name, "compiler": platform.python_compiler(), "platform": sysconfig.get_platform(), ' +
      '"debug": hasattr(sys, "gettotalrefcount")}))',
  ]).toString();
  const info = JSON.parse(out) as { version: string; implementation: string; compiler: string; platform: string; debug: boolean };
  if (!info.debug) throw new Error(`${PYTHON_DBG} is not a debug build (no sys.gettotalrefcount)`);
  return { version: info.version, build: 'debug', implementation: info.implementation, compiler: info.compiler, platform: info.platform, executable: PYTHON_DBG };
}

function flags(): string[] {
  return execFileSync(PYTHON_CONFIG, ['--embed', '--cflags', '--ldflags']).toString().split(/\s+/).filter(Boolean);
}

export interface Compiled {
  binary: string;
  plans: ProbePlan[];
  /** Probes dropped because the headers reject the call, with gcc's first message. */
  rejected: Map<string, string>;
}

/** Compiles all plans into one runner; a probe that does not compile is dropped and the rest compiled again. */
export function compileRunner(plans: ProbePlan[], workDir: string): Compiled {
  mkdirSync(workDir, { recursive: true });
  const runtime = readFileSync(RUNTIME_C, 'utf8');
  const source = join(workDir, 'probes.c');
  const binary = join(workDir, 'probe-runner');
  const rejected = new Map<string, string>();
  let current = plans;
  const cflags = flags();
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = generateRunner(runtime, current);
    writeFileSync(source, text);
    try {
      execFileSync('gcc', ['-Wall', '-Werror=implicit-function-declaration', '-Werror=incompatible-pointer-types',
        '-Werror=int-conversion', '-Wno-deprecated-declarations', '-Wno-unused-function', '-O0', source, '-o', binary, ...cflags],
      { stdio: ['ignore', 'pipe', 'pipe'] });
      return { binary, plans: current, rejected };
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
      const blamed = probesInErrors(text, stderr);
      if (blamed.size === 0) throw new Error(`gcc failed outside any probe:\n${stderr.slice(0, 4000)}`);
      for (const plan of current) {
        if (!blamed.has(cIdent(plan.name))) continue;
        const implicit = new RegExp(`implicit declaration of function .${plan.name}\\b`).test(stderr);
        rejected.set(plan.name, implicit
          ? "not declared by this platform's 3.11 headers"
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

/** Runs `runner NAME EXP...` in a child process. */
export function runChild(binary: string, args: string[], timeoutMs = 10_000): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
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
  });
}
