/**
 * Before the tests: the Debian packages that the C tests, the browser tests, the editor test and the pre-commit
 * hook's test run (CPython 3.11's headers and debug build, gcc, NumPy's headers, Chromium, Neovim as a language
 * client, pre-commit). Missing ones are installed when this can (root, with apt-get, its progress shown);
 * otherwise the run stops at once with the exact command to run, instead of failing after minutes of tests.
 *
 *   node scripts/ensure-system-packages.ts           # npm test runs it first
 *   node scripts/ensure-system-packages.ts --check   # say what is missing, install nothing
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests run, as Debian names them (.ci/run installs the same list). */
export const TEST_PACKAGES = ['chromium', 'python3.11-dev', 'python3.11-dbg', 'python3-numpy', 'gcc', 'libc6-dev', 'neovim', 'pre-commit'] as const;

/** The packages of `wanted` that dpkg's status lines (`package installed?`) do not show as installed. */
export function missingPackages(wanted: readonly string[], installed: ReadonlySet<string>): string[] {
  return wanted.filter((name) => !installed.has(name));
}

export function installCommand(missing: readonly string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
}

function installedPackages(wanted: readonly string[]): Set<string> {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...wanted], { encoding: 'utf8' });
  const installed = new Set<string>();
  for (const line of query.stdout.split('\n')) {
    const [name, ...status] = line.split(' ');
    if (name && status.join(' ') === 'install ok installed') installed.add(name);
  }
  return installed;
}

function main(): number {
  if (!existsSync('/usr/bin/dpkg-query')) {
    process.stderr.write(`ensure-system-packages: not a Debian system: install the equivalents of ${TEST_PACKAGES.join(', ')} yourself (see the README).\n`);
    return 0;
  }
  const missing = missingPackages(TEST_PACKAGES, installedPackages(TEST_PACKAGES));
  if (missing.length === 0) return 0;
  const command = installCommand(missing);
  const isRoot = process.getuid?.() === 0;
  if (process.argv.includes('--check') || !isRoot) {
    process.stderr.write(`The tests need Debian packages that are missing: ${missing.join(', ')}.\nRun (as root): ${command}\n`);
    return 1;
  }
  process.stderr.write(`Installing the Debian packages the tests need: ${missing.join(', ')}\n`);
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const run = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) {
      process.stderr.write(`apt-get ${args[0]} failed (exit ${run.status}). Run it yourself: ${command}\n`);
      return 1;
    }
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
