/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run for real by Debian's pre-commit, as an extension author's
 * repository runs it: with the `.pre-commit-config.yaml` that the package README shows, pre-commit clones the hook
 * repository at `rev`, installs the hook with npm (`language: node`) and runs `capi-refs check` on the staged C
 * files. The hook repository is a clone of this checkout with its uncommitted changes to tracked files committed,
 * as `pre-commit try-repo` makes one, so the hook tested is the one in the working tree; try-repo itself is not
 * used because it installs the hook anew into a temporary store on every run (one to two minutes each).
 *
 * Outside CI a machine without pre-commit skips these tests (saying why); with CI=true they run and fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCommand } from '../../scripts/ensure-system-packages.ts';
import { PACKAGE, ROOT, type Run } from './helpers.ts';

const HAS_PRE_COMMIT = spawnSync('pre-commit', ['--version']).status === 0;
const SKIP_REASON =
  HAS_PRE_COMMIT || process.env.CI === 'true' ? null : `pre-commit is not installed (Debian: ${installCommand(['pre-commit'])}); CI=true makes this a failure`;

/** A method that leaks `list` when the second allocation fails: the checker's reference-leak, at line 12. */
const LEAKY_C = `#include <Python.h>

static PyObject *
pair(PyObject *self, PyObject *args)
{
    PyObject *list = PyList_New(2);
    if (list == NULL) {
        return NULL;
    }
    PyObject *first = PyLong_FromLong(1);
    if (first == NULL) {
        return NULL;
    }
    PyList_SET_ITEM(list, 0, first);
    PyObject *second = PyLong_FromLong(2);
    if (second == NULL) {
        Py_DECREF(list);
        return NULL;
    }
    PyList_SET_ITEM(list, 1, second);
    return list;
}
`;
/** The same method, releasing `list` on that path too. */
const FIXED_C = LEAKY_C.replace('    if (first == NULL) {\n', '    if (first == NULL) {\n        Py_DECREF(list);\n');

let home: string;
/** Every temporary folder made, removed after the tests. */
const dirs: string[] = [];

/** The environment pre-commit runs in: the store of this test file, and no npm_* variables. */
function preCommitEnv(): NodeJS.ProcessEnv {
  // A user's shell has no npm_* variables; the ones `npm test` exports (its own prefix among them) would steer the
  // npm that pre-commit runs in its clone.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return { ...env, PRE_COMMIT_HOME: home };
}

/** Run a command in `cwd` as pre-commit's user would; `pre-commit` itself missing is an error saying what to install. */
function run(command: string, args: readonly string[], cwd: string): Run {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: preCommitEnv() });
  if (r.error) {
    const hint = command === 'pre-commit' ? `; install it (Debian: ${installCommand(['pre-commit'])})` : '';
    throw new Error(`cannot run ${command} in ${cwd}: ${r.error.message}${hint}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run git in `cwd`; a failure is an error naming the command and the folder. */
function git(args: readonly string[], cwd: string, input?: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', input, env: preCommitEnv() });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

const IDENTITY = ['-c', 'user.name=Extension Author', '-c', 'user.email=author@example.invalid'];

/** A clone of this checkout at HEAD plus its uncommitted changes to tracked files, committed: [path, commit]. */
function snapshotOfCheckout(): [string, string] {
  const snapshot = mkdtempSync(path.join(tmpdir(), 'capi-refs-pre-commit-hooks-'));
  dirs.push(snapshot);
  git(['clone', '--quiet', ROOT, snapshot], tmpdir());
  git(['checkout', '--quiet', '-b', 'snapshot', git(['rev-parse', 'HEAD'], ROOT).trim()], snapshot);
  const changes = git(['diff', '--binary', 'HEAD'], ROOT);
  if (changes) {
    git(['apply', '--index'], snapshot, changes);
    git([...IDENTITY, 'commit', '--quiet', '-m', 'uncommitted changes of the checkout under test'], snapshot);
  }
  return [snapshot, git(['rev-parse', 'HEAD'], snapshot).trim()];
}

/** The `.pre-commit-config.yaml` that the package README shows, its placeholders set to the snapshot. */
function readmeConfig(hooks: string, rev: string): string {
  const readme = readFileSync(path.join(PACKAGE, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('\n## pre-commit\n')).match(/```yaml\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error(`${PACKAGE}/README.md: no yaml block under "## pre-commit"`);
  return block.replace(/^( +- repo: ).*$/m, `$1${hooks}`).replace(/^( +rev: ).*$/m, `$1${rev}`);
}

/** A new git repository (an extension's) with the README's configuration and these files, all staged. */
function extensionRepo(config: string, files: Record<string, string>): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'capi-refs-pre-commit-repo-'));
  dirs.push(repo);
  for (const [name, text] of Object.entries({ '.pre-commit-config.yaml': config, ...files })) writeFileSync(path.join(repo, name), text);
  git(['init', '--quiet'], repo);
  git(['add', '.'], repo);
  return repo;
}

/** `git commit` as the extension's author (the machine may have no identity), its hooks run. */
function commit(repo: string, message: string): Run {
  return run('git', [...IDENTITY, 'commit', '--quiet', '-m', message], repo);
}

describe('pre-commit hook capi-refs', () => {
  let config: string;
  let repo: string;

  beforeAll(() => {
    if (SKIP_REASON) return;
    // One store for every run: pre-commit installs the hook once for the snapshot's revision.
    home = mkdtempSync(path.join(tmpdir(), 'capi-refs-pre-commit-home-'));
    dirs.push(home);
    config = readmeConfig(...snapshotOfCheckout());
    repo = extensionRepo(config, { 'leaky.c': LEAKY_C, 'fixed.c': FIXED_C, 'notes.txt': 'not C: the hook must not be given this file\n' });
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** `pre-commit run --files <files>` in the extension's repository. */
  const runHook = (files: readonly string[]): Run => run('pre-commit', ['run', '--files', ...files], repo);

  it('fails on a C file that leaks a reference, printing the finding', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const r = runHook(['leaky.c', 'notes.txt']);
    expect(r.stdout).toMatch(/capi-refs \(Python C-API reference ownership\)\.+Failed/);
    expect(r.stdout).toContain('leaky.c:12:9: warning [reference-leak] pair() returns here still holding the new reference returned by PyList_New');
    expect(r.stdout).toMatch(/capi-refs check: 1 findings in 1 files \(\d+ lines\) for Python 3\.13/);
    expect(r.status).toBe(1);
  });

  it('passes on the corrected file', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const r = runHook(['fixed.c']);
    expect(r.stdout).toMatch(/capi-refs \(Python C-API reference ownership\)\.+Passed/);
    expect(r.stdout).not.toContain('fixed.c:');
    expect(r.status).toBe(0);
  });

  it('is skipped when no C file is among the files', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const r = runHook(['notes.txt']);
    expect(r.stdout).toMatch(/capi-refs \(Python C-API reference ownership\)\.+\(no files to check\)Skipped/);
    expect(r.status).toBe(0);
  });

  it('blocks a commit of the leaky file, and lets the fixed one through', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const ext = extensionRepo(config, { 'leaky.c': LEAKY_C });
    expect(run('pre-commit', ['install'], ext).status).toBe(0);
    const blocked = commit(ext, 'add a leak');
    expect(blocked.stdout + blocked.stderr).toContain('leaky.c:12:9: warning [reference-leak]');
    expect(blocked.status).toBe(1);
    expect(run('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], ext).status).not.toBe(0);

    writeFileSync(path.join(ext, 'leaky.c'), FIXED_C);
    git(['add', 'leaky.c'], ext);
    const allowed = commit(ext, 'add the fixed method');
    expect(allowed.stdout + allowed.stderr).toMatch(/capi-refs \(Python C-API reference ownership\)\.+Passed/);
    expect(allowed.status).toBe(0);
  });
});
