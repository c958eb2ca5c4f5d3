/**
 * Hand-written probe settings for APIs the generic tables cannot call correctly: errors to set before the call,
 * varargs, arguments that must not be shared (a witness reference would make the call refuse), failing calls.
 * Keys are parameter names as the 3.11 docs give them.
 */
import type { ParamKind } from './arguments.ts';

export interface ParamOverride {
  value?: string;
  failValue?: string;
  witness?: boolean;
  kind?: ParamKind;
}

export type Override =
  | { skip: string }
  | {
      params?: Record<string, ParamOverride>;
      before?: string;
      call?: string;
      failure?: string;
      noFailure?: boolean;
      /** Recorded with the result: how the probe called it, where that decides the answer. */
      note?: string;
    };

/** A raised error whose parts are fresh objects (PyErr_Restore does not check them; the traceback must be real). */
const SET_FRESH_ERROR = 'PyErr_Restore(mk_leaf(), mk_leaf(), mk_tb());';
const SET_VALUE_ERROR = 'set_value_error();';

const UNOWNED_FRAME = 'needs a frame no generator or function owns yet (only the eval loop makes one)';

export const OVERRIDES: Record<string, Override> = {
  PyContextVar_Reset: {
    params: { var: { value: 'mk_contextvar_kept()', failValue: 'mk_leaf()' }, token: { value: 'mk_token_of_kept()' } },
    note: 'the token comes from PyContextVar_Set on the same variable',
  },
  PyContext_Exit: {
    call: 'A->hasIret = 1; A->iret = PyContext_Enter(A->o[0]) < 0 ? -1 : PyContext_Exit(A->o[0])',
    note: "measured across PyContext_Enter and PyContext_Exit: Exit releases the reference Enter took, so the caller's own reference is what the pair leaves",
  },
  PyGen_New: { skip: UNOWNED_FRAME },
  PyGen_NewWithQualName: { skip: UNOWNED_FRAME },
  PyCoro_New: { skip: UNOWNED_FRAME },
  PyEval_EvalFrame: { skip: UNOWNED_FRAME },
  PyEval_EvalFrameEx: { skip: UNOWNED_FRAME },
  Py_CLEAR: { skip: 'a macro that assigns to the variable it is given' },
  // In 3.14 the call on the probe's memoryview crashed in one checkout and not in another: what it reads is not
  // the probe's to decide, so no measurement of it can be repeated.
  PyMemoryView_GET_BASE: { skip: "reads the view's buffer without checks: the result changed from one checkout to another" },
  _PyObject_New: { skip: 'allocates an object whose fields the caller must fill before anything may touch it' },
  _PyObject_NewVar: { skip: 'allocates an object whose fields the caller must fill before anything may touch it' },
  PyObject_New: { skip: 'allocates an object whose fields the caller must fill before anything may touch it' },
  PyObject_NewVar: { skip: 'allocates an object whose fields the caller must fill before anything may touch it' },
  PyDateTime_FromTimestamp: { params: { args: { value: 'Py_BuildValue("(d)", 1.5)' } } },
  PyDate_FromTimestamp: { params: { args: { value: 'Py_BuildValue("(d)", 1.5)' } } },
  PyErr_SyntaxLocationObject: { before: SET_VALUE_ERROR },
  PyErr_SyntaxLocation: { before: SET_VALUE_ERROR },
  PyErr_SyntaxLocationEx: { before: SET_VALUE_ERROR },
  PyErr_GetHandledException: { before: 'set_handled_exception();' },
  PyMemoryView_GetContiguous: { params: { obj: { value: 'mk_bytearray()' }, buffertype: { value: 'PyBUF_READ' }, order: { value: "'C'" } } },
  PyStructSequence_SET_ITEM: {
    params: { pos: { kind: 'ssize', value: '0' } },
    note: 'the docs type pos as Py_ssize_t *, but the macro takes the index itself, as PyStructSequence_SetItem does',
  },
  PyException_GetCause: { params: { ex: { value: 'mk_exc_full()' } } },
  PyException_GetContext: { params: { ex: { value: 'mk_exc_full()' } } },
  PyException_GetTraceback: { params: { ex: { value: 'mk_exc_full()' } } },
  PyUnicode_Join: { params: { seq: { value: 'Py_BuildValue("[ss]", "ab", "cd")' } } },
  PyUnicode_Format: { params: { format: { value: 'PyUnicode_FromString("%s%s%s")' } } },
  PyUnicode_FromEncodedObject: { params: { obj: { value: 'mk_bytes()' } } },
  PyUnicode_DecodeUTF16: { params: { s: { value: '"A\\0B\\0"' }, size: { value: '4' } } },
  PyUnicode_DecodeUTF32: { params: { s: { value: '"A\\0\\0\\0"' }, size: { value: '4' } } },
  PyObject_Bytes: { params: { o: { value: 'mk_bytearray()' } } },
  PyObject_Format: { params: { obj: { value: 'mk_int()' }, format_spec: { value: 'PyUnicode_FromString("d")' } } },
  PyObject_GenericSetDict: { params: { o: { value: 'mk_obj()' }, value: { value: 'mk_dict()' } } },
  // Charmap codecs with a mapping that covers the probe's text ("attr").
  PyUnicode_AsCharmapString: { params: { unicode: { value: 'mk_str()' }, mapping: { value: 'Py_BuildValue("{i:i,i:i,i:i}", 97, 97, 116, 116, 114, 114)' } } },
  PyUnicode_DecodeCharmap: { params: { data: { value: '"attr"' }, size: { value: '4' }, mapping: { value: 'Py_BuildValue("{i:s,i:s,i:s}", 97, "a", 116, "t", 114, "r")' } } },
  PySequence_Index: { params: { o: { value: 'Py_BuildValue("[s]", "attr")' }, value: { value: 'mk_str()' } } },
  PyImport_ReloadModule: { params: { m: { value: 'PyImport_ImportModule("string")' } } },
  PyInstanceMethod_Function: { params: { im: { value: 'PyInstanceMethod_New(mk_function())' } } },
  PyInstanceMethod_GET_FUNCTION: { params: { im: { value: 'PyInstanceMethod_New(mk_function())' } } },
  PyType_GetSlot: { params: { slot: { value: 'Py_tp_init' } } },
  PyObject_AsFileDescriptor: { params: { p: { value: 'mk_int()' } } },
  PyDict_MergeFromSeq2: { params: { seq2: { value: 'mk_seq_items()' } } },
  PyList_Sort: { params: { list: { value: 'PyList_New(0)' } } },
  PyCodec_Decode: { params: { object: { value: 'mk_bytes()' } } },
  PyCodec_LookupError: { params: { name: { value: '"strict"' } } },
  PyIter_Send: { params: { iter: { value: 'mk_gen_started()' } } },
  PyErr_Occurred: { before: SET_VALUE_ERROR },
  PyErr_Fetch: { before: SET_FRESH_ERROR },
  PyErr_GetExcInfo: { before: 'PyErr_SetExcInfo(mk_exc_type(), mk_exc(), mk_tb());' },
  PyErr_SetExcInfo: { params: { type: { value: 'mk_exc_type()' }, value: { value: 'mk_exc()' }, traceback: { value: 'mk_tb()' } } },
  PyErr_NormalizeException: {
    params: { exc: { value: 'mk_exc_type()' }, val: { value: 'mk_exc()' }, tb: { value: 'mk_tb()' } },
  },
  PyErr_Restore: { params: { type: { value: 'mk_exc_type()' }, value: { value: 'mk_exc()' }, traceback: { value: 'mk_tb()' } } },
  PyErr_ExceptionMatches: { before: SET_VALUE_ERROR },
  PyErr_Clear: { skip: 'no object reference to measure' },
  PyException_SetTraceback: { params: { tb: { value: 'mk_tb()', failValue: 'mk_leaf()' } } },
  PyTuple_SetItem: { params: { p: { witness: false } } },
  _PyTuple_Resize: { params: { p: { value: 'mk_tuple()', witness: false }, newsize: { value: '5' } }, noFailure: true },
  _PyBytes_Resize: { params: { bytes: { value: 'mk_bytes()', witness: false }, newsize: { value: '5' } }, noFailure: true },
  PyUnicode_Resize: { params: { unicode: { value: 'PyUnicode_New(4, 127)', witness: false }, length: { value: '5' } }, noFailure: true },
  PyTuple_Pack: { params: { '...': { value: 'mk_leaf()' } }, call: 'A->ret = PyTuple_Pack(1, A->o[1])', noFailure: true, note: 'called with one object' },
  // the format decides what happens to the varargs: "O" borrows (measured here), "N" steals
  Py_BuildValue: { params: { format: { value: '"(O)"' }, '...': { value: 'mk_leaf()' } }, call: 'A->ret = Py_BuildValue("(O)", A->o[1])', noFailure: true, note: 'called with the format "(O)"; "N" would steal the argument' },
  PyObject_CallFunctionObjArgs: {
    params: { '...': { value: 'mk_leaf()' } },
    call: 'A->ret = PyObject_CallFunctionObjArgs(A->o[0], A->o[1], NULL)',
  },
  PyObject_CallMethodObjArgs: {
    params: { obj: { value: 'mk_obj()' }, name: { value: 'PyUnicode_FromString("__call__")' }, '...': { value: 'mk_leaf()' } },
    call: 'A->ret = PyObject_CallMethodObjArgs(A->o[0], A->o[1], A->o[2], NULL)',
  },
  PyObject_CallMethodOneArg: { params: { name: { value: 'PyUnicode_FromString("__call__")' } } },
  PyObject_CallMethodNoArgs: { params: { name: { value: 'PyUnicode_FromString("__call__")' } } },
  PySys_GetObject: { params: { name: { value: '"path"' } }, noFailure: true },
  PySys_SetObject: { params: { name: { value: '"probe_attr"' } } },
  PyLong_FromString: { params: { str: { value: '"123456789"' } } },
  PyLong_FromUnicodeObject: { params: { u: { value: 'PyUnicode_FromString("123456789")' } } },
  PyFloat_FromString: { params: { str: { value: 'PyUnicode_FromString("1.5")' } } },
  PyNumber_Long: { params: { o: { value: 'mk_float()' } } },
  PyImport_ImportModuleLevelObject: { params: { name: { value: 'mk_modname()' } } },
  PyImport_GetModule: { params: { name: { value: 'PyUnicode_FromString("sys")' } } },
  PyImport_AddModuleObject: { params: { name: { value: 'mk_modname()' } } },
  PyObject_GetIter: { params: { o: { value: 'mk_list()' } } },
  PyObject_SelfIter: { params: { obj: { value: 'mk_iter()' } } },
  PyMemoryView_FromObject: { params: { obj: { value: 'mk_bytearray()' } } },
  PyCode_Addr2Line: { skip: 'no object reference to measure' },
  PyWeakref_NewRef: { params: { ob: { value: 'mk_obj()' }, callback: { value: 'mk_function()' } } },
  PyWeakref_NewProxy: { params: { ob: { value: 'mk_obj()' }, callback: { value: 'mk_function()' } } },
  PyEval_GetBuiltins: {},
  PyEval_GetGlobals: { skip: 'returns NULL outside a running Python frame (the probe calls from C)' },
  PyEval_GetLocals: { skip: 'returns NULL outside a running Python frame (the probe calls from C)' },
  PyEval_GetFrame: { skip: 'returns NULL outside a running Python frame (the probe calls from C)' },
  Py_DecRef: { params: { o: { value: 'mk_leaf()' } } },
  Py_IncRef: { params: { o: { value: 'mk_leaf()' } } },
  PyObject_Print: { params: { fp: { value: 'stderr', kind: 'raw' } } },
  // a non-code object for co is read as a code object: it crashed in one process layout and not in another
  PyEval_EvalCode: { params: { co: { failValue: 'mk_code_raising()' } }, failure: 'code that raises (co)' },
  PyEval_EvalCodeEx: { skip: 'needs argument, keyword and default arrays with counts the probe does not build' },
  PyUnicode_FSConverter: { params: { result: { value: 'NULL', kind: 'slot' } } },
  PyUnicode_FSDecoder: { params: { result: { value: 'NULL', kind: 'slot' } } },
  PyObject_Vectorcall: { params: { kwnames: { value: 'NULL' } } },
  PyObject_VectorcallDict: { params: { kwdict: { value: 'mk_dict()' } } },
  PyObject_VectorcallMethod: { params: { name: { value: 'PyUnicode_FromString("__call__")' }, args: { value: 'mk_obj()' }, kwnames: { value: 'NULL' } } },
  PyRun_InteractiveLoop: { skip: 'reads and runs statements until EOF on the console streams' },
  PyRun_InteractiveLoopFlags: { skip: 'reads and runs statements until EOF on the console streams' },  PyFile_WriteObject: { skip: 'needs a file object' },
  PyFile_WriteString: { skip: 'needs a file object' },
  PyFile_GetLine: { skip: 'needs a file object' },
  PyErr_Display: { skip: 'process-wide side effect (console I/O)' },
  PyErr_WriteUnraisable: { skip: 'process-wide side effect (console I/O)' },
  PyThreadState_SetAsyncExc: { skip: 'thread state, GIL or interpreter state' },
  PyThreadState_GetDict: { skip: 'thread state, GIL or interpreter state' },
  PyCapsule_Import: { skip: 'imports a module by a C name; no object argument' },
  PyCodec_Register: { skip: 'process-wide side effect (registers a codec search function for good)' },
  PyCodec_Unregister: { skip: 'process-wide side effect' },
  PyCodec_RegisterError: { skip: 'process-wide side effect (registers an error handler for good)' },
};
