/**
 * "How to call it" (packages/capi-refs/src/snippet.ts): each snippet calls its API as the dataset says, our own
 * checker finds nothing wrong with any of them, and those for 3.11 compile against this machine's CPython 3.11
 * headers with every warning an error (Debian's python3.11-dev; gcc).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContext, checkSource } from '../packages/capi-refs/src/check.ts';
import { getVersion } from '../packages/capi-refs/src/data.ts';
import { callSnippet } from '../packages/capi-refs/src/snippet.ts';
import { declaredNames, PYTHON_311_INCLUDE } from './helpers/c-headers.ts';

const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-snippets-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const snippet = (name: string, version = '3.13'): string => callSnippet(getVersion(version).apis.get(name)!, version)!.code;

describe('a snippet does what the facts say', () => {
  it('a steal, even on failure: a reference of your own goes in, nothing is released after', () => {
    const code = snippet('PyList_SetItem');
    expect(code).toContain('PyObject *item_ref = Py_NewRef(item);');
    expect(code).toContain('int r = PyList_SetItem(list, index, item_ref);');
    expect(code).toMatch(/if \(r < 0\) \{\n\s+\/\* item_ref was taken anyway: do not release it \*\/\n\s+return -1;/);
    expect(code).not.toContain('Py_DECREF');
  });

  it('a steal only on success: released on the failure branch', () => {
    expect(snippet('PyModule_AddObject')).toMatch(/if \(r < 0\) \{\n\s+Py_DECREF\(value_ref\);/);
  });

  it('a borrowed return is never released, and kept with a strong reference (Py_INCREF before 3.10)', () => {
    const code = snippet('PyList_GetItem');
    expect(code).toContain('PyObject *borrowed = PyList_GetItem(list, index);');
    expect(code).toContain('return Py_NewRef(borrowed);');
    expect(code).not.toContain('DECREF');
    expect(snippet('PyList_GetItem', '3.9')).toContain('return (Py_INCREF(borrowed), borrowed);');
  });

  it('an out-parameter with a new reference is released; an ambiguous -1 is tested with PyErr_Occurred', () => {
    expect(snippet('PyDict_GetItemRef')).toMatch(/PyObject \*result = NULL;\n\s+int r = PyDict_GetItemRef\(p, key, &result\);[\s\S]*Py_XDECREF\(result\);/);
    expect(snippet('PyLong_AsLong')).toContain('if (r == -1 && PyErr_Occurred()) {');
  });

  it('memory the call hands over is freed with the function its docs name; memory it lends is not (near miss)', () => {
    expect(snippet('PyMem_Malloc')).toMatch(/void \*r = PyMem_Malloc\(n\);\n\s+if \(r == NULL\) \{[\s\S]*\}\n\s+\/\* the memory is yours[^\n]*\n\s+PyMem_Free\(r\);/);
    expect(snippet('PyUnicode_AsWideCharString')).toContain('PyMem_Free(r);');
    expect(snippet('PyUnicode_AsUTF8')).not.toMatch(/Free\(/);
  });

  it('near miss: no snippet for what cannot be called alone (variadic, the reference-count primitives, a constant)', () => {
    const apis = getVersion('3.13').apis;
    for (const name of ['PyErr_Format', 'Py_DECREF', 'Py_VISIT', 'PY_VERSION_HEX']) {
      const api = apis.get(name);
      if (api) expect(callSnippet(api, '3.13'), name).toBeNull();
    }
  });
});

describe('every snippet of 3.13 passes our own checker', () => {
  it('no ownership finding in any of them (only the per-name advice on deprecated or error-hiding APIs)', async () => {
    const index = getVersion('3.13');
    const snippets = [...index.apis.values()].map((api) => callSnippet(api, '3.13')).filter((s) => s !== null);
    expect(snippets.length).toBeGreaterThan(1000);
    const findings = await checkSource(snippets.map((s) => s.code).join('\n'), 'snippets.c', checkContext('3.13'));
    const advice = new Set(['deprecated-api', 'removed-api', 'error-hiding-call']);
    expect(findings.filter((f) => !advice.has(f.ruleId)).map((f) => `${f.line} ${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});

const HEADERS = ['#define PY_SSIZE_T_CLEAN', '#include <Python.h>', '#include <frameobject.h>', '#include <datetime.h>', '#include <marshal.h>', '#include <structmember.h>'].join('\n');

/**
 * APIs whose 3.11 docs give a signature the 3.11 headers do not have: a snippet written from the docs does not
 * compile. The test asserts that each still fails, so the list cannot outlive a fix of the data.
 */
const DOCS_SIGNATURE_DIFFERS: Readonly<Record<string, string>> = {
  PyCode_Addr2Location: 'the docs take PyObject *co, the header PyCodeObject *',
  PyCode_New: 'the docs list the arguments of another version',
  PyCode_NewWithPosOnlyArgs: 'the docs list the arguments of another version',
  PyCoro_New: 'the docs take a PyFrameObject *, the header a _PyInterpreterFrame *',
  PyGen_New: 'the docs take a PyFrameObject *, the header a _PyInterpreterFrame *',
  PyGen_NewWithQualName: 'the docs take a PyFrameObject *, the header a _PyInterpreterFrame *',
  PyFile_SetOpenCodeHook: 'the docs omit the userData argument',
  PyFloat_Pack2: 'the docs take char *, the header unsigned char *',
  PyFloat_Pack4: 'the docs take char *, the header unsigned char *',
  PyFloat_Pack8: 'the docs take char *, the header unsigned char *',
  PyFloat_Unpack2: 'the docs take const char *, the header const unsigned char *',
  PyFloat_Unpack4: 'the docs take const char *, the header const unsigned char *',
  PyFloat_Unpack8: 'the docs take const char *, the header const unsigned char *',
  PyObject_CopyData: 'the docs take Py_buffer *, the header PyObject *',
  PyStructSequence_SET_ITEM: 'the docs give the position as Py_ssize_t *',
  Py_GetProgramName: 'the docs write the type wchar',
  Py_GetPythonHome: 'the docs write the type wchar',
  Py_PreInitializeFromArgs: 'the docs drop a const',
  Py_PreInitializeFromBytesArgs: 'the docs drop a const',
};

// CI has the headers (ensure-system-packages); a machine without them skips, saying why.
describe.skipIf(!existsSync(PYTHON_311_INCLUDE) && process.env.CI !== 'true')('the snippets of 3.11 compile against the 3.11 headers', () => {
  it('with -Wall -Werror, every API the headers declare on this platform, but for the listed differences of the docs', () => {
    const gcc = (args: string[]) => spawnSync('gcc', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const declared = declaredNames(HEADERS);
    const snippets = [...getVersion('3.11').apis.values()].filter((api) => declared.has(api.name)).map((api) => callSnippet(api, '3.11')).filter((s) => s !== null);
    expect(snippets.length).toBeGreaterThan(900);
    const file = path.join(TMP, 'snippets.c');
    writeFileSync(file, `${HEADERS}\n\n${snippets.map((s) => s.code).join('\n')}`);
    const run = gcc(['-fsyntax-only', '-Wall', '-Werror', '-Wno-deprecated-declarations', `-I${PYTHON_311_INCLUDE}`, file]);
    const failing = new Set([...run.stderr.matchAll(/In function ‘call_(\w+)’/g)].map((m) => m[1]!));
    expect([...failing].sort()).toEqual(Object.keys(DOCS_SIGNATURE_DIFFERS).sort());
  });
});
