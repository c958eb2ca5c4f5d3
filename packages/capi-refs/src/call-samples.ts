/**
 * Samples of the arguments a snippet (snippet.ts) cannot take as its own parameters, one small correct call each:
 * the variable part of a variadic call, which depends on a format string or a count the caller chooses (the dataset
 * gives one '...' parameter), and the C type a macro takes as an argument (PyObject_New(TYPE, typeobj)).
 *
 * The reference each variable object argument is passed with is not written here: for the calls whose formats the
 * checker reads (analysis/format-strings.ts, FORMAT_CALLS), snippet.ts takes it from the sample's format; for the
 * others (printf-style formats, NULL-terminated object lists) from the dataset's '...' parameter.
 */

/** A variable argument: an object or a C value the snippet takes as a parameter (or an address it fills), or C text. */
export type VariableArgument = { readonly name: string; readonly type: string } | { readonly literal: string };

export interface CallSample {
  /** C text for the parameters that describe the rest (a format, a count) or take a type, by parameter name. */
  readonly fixed: Readonly<Record<string, string>>;
  /** A variadic call's variable arguments, in order. */
  readonly rest: readonly VariableArgument[];
  /** The result's C type, where the sample's type decides it (TYPE * with TYPE given). */
  readonly returns?: string;
  /** Declarations the fixed values need (a keyword list), put before the call. */
  readonly declarations?: readonly string[];
  /** Why the sample is written as it is, as a comment before the call. */
  readonly note?: string;
}

const ITEM: VariableArgument = { name: 'item', type: 'PyObject **' };
const OBJ: VariableArgument = { name: 'obj', type: 'PyObject *' };
const N: VariableArgument = { name: 'n', type: 'int' };
/** One argument, even when it is a tuple: with "O" alone, a tuple would be unpacked into the call's arguments. */
const ONE_ARGUMENT: CallSample = { fixed: { format: '"(O)"' }, rest: [{ name: 'arg', type: 'PyObject *' }], note: '"(O)": one argument, even a tuple ("O" alone would unpack a tuple into the arguments)' };
const OBJECT_LIST: CallSample = { fixed: {}, rest: [{ name: 'arg', type: 'PyObject *' }, { literal: 'NULL' }], note: 'the arguments end with NULL' };

/** An object of your type: PyObject (PyVarObject) in the sample, where the caller puts the struct of its type. */
const YOUR_OBJECT: CallSample = { fixed: { TYPE: 'PyObject' }, rest: [], returns: 'PyObject *', note: "PyObject: put your object's struct (it starts with PyObject_HEAD) and set its members before use" };
const YOUR_VAR_OBJECT: CallSample = { fixed: { TYPE: 'PyVarObject' }, rest: [], returns: 'PyVarObject *', note: "PyVarObject: put your object's struct (it starts with PyObject_VAR_HEAD) and set its members before use" };
const YOUR_GC_OBJECT: CallSample = { ...YOUR_OBJECT, note: `${YOUR_OBJECT.note}, then PyObject_GC_Track it` };
const YOUR_GC_VAR_OBJECT: CallSample = { ...YOUR_VAR_OBJECT, note: `${YOUR_VAR_OBJECT.note}, then PyObject_GC_Track it` };

export const CALL_SAMPLES: Readonly<Record<string, CallSample>> = {
  PyObject_New: YOUR_OBJECT,
  PyObject_NEW: { ...YOUR_OBJECT, fixed: { type: 'PyObject' } },
  PyObject_NewVar: YOUR_VAR_OBJECT,
  PyObject_NEW_VAR: { ...YOUR_VAR_OBJECT, fixed: { type: 'PyVarObject' } },
  PyObject_GC_New: YOUR_GC_OBJECT,
  PyObject_GC_NewVar: YOUR_GC_VAR_OBJECT,
  PyArg_Parse: { fixed: { format: '"O"' }, rest: [ITEM] },
  PyArg_ParseTuple: { fixed: { format: '"O"' }, rest: [ITEM] },
  PyArg_ParseTupleAndKeywords: { fixed: { format: '"O"', keywords: 'keywords' }, declarations: ['static char *keywords[] = {"item", NULL};'], rest: [ITEM] },
  PyArg_ParseArray: { fixed: { format: '"O"' }, rest: [ITEM] },
  PyArg_ParseArrayAndKeywords: { fixed: { format: '"O"', kwlist: 'kwlist' }, declarations: ['static const char *const kwlist[] = {"item", NULL};'], rest: [ITEM] },
  PyArg_UnpackTuple: { fixed: { name: '"call"', min: '1', max: '1' }, rest: [ITEM] },
  Py_BuildValue: { fixed: { format: '"(Oi)"' }, rest: [OBJ, N], note: '"O" takes a reference of its own to obj; "N" would take yours' },
  PyObject_CallFunction: ONE_ARGUMENT,
  PyObject_CallMethod: ONE_ARGUMENT,
  PyEval_CallFunction: ONE_ARGUMENT,
  PyEval_CallMethod: ONE_ARGUMENT,
  PyObject_CallFunctionObjArgs: OBJECT_LIST,
  PyObject_CallMethodObjArgs: OBJECT_LIST,
  PyTuple_Pack: { fixed: { n: '2' }, rest: [{ name: 'first', type: 'PyObject *' }, { name: 'second', type: 'PyObject *' }] },
  PySys_Audit: { fixed: { format: '"(O)"' }, rest: [OBJ] },
  PyUnicode_FromFormat: { fixed: { format: '"%S"' }, rest: [OBJ] },
  PyUnicodeWriter_Format: { fixed: { format: '"%S"' }, rest: [OBJ] },
  PyBytes_FromFormat: { fixed: { format: '"%d"' }, rest: [N] },
  PyBytesWriter_Format: { fixed: { format: '"%d"' }, rest: [N] },
  PyOS_snprintf: { fixed: { format: '"%d"' }, rest: [N] },
  PyErr_Format: { fixed: { format: '"%R is not valid"' }, rest: [OBJ] },
  PyErr_FormatUnraisable: { fixed: { format: '"Exception ignored in %R"' }, rest: [OBJ] },
  PyErr_WarnFormat: { fixed: { format: '"%R is deprecated"' }, rest: [OBJ] },
  PyErr_WarnExplicitFormat: { fixed: { format: '"%R is deprecated"' }, rest: [OBJ] },
  PyErr_ResourceWarning: { fixed: { format: '"unclosed %R"' }, rest: [OBJ] },
  PySys_FormatStdout: { fixed: { format: '"%S\\n"' }, rest: [OBJ] },
  PySys_FormatStderr: { fixed: { format: '"%S\\n"' }, rest: [OBJ] },
  PySys_WriteStdout: { fixed: { format: '"%d\\n"' }, rest: [N] },
  PySys_WriteStderr: { fixed: { format: '"%d\\n"' }, rest: [N] },
};
