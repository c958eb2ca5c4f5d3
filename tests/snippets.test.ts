/**
 * "How to call it" (packages/capi-refs/src/snippet.ts): each snippet calls its API as the dataset says, our own
 * checker finds nothing wrong with any of them, and those for 3.11 compile against this machine's CPython 3.11
 * headers with every warning an error (Debian's python3.11-dev; gcc). SNIPPET_COUNTS=1 prints how many each
 * version has and how many compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContext, checkSource } from '../packages/capi-refs/src/check.ts';
import { availableVersions, getVersion } from '../packages/capi-refs/src/data.ts';
import { callSnippet, noSnippetReason } from '../packages/capi-refs/src/snippet.ts';
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

  it('a steal of a typed object pointer keeps its type (Py_INCREF, not Py_NewRef); an unnamed parameter is named by its position', () => {
    const code = snippet('PyGen_New', '3.11');
    expect(code).toContain('PyFrameObject *frame_ref = (Py_INCREF(frame), frame);');
    expect(snippet('PyGILState_Release', '3.15')).toMatch(/call_PyGILState_Release\(PyGILState_STATE arg1\)\n\{\n\s+PyGILState_Release\(arg1\);/);
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

  it('near miss: no snippet for what cannot be called alone (the reference-count primitives, a constant, a variadic call without a sample)', () => {
    const apis = getVersion('3.13').apis;
    for (const name of ['Py_DECREF', 'Py_VISIT', 'PY_VERSION_HEX']) expect(callSnippet(apis.get(name)!, '3.13'), name).toBeNull();
    expect(callSnippet(apis.get('PyErr_Format')!, '3.13', {})).toBeNull();
  });
});

describe('a call gets a sample of what a snippet cannot take as parameters: a variadic part, passed as its format says, or a type', () => {
  const apis = getVersion('3.13').apis;

  it('a parse format fills a borrowed reference: a local whose address is passed, never released', () => {
    const code = snippet('PyArg_ParseTuple');
    expect(code).toMatch(/PyObject \*item = NULL;\n\s+int r = PyArg_ParseTuple\(args, "O", &item\);\n\s+if \(r == 0\) \{/);
    expect(code).toContain('/* item: borrowed, do not release it */');
    expect(code).not.toContain('DECREF');
    expect(snippet('PyArg_ParseTupleAndKeywords')).toMatch(/static char \*keywords\[\] = \{"item", NULL\};\n\s+int r = PyArg_ParseTupleAndKeywords\(args, kw, "O", keywords, &item\);/);
    expect(snippet('PyArg_UnpackTuple')).toContain('PyArg_UnpackTuple(args, "call", 1, 1, &item);');
  });

  it('a build format: "O" passes your reference as it is; "N" in the same place makes it a steal, even on failure (near miss)', () => {
    const borrowing = snippet('Py_BuildValue');
    expect(borrowing).toContain('Py_BuildValue("(Oi)", obj, n);');
    expect(borrowing).not.toContain('Py_NewRef');
    const stealing = callSnippet(apis.get('Py_BuildValue')!, '3.13', { Py_BuildValue: { fixed: { format: '"(Ni)"' }, rest: [{ name: 'obj', type: 'PyObject *' }, { name: 'n', type: 'int' }] } })!.code;
    expect(stealing).toContain('PyObject *obj_ref = Py_NewRef(obj);');
    expect(stealing).toContain('Py_BuildValue("(Ni)", obj_ref, n);');
    expect(stealing).toContain('/* obj_ref was taken anyway: do not release it */');
  });

  it('a list of objects ends with NULL; a call\'s single argument is given as "(O)", with the reason', () => {
    expect(snippet('PyObject_CallFunctionObjArgs')).toContain('PyObject_CallFunctionObjArgs(callable, arg, NULL);');
    expect(snippet('PyObject_CallFunction')).toMatch(/\/\* "\(O\)": one argument, even a tuple[^\n]*\*\/\n\s+PyObject \*result = PyObject_CallFunction\(callable, "\(O\)", arg\);/);
    expect(snippet('PyErr_Format')).toContain('return PyErr_Format(exception, "%R is not valid", obj);');
  });

  it('a sample that does not fit its API is an error naming the table and what to correct', () => {
    const api = apis.get('PyArg_ParseTuple')!;
    expect(() => callSnippet(api, '3.13', { PyArg_ParseTuple: { fixed: { fmt: '"O"' }, rest: [] } })).toThrow(/call-samples\.ts, PyArg_ParseTuple: no parameter fmt \(the API has args, format, \.\.\.\); correct the sample/);
    expect(() => callSnippet(api, '3.13', { PyArg_ParseTuple: { fixed: { format: '"OO"' }, rest: [{ name: 'item', type: 'PyObject **' }] } })).toThrow(/its format "OO" does not fit its 1 variable arguments/);
    expect(() => callSnippet(api, '3.13', { PyArg_ParseTuple: { fixed: { format: '"O"' }, rest: [{ name: 'args', type: 'PyObject **' }] } })).toThrow(/the variable argument args has the name of a parameter; rename it/);
  });

  it('a macro that takes a type gets one, and its result that type; without a sample it has no snippet, with the reason (near miss)', () => {
    const code = snippet('PyObject_GC_NewVar');
    expect(code).toMatch(/^static PyVarObject \*\ncall_PyObject_GC_NewVar\(PyTypeObject \*typeobj, Py_ssize_t size\)/);
    expect(code).toContain('PyVarObject *result = PyObject_GC_NewVar(PyVarObject, typeobj, size);  /* a new reference: yours to release */');
    expect(code).toContain('PyObject_GC_Track it');
    expect(code).toMatch(/if \(result == NULL\) \{\n\s+return NULL;/);
    const pymemNew = apis.get('PyMem_New')!;
    expect(callSnippet(pymemNew, '3.13')).toBeNull();
    expect(noSnippetReason(pymemNew)).toMatch(/a type name/);
  });

  it('every variadic call of every version has a sample', () => {
    const missing = availableVersions().flatMap((v) => [...getVersion(v).apis.values()].filter((a) => /^_?Py/.test(a.name) && (a.kind === 'function' || a.kind === 'macro') && a.params.some((p) => p.name === '...') && callSnippet(a, v) === null).map((a) => `${v} ${a.name}`));
    expect(missing).toEqual([]);
    if (process.env.SNIPPET_COUNTS) {
      const counts = availableVersions().map((v) => {
        const apis = [...getVersion(v).apis.values()];
        return `${v} ${apis.filter((a) => callSnippet(a, v) !== null).length} of ${apis.length}`;
      });
      console.error(`APIs with a snippet, per version: ${counts.join('; ')}`);
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
    if (process.env.SNIPPET_COUNTS) console.error(`snippets of 3.11 compiled: ${snippets.length - failing.size} of ${snippets.length} (the APIs Python.h declares here that have one)`);
    expect([...failing].sort()).toEqual(Object.keys(DOCS_SIGNATURE_DIFFERS).sort());
  });
});
