import { describe, expect, it } from 'vitest';
import { buildValueArgs, FORMAT_CALLS, parseTupleArgs } from '../../packages/capi-refs/src/analysis/format-strings.ts';
import { checkContext, checkSource } from '../../packages/capi-refs/src/check.ts';

describe('buildValueArgs', () => {
  it('reads N as a steal and O, S as a borrow', () => {
    expect(buildValueArgs('(NN)')).toEqual(['steals', 'steals']);
    expect(buildValueArgs('NO')).toEqual(['steals', 'borrows']);
    expect(buildValueArgs('[O,S]')).toEqual(['borrows', 'borrows']);
  });

  it('reads dicts as alternating keys and values', () => {
    expect(buildValueArgs('{s:O,s:i}')).toEqual(['value', 'borrows', 'value', 'value']);
    expect(buildValueArgs('{s:N}')).toEqual(['value', 'steals']);
    expect(buildValueArgs('{}')).toEqual([]);
  });

  it('gives a converter unit two arguments', () => {
    expect(buildValueArgs('O&')).toEqual(['converter', 'converter']);
    expect(buildValueArgs('(iO&N)')).toEqual(['value', 'converter', 'converter', 'steals']);
    // modsupport.c reads N& and S& like O&.
    expect(buildValueArgs('N&')).toEqual(['converter', 'converter']);
  });

  it('gives the # string units a length argument', () => {
    expect(buildValueArgs('s#')).toEqual(['value', 'value']);
    expect(buildValueArgs('(y#z#u#U#)')).toEqual(Array(8).fill('value'));
    expect(buildValueArgs('sy')).toEqual(['value', 'value']);
  });

  it('reads the number units, nested containers and separators', () => {
    expect(buildValueArgs('b B h H i I l k L K n f d D c C p')).toEqual(Array(17).fill('value'));
    expect(buildValueArgs('((ii)[O{s:N}])')).toEqual(['value', 'value', 'borrows', 'value', 'steals']);
    expect(buildValueArgs('')).toEqual([]);
    expect(buildValueArgs('()')).toEqual([]);
  });

  it('returns null for a malformed format', () => {
    for (const format of ['(O', 'O)', '(O]', '{s}', '{sOs}', 'x', 'O#', 'i#', 's ##', 'e']) {
      expect(buildValueArgs(format), format).toBeNull();
    }
  });
});

describe('parseTupleArgs', () => {
  it('reads O! as a type object and a borrowed out-pointer', () => {
    expect(parseTupleArgs('iO!|O:name')).toEqual(['value', 'type-object', 'out-borrowed', 'out-borrowed']);
  });

  it('reads O& as a converter and its target', () => {
    expect(parseTupleArgs('O&|O&')).toEqual(['converter', 'converter-target', 'converter', 'converter-target']);
  });

  it('reads the encoding units', () => {
    expect(parseTupleArgs('es')).toEqual(['value', 'value']);
    expect(parseTupleArgs('es#')).toEqual(['value', 'value', 'value']);
    expect(parseTupleArgs('et#|et')).toEqual(Array(5).fill('value'));
  });

  it('reads buffers, # lengths and the object units', () => {
    expect(parseTupleArgs('s*y*z*w*')).toEqual(Array(4).fill('value'));
    expect(parseTupleArgs('s#y#z#')).toEqual(Array(6).fill('value'));
    expect(parseTupleArgs('SUYO')).toEqual(Array(4).fill('out-borrowed'));
    expect(parseTupleArgs('bBhHiIlkLKncCfdDp')).toEqual(Array(17).fill('value'));
  });

  it('reads nested tuples, keyword-only markers, and stops at ":" or ";"', () => {
    expect(parseTupleArgs('(ii)O')).toEqual(['value', 'value', 'out-borrowed']);
    expect(parseTupleArgs('O|O$O:f')).toEqual(Array(3).fill('out-borrowed'));
    expect(parseTupleArgs('O;expected (anything) here: O')).toEqual(['out-borrowed']);
    expect(parseTupleArgs(':name')).toEqual([]);
  });

  it('returns null for a malformed format', () => {
    for (const format of ['(O', 'O)', '(O|O)', '(O:f)', 'O||O', 'O$|O', 'w', 'ex', 'x', 'O O']) {
      expect(parseTupleArgs(format), format).toBeNull();
    }
  });
});

describe('FORMAT_CALLS', () => {
  it('places the format and the variadic arguments of each call', () => {
    expect(FORMAT_CALLS.get('Py_BuildValue')).toEqual({ kind: 'build', formatArgument: 0, firstVariadicArgument: 1 });
    expect(FORMAT_CALLS.get('PyObject_CallFunction')).toEqual({ kind: 'build', formatArgument: 1, firstVariadicArgument: 2 });
    expect(FORMAT_CALLS.get('PyObject_CallMethod')).toEqual({ kind: 'build', formatArgument: 2, firstVariadicArgument: 3 });
    expect(FORMAT_CALLS.get('PyArg_ParseTupleAndKeywords')).toEqual({ kind: 'parse', formatArgument: 2, firstVariadicArgument: 4 });
    expect(FORMAT_CALLS.get('PyArg_UnpackTuple')).toEqual({ kind: 'unpack', formatArgument: null, firstVariadicArgument: 4 });
    expect(FORMAT_CALLS.get('Py_VaBuildValue')?.firstVariadicArgument).toBeNull();
    expect(FORMAT_CALLS.has('PyErr_Format')).toBe(false);
  });
});

describe("3.15's array parsers (METH_FASTCALL) read their formats as PyArg_ParseTuple does", () => {
  const source = (call: string, release: boolean): string =>
    `#include <Python.h>\nstatic PyObject *\nf(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)\n{\n    static const char *const kwlist[] = {"item", NULL};\n    PyObject *item;\n    if (!${call}) return NULL;\n${release ? '    Py_DECREF(item);\n' : ''}    Py_RETURN_NONE;\n}\n`;
  const rules = async (code: string) => (await checkSource(code, 'fastcall.c', checkContext('3.15'))).map((f) => f.ruleId);

  it('an object they fill is borrowed: releasing it is found, keeping it alone is not (near miss)', async () => {
    for (const call of ['PyArg_ParseArray(args, nargs, "O", &item)', 'PyArg_ParseArrayAndKeywords(args, nargs, kwnames, "O", kwlist, &item)']) {
      expect(await rules(source(call, true)), call).toContain('release-of-borrowed');
      expect(await rules(source(call, false)), call).toEqual([]);
    }
  });
});
