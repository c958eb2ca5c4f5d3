import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PACKAGE, runCli } from './helpers.ts';

describe('capi-refs <Name> (lookup)', () => {
  it('prints JSON with a borrowed return for PyList_GetItem in 3.15 (exit 0)', () => {
    const r = runCli(['PyList_GetItem', '--version', '3.15', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      name: 'PyList_GetItem',
      version: '3.15',
      kind: 'function',
      returns: { type: 'PyObject *', ownership: 'borrowed' },
      docsUrl: 'https://docs.python.org/3.15/c-api/list.html#c.PyList_GetItem',
      steals: [],
    });
    expect(doc.returns.words).toMatch(/borrowed/);
    expect(doc.params.map((p: { name: string }) => p.name)).toEqual(['list', 'index']);
    expect(doc.stableAbi).toMatchObject({ recorded: true, value: { since: '3.2' } });
    expect(doc.threadSafety).toMatchObject({ recorded: true, value: { level: 'compatible' } });
    expect(doc.alternatives[0]).toMatchObject({ replacement: 'PyList_GetItemRef', since: '3.13', available: true });
    expect(doc.versions).toEqual(['3.9', '3.11', '3.13', '3.14', '3.15']);
  });

  it('prints plain words: steals, Stable ABI, thread safety, alternative, docs link', () => {
    const r = runCli(['PyModule_AddObject', '--version', '3.14']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('stolen on success only');
    expect(r.stdout).toMatch(/Steals: +value/);
    expect(r.stdout).toMatch(/Stable ABI: +yes, since 3\.2/);
    expect(r.stdout).toMatch(/Deprecated: +soft-deprecated since 3\.13/);
    expect(r.stdout).toContain('PyModule_AddObjectRef (added in 3.10');
    expect(r.stdout).toContain('https://docs.python.org/3.14/c-api/module.html#c.PyModule_AddObject');
  });

  it('says what frees a result that is memory, and nothing of the kind for a borrowed buffer (near miss)', () => {
    expect(runCli(['Py_DecodeLocale', '--version', '3.11']).stdout).toMatch(/Free: +memory, not an object: yours to free with PyMem_RawFree\(\)/);
    expect(runCli(['PyUnicode_AsUTF8', '--version', '3.11']).stdout).not.toContain('Free:');
  });

  it('says when a record is missing: thread safety before 3.14, Stable ABI in 3.9', () => {
    const r = runCli(['PyList_GetItem', '--version', '3.9']);
    expect(r.stdout).toMatch(/Stable ABI: +not recorded/);
    expect(r.stdout).toMatch(/Thread safety: +not recorded/);
  });

  it('defaults to the latest version', () => {
    expect(JSON.parse(runCli(['PyDict_GetItem', '--json']).stdout).version).toBe('3.15');
  });

  it('suggests names for an unknown one (exit 1)', () => {
    const r = runCli(['PyDict_GetItm']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown name PyDict_GetItm; did you mean PyDict_GetItem\b/);
    const j = runCli(['pylist_getitem', '--json']);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: 'unknown-name', suggestions: expect.arrayContaining(['PyList_GetItem']) });
  });

  it('exits 3 for a name not in the version asked for', () => {
    const r = runCli(['PyList_GetItemRef', '--version', '3.11']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('not documented in Python 3.11; it is in 3.13, 3.14, 3.15');
  });

  it('exits 2 on usage errors', () => {
    expect(runCli([]).status).toBe(2);
    expect(runCli(['A', 'B']).status).toBe(2);
    expect(runCli(['PyList_GetItem', '--bogus']).status).toBe(2);
    const r = runCli(['PyList_GetItem', '--version', '3.12']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('available: 3.9, 3.11, 3.13, 3.14, 3.15');
  });

  it('prints the package version for --version alone (exit 0)', () => {
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).version);
    // Without a name, a Python version is no lookup.
    expect(runCli(['--version', '3.13']).status).toBe(2);
  });

  it('prints help with the exit codes', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Exit codes:');
  });
});

describe('capi-refs check', () => {
  const hazards = path.join(FIXTURES, 'hazards.c');
  it('with --explain, notes a PyDict_GetItem call in a C file, with file:line:column (exit 1)', () => {
    const r = runCli(['check', 'tests/fixtures/c/hazards.c', '--explain']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('tests/fixtures/c/hazards.c:20:19: warning [borrowed-return] PyDict_GetItem returns a borrowed reference');
    expect(r.stderr).toMatch(/capi-refs check: \d+ findings in 1 files/);
  });
  it('--fail-on sets the exit status', () => {
    expect(runCli(['check', hazards, '--fail-on', 'none']).status).toBe(0);
    expect(runCli(['check', hazards, '--fail-on', 'error']).status).toBe(1); // PyWeakref_GetObject is removed in 3.15
    expect(runCli(['check', path.join(FIXTURES, 'safe-patterns.c'), '--fail-on', 'warning', '--python', '3.14']).status).toBe(0); // only notes there
  });
  it('prints JSON', () => {
    const r = runCli(['check', hazards, '--format', 'json', '--python', '3.13']);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ python: '3.13', files: [hazards], errors: [] });
    expect(doc.findings[0]).toEqual(
      expect.objectContaining({ ruleId: expect.any(String), level: expect.any(String), file: hazards, line: expect.any(Number), column: expect.any(Number), api: expect.any(String) }),
    );
  });
  it('prints SARIF', () => {
    const doc = JSON.parse(runCli(['check', 'tests/fixtures/c', '--format', 'sarif']).stdout);
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results.length).toBeGreaterThan(5);
  });
  it('exits 2 on usage errors and 3 on unreadable paths', () => {
    expect(runCli(['check']).status).toBe(2);
    expect(runCli(['check', hazards, '--format', 'xml']).status).toBe(2);
    expect(runCli(['check', hazards, '--python', '2.7']).status).toBe(2);
    const r = runCli(['check', 'no/such/dir']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no/such/dir');
  });
});
