/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run for real by Debian's pre-commit, as an extension author's
 * repository would run it: pre-commit clones this repository, installs the hook with npm (`language: node`) and
 * runs `capi-refs check` on the staged C files. `pre-commit try-repo` takes this checkout as the hook repository,
 * with its uncommitted changes to tracked files, so the hook tested is the one in the working tree.
 *
 * Outside CI a machine without pre-commit skips these tests (saying why); with CI=true they run and fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCommand } from '../../scripts/ensure-system-packages.ts';
import { ROOT, type Run } from './helpers.ts';

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

let repo: string;
let preCommitHome: string;

/** `pre-commit try-repo <this checkout> capi-refs --files <files>` in the extension's repository. */
function tryHook(files: readonly string[]): Run {
  // A user's shell has no npm_* variables; the ones `npm test` exports (its own prefix among them) would steer the
  // npm that pre-commit runs in its clone.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  const r = spawnSync('pre-commit', ['try-repo', ROOT, 'capi-refs', '--files', ...files], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...env, PRE_COMMIT_HOME: preCommitHome },
  });
  if (r.error) throw new Error(`cannot run pre-commit (${r.error.message}): install it (Debian: ${installCommand(['pre-commit'])})`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pre-commit hook capi-refs', () => {
  beforeAll(() => {
    if (SKIP_REASON) return;
    repo = mkdtempSync(path.join(tmpdir(), 'capi-refs-pre-commit-repo-'));
    // One store for both runs: pre-commit installs the hook once for a clean checkout (a changed one gets a new
    // shadow commit, hence a new install, each run).
    preCommitHome = mkdtempSync(path.join(tmpdir(), 'capi-refs-pre-commit-home-'));
    writeFileSync(path.join(repo, 'leaky.c'), LEAKY_C);
    writeFileSync(path.join(repo, 'fixed.c'), FIXED_C);
    writeFileSync(path.join(repo, 'notes.txt'), 'not C: the hook must not be given this file\n');
    for (const args of [['init', '--quiet'], ['add', '.']]) {
      const git = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
      if (git.status !== 0) throw new Error(`git ${args[0]} in ${repo} failed: ${git.stderr}`);
    }
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (preCommitHome) rmSync(preCommitHome, { recursive: true, force: true });
  });

  it('fails on a C file that leaks a reference, printing the finding', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const r = tryHook(['leaky.c', 'notes.txt']);
    expect(r.stdout).toMatch(/capi-refs \(Python C-API reference ownership\)\.+Failed/);
    expect(r.stdout).toContain('leaky.c:12:9: warning [reference-leak] pair() returns here still holding the new reference returned by PyList_New');
    expect(r.stdout).toMatch(/capi-refs check: 1 findings in 1 files/);
    expect(r.status).toBe(1);
  });

  it('passes on the corrected file', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const r = tryHook(['fixed.c']);
    expect(r.stdout).toMatch(/capi-refs \(Python C-API reference ownership\)\.+Passed/);
    expect(r.stdout).not.toContain('fixed.c:');
    expect(r.status).toBe(0);
  });

  it('is skipped when no C file is among the files', (ctx) => {
    if (SKIP_REASON) ctx.skip(SKIP_REASON);
    const r = tryHook(['notes.txt']);
    expect(r.stdout).toMatch(/capi-refs \(Python C-API reference ownership\)\.+\(no files to check\)Skipped/);
    expect(r.status).toBe(0);
  });
});
