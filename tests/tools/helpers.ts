/** Shared by the tools tests: paths, and running the CLI as a child process. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const PACKAGE = path.join(ROOT, 'packages/capi-refs');
export const FIXTURES = path.join(ROOT, 'tests/fixtures/c');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI from source (Node strips the types) or, with built: true, the published bin (compiled dist/). */
export function runCli(args: readonly string[], options: { built?: boolean; cwd?: string } = {}): Run {
  const entry = options.built ? path.join(PACKAGE, 'bin/capi-refs.js') : path.join(PACKAGE, 'src/cli.ts');
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
