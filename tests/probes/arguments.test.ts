import { describe, expect, it } from 'vitest';
import { planProbe, type SignatureInput } from '../../scripts/probes/arguments.ts';
import { generateRunner, probeFunctions, probesInErrors } from '../../scripts/probes/c-generator.ts';

const sig = (name: string, returns: string, params: [string, string][]): SignatureInput => ({
  name, returns: { type: returns }, params: params.map(([type, n]) => ({ name: n, type })),
});

function plan(input: SignatureInput) {
  const result = planProbe(input);
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

describe('planProbe', () => {
  it('builds the receiver from the prefix and the rest from names and types', () => {
    const p = plan(sig('PyList_SetItem', 'int', [['PyObject *', 'list'], ['Py_ssize_t', 'index'], ['PyObject *', 'item']]));
    expect(p.params.map((x) => [x.kind, x.value])).toEqual([['obj', 'mk_list()'], ['ssize', '0'], ['obj', 'mk_leaf()']]);
    expect(p.failure).toBe('out-of-range index (index)');
    expect(p.params[1]!.failValue).toBe('100');
  });
  it('fails a call without an index by giving the receiver the wrong type', () => {
    const p = plan(sig('PyModule_AddObject', 'int', [['PyObject *', 'module'], ['const char *', 'name'], ['PyObject *', 'value']]));
    expect(p.params[0]!.failValue).toBe('mk_leaf()');
    expect(p.params[1]).toMatchObject({ kind: 'str', value: '"attr"' });
  });
  it('gives the wrong type only to a PyObject * receiver: a typed pointer is read as its type, undefined behaviour', () => {
    expect(plan(sig('PyType_GetName', 'PyObject *', [['PyTypeObject *', 'type']])).failure).toBeNull();
    expect(plan(sig('PyFrame_GetCode', 'PyCodeObject *', [['PyFrameObject *', 'frame']])).failure).toBeNull();
    expect(plan(sig('PyObject_Type', 'PyObject *', [['PyObject *', 'o']])).failure).toBe('wrong type for o');
  });
  it('makes no failing call where the docs say the function checks no errors: it would read outside the object', () => {
    const unchecked = plan({ ...sig('PyTuple_GET_ITEM', 'PyObject *', [['PyObject *', 'p'], ['Py_ssize_t', 'pos']]), unchecked: true });
    expect(unchecked.failure).toBeNull();
    expect(unchecked.unchecked).toBe(true);
    expect(plan(sig('PyTuple_GetItem', 'PyObject *', [['PyObject *', 'p'], ['Py_ssize_t', 'pos']])).failure).toBe('out-of-range index (pos)');
    // the capitalised macro variants check nothing, whatever their docs say
    expect(plan(sig('PyStructSequence_GET_ITEM', 'PyObject *', [['PyObject *', 'p'], ['Py_ssize_t', 'pos']])).failure).toBeNull();
    expect(plan(sig('PyObject_ASCII', 'PyObject *', [['PyObject *', 'o']])).failure).toBe('wrong type for o');
  });
  it('tells outputs (NULL to start) from in-out slots (a fresh object to start)', () => {
    expect(plan(sig('PyDict_Next', 'int', [['PyObject *', 'p'], ['Py_ssize_t *', 'ppos'], ['PyObject **', 'pkey'], ['PyObject **', 'pvalue']]))
      .params.map((x) => x.value)).toEqual(['mk_dict()', '0', 'NULL', 'NULL']);
    expect(plan(sig('PyUnicode_Append', 'void', [['PyObject **', 'p_left'], ['PyObject *', 'right']])).params[0]).toMatchObject({ kind: 'slot', value: 'mk_str()', witness: true });
  });
  it('passes non-object pointers as C expressions: NULL flags, a fresh FILE *, a one-element argument vector', () => {
    const run = plan(sig('PyRun_FileFlags', 'PyObject *', [['FILE *', 'fp'], ['const char *', 'filename'], ['int', 'start'], ['PyObject *', 'globals'], ['PyObject *', 'locals'], ['PyCompilerFlags *', 'flags']]));
    expect(run.params.map((x) => x.value)).toEqual(['probe_file()', '"attr"', 'Py_file_input', 'mk_dict()', 'mk_dict()', 'NULL']);
    const text = probeFunctions(plan(sig('PyObject_Vectorcall', 'PyObject *', [['PyObject *', 'callable'], ['PyObject *const *', 'args'], ['size_t', 'nargsf'], ['PyObject *', 'kwnames']])));
    expect(text).toContain('(PyObject *const *)&A->o[1], A->szv[2]');
  });
  it('never makes PyErr_* calls fail on purpose: raising is what they do', () => {
    expect(plan(sig('PyErr_SetObject', 'void', [['PyObject *', 'type'], ['PyObject *', 'value']])).failure).toBeNull();
  });
  it('skips what it cannot call safely, with a reason', () => {
    expect(planProbe(sig('Py_FinalizeEx', 'int', []))).toEqual({ ok: false, reason: 'interpreter life cycle' });
    expect(planProbe(sig('PyRun_SimpleFile', 'int', [['FILE *', 'fp'], ['const char *', 'filename']]))).toEqual({ ok: false, reason: 'no object reference to measure' });
    expect(planProbe(sig('PyMember_GetOne', 'PyObject *', [['const char *', 'obj_addr'], ['struct PyMemberDef *', 'm']]))).toEqual({ ok: false, reason: 'cannot build a struct PyMemberDef * argument (m)' });
    expect(planProbe(sig('PyLong_AsLongLong', 'long long', [['int', 'x']]))).toEqual({ ok: false, reason: 'no object reference to measure' });
    expect(planProbe(sig('PyErr_Format', 'PyObject *', [['PyObject *', 'exception'], ['const char *', 'format'], ['...', '...']])).ok).toBe(false);
  });
});

describe('the C generator', () => {
  it('emits a build function, a call and a spec per probe', () => {
    const text = probeFunctions(plan(sig('PyList_GetItem', 'PyObject *', [['PyObject *', 'list'], ['Py_ssize_t', 'index']])));
    expect(text).toContain('A->ret = (PyObject *)PyList_GetItem(A->o[0], A->ss[1]);');
    expect(text).toContain('A->ss[1] = fail ? 100 : 0;');
    expect(text).toContain('static const Spec spec_PyList_GetItem = { "PyList_GetItem", 2, { P_OBJ, P_SSIZE }, { 1, 0 }, 1, 1,');
  });
  it('blames compile errors on the probe whose code they are in', () => {
    const source = generateRunner('/* runtime */', [plan(sig('PyList_Size', 'Py_ssize_t', [['PyObject *', 'list']])), plan(sig('PyObject_Nope', 'PyObject *', [['PyObject *', 'o']]))], '3.11');
    const line = source.split('\n').findIndex((l) => l.includes('PyObject_Nope(A->o[0])')) + 1;
    expect(probesInErrors(source, `probes.c:${line}:3: error: implicit declaration of function 'PyObject_Nope'`)).toEqual(new Set(['PyObject_Nope']));
  });
});
