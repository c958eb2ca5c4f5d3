/**
 * A sample of the variable part of each variadic C-API call, for "How to call it" (snippet.ts). The dataset gives a
 * variadic call's fixed parameters and one '...' parameter; what the variable arguments are depends on a format
 * string or a count the caller chooses, so a snippet needs a choice of them: one small, correct call of each.
 *
 * The reference each variable object argument is passed with is not written here: for the calls whose formats the
 * checker reads (analysis/format-strings.ts, FORMAT_CALLS), snippet.ts takes it from the sample's format; for the
 * others (printf-style formats, NULL-terminated object lists) from the dataset's '...' parameter.
 */

/** A variable argument: an object or a C value the snippet takes as a parameter (or an address it fills), or C text. */
export type VariadicArgument = { readonly name: string; readonly type: string } | { readonly literal: string };

export interface VariadicCall {
  /** C text for the fixed parameters that describe the variable part (the format, a count), by parameter name. */
  readonly fixed: Readonly<Record<string, string>>;
  /** The variable arguments, in order. */
  readonly rest: readonly VariadicArgument[];
  /** Declarations the fixed values need (a keyword list), put before the call. */
  readonly declarations?: readonly string[];
  /** Why the sample is written as it is, as a comment before the call. */
  readonly note?: string;
}

const ITEM = { name: 'item', type: 'PyObject **' } as const;
const OBJ = { name: 'obj', type: 'PyObject *' } as const;
const N = { name: 'n', type: 'int' } as const;
/** One argument, even when it is a tuple: with "O" alone, a tuple would be unpacked into the call's arguments. */
const ONE_ARGUMENT = { fixed: { format: '"(O)"' }, rest: [{ name: 'arg', type: 'PyObject *' }], note: '"(O)": one argument, even a tuple ("O" alone would unpack a tuple into the arguments)' };
const OBJECT_LIST = { fixed: {}, rest: [{ name: 'arg', type: 'PyObject *' }, { literal: 'NULL' }], note: 'the arguments end with NULL' };

export const VARIADIC_CALLS: Readonly<Record<string, VariadicCall>> = {
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
