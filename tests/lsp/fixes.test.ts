/**
 * The language server's code actions as rewrites: each turns a file the checker reports into one it does not (the
 * real parser and the real checker, before and after), and code of another shape gets no fix rather than a guess.
 */
import { describe, expect, it } from 'vitest';
import { checkContext, checkSource, loadParser } from '../../packages/capi-refs/src/check.ts';
import { applyEdits, fixFor, type Fix } from '../../packages/capi-refs/src/lsp/fixes.ts';

const PY = '3.13';

async function findingsOf(source: string, python = PY): Promise<string[]> {
  return (await checkSource(source, 'fix.c', checkContext(python))).map((f) => `${f.line} ${f.ruleId}`);
}

/** The fix for the first finding of `ruleId` in `source`. */
async function fixOf(source: string, ruleId: string, python = PY): Promise<Fix | null> {
  const finding = (await checkSource(source, 'fix.c', checkContext(python))).find((f) => f.ruleId === ruleId);
  expect(finding, `${ruleId} is reported`).toBeDefined();
  const lines = source.split('\n');
  const start = lines.slice(0, finding!.line - 1).reduce((n, l) => n + l.length + 1, 0) + finding!.column - 1;
  const tree = (await loadParser()).parse(source)!;
  try {
    return fixFor(source, tree.rootNode, { ruleId, start, python });
  } finally {
    tree.delete();
  }
}

const LOOKUP = `#include <Python.h>

static PyObject *
lookup(PyObject *self, PyObject *args)
{
    PyObject *d, *k, *v;
    if (!PyArg_ParseTuple(args, "OO", &d, &k))
        return NULL;
    v = PyDict_GetItem(d, k);
    if (v == NULL)
        Py_RETURN_NONE;
    if (PyUnicode_Check(v))
        return v;
    return PyObject_Repr(v);
}
`;

describe('error-hiding-call: the PyDict_GetItemRef pattern', () => {
  it('reports errors, and releases the strong reference before every later return but the one that hands it over', async () => {
    const fix = (await fixOf(LOOKUP, 'error-hiding-call'))!;
    const fixed = applyEdits(LOOKUP, fix.edits);
    expect(fixed).toContain('if (PyDict_GetItemRef(d, k, &v) < 0) {\n        return NULL;\n    }');
    expect(fixed).toContain('{ Py_XDECREF(v); Py_RETURN_NONE; }');
    expect(fixed).toContain('        return v;\n');
    expect(fixed).toContain('{ PyObject *capi_refs_returned = PyObject_Repr(v); Py_XDECREF(v); return capi_refs_returned; }');
    // `return v;` returned a borrowed reference; now it hands over the strong one.
    expect(await findingsOf(LOOKUP)).toEqual(['9 error-hiding-call', '13 returns-borrowed']);
    expect(await findingsOf(fixed)).toEqual([]);
  });

  it('rewrites a declaration with its initialiser, in an int function (-1 on failure)', async () => {
    const source = `static int\nhas(PyObject *d)\n{\n    PyObject *v = PyDict_GetItemString(d, "k");\n    return v != NULL;\n}\n`;
    const fixed = applyEdits(source, (await fixOf(source, 'error-hiding-call'))!.edits);
    expect(fixed).toContain('PyObject *v;\n    if (PyDict_GetItemStringRef(d, "k", &v) < 0) {\n        return -1;\n    }');
    expect(fixed).toContain('{ int capi_refs_returned = v != NULL; Py_XDECREF(v); return capi_refs_returned; }');
    expect(await findingsOf(fixed)).toEqual([]);
  });

  it('near miss: a call inside a condition, or a return outside the block, gets no fix', async () => {
    expect(await fixOf(`static int\nf(PyObject *d, PyObject *k)\n{\n    if (PyDict_GetItem(d, k) == NULL)\n        return 0;\n    return 1;\n}\n`, 'error-hiding-call')).toBeNull();
    const outside = `static PyObject *\nf(PyObject *d, PyObject *k, int c)\n{\n    PyObject *v = NULL;\n    if (c) {\n        v = PyDict_GetItem(d, k);\n    }\n    return Py_NewRef(Py_None);\n}\n`;
    expect(await fixOf(outside, 'error-hiding-call')).toBeNull();
  });
});

describe('release-before-store: Py_XSETREF', () => {
  const source = `typedef struct { PyObject_HEAD PyObject *f; } Obj;\n\nstatic int\nset_f(Obj *self, PyObject *value, void *closure)\n{\n    Py_INCREF(value);\n    Py_DECREF(self->f);\n    self->f = value;\n    return 0;\n}\n`;

  it('replaces the release and the store with one Py_XSETREF', async () => {
    const fixed = applyEdits(source, (await fixOf(source, 'release-before-store'))!.edits);
    expect(fixed).toContain('    Py_INCREF(value);\n    Py_XSETREF(self->f, value);\n    return 0;');
    expect(fixed).not.toContain('Py_DECREF(self->f)');
    expect(await findingsOf(fixed)).toEqual([]);
  });

  it('near miss: a store with no release of the same member before it gets no fix', async () => {
    const unrelated = source.replace('Py_DECREF(self->f);', 'Py_DECREF(value);');
    const tree = (await loadParser()).parse(unrelated)!;
    try {
      expect(fixFor(unrelated, tree.rootNode, { ruleId: 'release-before-store', start: unrelated.indexOf('self->f = value'), python: PY })).toBeNull();
    } finally {
      tree.delete();
    }
  });
});

describe('returns-borrowed: Py_NewRef', () => {
  const source = `static PyObject *\nnone(PyObject *self, PyObject *unused)\n{\n    return Py_None;\n}\n\nstatic PyMethodDef methods[] = {\n    {"none", none, METH_NOARGS, NULL},\n    {NULL}\n};\n`;

  it('returns a new reference (Py_INCREF before 3.10, which has no Py_NewRef)', async () => {
    const fixed = applyEdits(source, (await fixOf(source, 'returns-borrowed'))!.edits);
    expect(fixed).toContain('return Py_NewRef(Py_None);');
    expect(await findingsOf(fixed)).toEqual([]);
    const old = applyEdits(source, (await fixOf(source, 'returns-borrowed', '3.9'))!.edits);
    expect(old).toContain('{ Py_INCREF(Py_None); return Py_None; }');
    expect(await findingsOf(old, '3.9')).toEqual([]);
  });

  it('near miss: a rule without a mechanical rewrite gets no fix', async () => {
    const tree = (await loadParser()).parse(source)!;
    expect(fixFor(source, tree.rootNode, { ruleId: 'reference-leak', start: source.indexOf('return'), python: PY })).toBeNull();
    tree.delete();
  });
});
