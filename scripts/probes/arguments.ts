/**
 * Pure: from a documented signature (name, return type, parameter types and names) to a probe plan: how to build
 * each argument as C, which arguments the probe measures, and how to make the same call fail. Table-driven: the
 * function's prefix picks the type of the first object argument (the receiver), parameter names pick the rest, and
 * `overrides.ts` covers what the tables cannot (setup before the call, varargs, arguments that must stay unshared).
 * Everything that cannot be called safely is skipped with a reason.
 */
import { OVERRIDES } from './overrides.ts';

export type ParamKind =
  | 'obj' | 'slot' | 'ssize' | 'int' | 'uint' | 'long' | 'ulong' | 'llong' | 'ullong' | 'size' | 'double' | 'str'
  | 'ucs4' | 'char' | 'ssize-out' | 'int-out'
  /** A C expression passed as is (NULL flags, a scratch buffer, a fresh FILE *). */
  | 'raw';

export interface ParamPlan {
  name: string;
  type: string;
  kind: ParamKind;
  /** C expression for the succeeding call (for 'slot': what the PyObject * it points to holds first, or NULL). */
  value: string;
  /** C expression for the failing call, when it differs. */
  failValue?: string;
  /** The probe keeps an extra reference so it can read the count after a steal (objects and in-out slots). */
  witness: boolean;
}

export interface ProbePlan {
  name: string;
  returnType: string;
  returnsObject: boolean;
  params: ParamPlan[];
  /** How the failing call is made, or null when no failing call is attempted. */
  failure: string | null;
  /** It checks no errors (the docs say so, or its capitalised name): no call built to fail is made. */
  unchecked?: boolean;
  /** C statements run before every call (e.g. set an error for PyErr_Fetch). */
  before?: string;
  /** A hand-written call expression, using A->o[i], A->slot[i], ... (for varargs). */
  call?: string;
  note?: string;
}

export type PlanResult = { ok: true; plan: ProbePlan } | { ok: false; reason: string };

export interface SignatureInput {
  name: string;
  /** A source of the version states that it does no error checking (an accessor macro such as PyTuple_GET_ITEM). */
  unchecked?: boolean;
  returns: { type: string } | null;
  params: { name: string; type: string }[];
}

const OBJECT_TYPE = /^(PyObject|PyTypeObject|PyFrameObject|PyCodeObject|PyVarObject|PyLongObject|PyListObject|PyTupleObject|PyBytesObject|PyUnicodeObject|PyUnicode|PyDateTime_(Date|DateTime|Time|Delta|DeltaType)) \*$/;

/** Receivers: the first object argument, by the function's prefix (longest prefix first). */
const RECEIVER: [string, string][] = [
  ['PyUnicodeDecodeError_', 'mk_unicode_error()'],
  ['PyUnicodeEncodeError_', 'mk_unicode_encode_error()'],
  ['PyUnicodeTranslateError_', 'mk_unicode_translate_error()'],
  ['PyInstanceMethod_', 'mk_function()'],
  ['PyDateTime_', 'mk_datetime()'],
  ['PyDate_', 'mk_date()'],
  ['PyTime_', 'mk_time()'],
  ['PyDelta_', 'mk_delta()'],
  ['PyTZInfo_', 'mk_tzinfo()'],
  ['PyTimeZone_', 'mk_delta()'],
  ['PyList_', 'mk_list()'],
  ['PyTuple_', 'mk_tuple()'],
  ['_PyTuple_', 'mk_tuple()'],
  ['PyDict_', 'mk_dict()'],
  ['PyDictProxy_', 'mk_dict()'],
  ['PySet_', 'mk_set()'],
  ['PyAnySet_', 'mk_set()'],
  ['PyFrozenSet_', 'mk_frozenset()'],
  ['PyUnicode_', 'mk_str()'],
  ['PyBytes_', 'mk_bytes()'],
  ['_PyBytes_', 'mk_bytes()'],
  ['PyByteArray_', 'mk_bytearray()'],
  ['PyLong_', 'mk_int()'],
  ['PyBool_', 'mk_int()'],
  ['PyIndex_', 'mk_int()'],
  ['PyFloat_', 'mk_float()'],
  ['PyComplex_', 'mk_complex()'],
  ['PyModule_', 'mk_module()'],
  ['PyException_', 'mk_exc()'],
  ['PyErr_', 'mk_exc_type()'],
  ['PySequence_', 'mk_list()'],
  ['PyMapping_', 'mk_dict()'],
  ['PyNumber_', 'mk_int()'],
  ['PyIter_', 'mk_iter()'],
  ['PyAIter_', 'mk_obj()'],
  ['PyObject_', 'mk_obj()'],
  ['_PyObject_', 'mk_obj()'],
  ['PyCallable_', 'mk_obj()'],
  ['PyType_', 'mk_type()'],
  ['PyCell_', 'mk_cell()'],
  ['PyWeakref_', 'mk_weakref()'],
  ['PyMethod_', 'mk_method()'],
  ['PyFunction_', 'mk_function()'],
  ['PyCode_', 'mk_code()'],
  ['PyFrame_', 'mk_frame()'],
  ['PyGen_', 'mk_gen()'],
  ['PySlice_', 'mk_slice()'],
  ['PyMemoryView_', 'mk_memoryview()'],
  ['PyCapsule_', 'mk_capsule()'],
  ['PyContextVar_', 'mk_contextvar()'],
  ['PyContext_', 'mk_context()'],
  ['PySeqIter_', 'mk_list()'],
  ['PyCallIter_', 'mk_function()'],
  ['PyImport_', 'mk_modname()'],
  ['PySys_', 'mk_obj()'],
  ['PyEval_', 'mk_dict()'],
  ['PyRun_', 'mk_dict()'],
  ['PyCodec_', 'mk_str()'],
  ['PyFile_', 'mk_obj()'],
  ['PyStructSequence_', 'mk_tuple()'],
  ['Py_', 'mk_obj()'],
];

/** Types whose functions compute on values: their other generically named arguments get the receiver's type. */
const VALUE_PREFIXES = ['PyNumber_', 'PyLong_', 'PyFloat_', 'PyComplex_', 'PyUnicode_', 'PyBytes_', 'PyByteArray_', 'PySet_', 'PyDict_', 'PySequence_'];

/** Object arguments by name (after the receiver, or for any position when marked `always`). */
const BY_NAME: [RegExp, string][] = [
  [/^(key|name|attr_name|attr|k|qualname)$/, 'mk_str()'],
  [/^(args|names|varnames|freevars|cellvars|consts|bases|defaults|closure|fromlist)$/, 'mk_tuple()'],
  [/^(kwargs|kwds|kw|kwdict|globals|locals|dict|mapping|kwdefs|annotations)$/, 'mk_dict()'],
  [/^(callable|func|callable_object|function|search_function|callback)$/, 'mk_function()'],
  [/^(co|code)$/, 'mk_code()'],
  [/^(tb|traceback)$/, 'mk_tb()'],
  [/^(iter|iterator)$/, 'mk_iter()'],
  [/^(seq|seq2|sequence|iterable|list|itemlist)$/, 'mk_list()'],
  [/^(tuple)$/, 'mk_tuple()'],
  [/^(set|anyset)$/, 'mk_set()'],
  [/^(module|m|mod)$/, 'mk_module()'],
  [/^(cls|klass|derived)$/, 'mk_type()'],
  [/^(cause)$/, 'mk_exc()'],
  [/^(unicode|str|string|substr|replstr|separator|sep|uni|left|right|s|u|filename|filenameObject|filename2|filenameObject2|pathname|cpathname|path|format)$/, 'mk_str()'],
  [/^(bytearray)$/, 'mk_bytearray()'],
  [/^(offset)$/, 'mk_delta()'],
  [/^(pylong)$/, 'mk_int()'],
  [/^(pyfloat)$/, 'mk_float()'],
  [/^(slice)$/, 'mk_slice()'],
  [/^(cell)$/, 'mk_cell()'],
  [/^(capsule)$/, 'mk_capsule()'],
  [/^(var)$/, 'mk_contextvar()'],
  [/^(mview|exporter)$/, 'mk_bytearray()'],
];

/** Object arguments of PyErr_ functions by name. */
const ERR_BY_NAME: [RegExp, string][] = [
  [/^(type|exc|exception|given|category|base|overflow_exception)$/, 'mk_exc_type()'],
  [/^(value|val|ob|exc_value|error)$/, 'mk_exc()'],
  [/^(tb|traceback)$/, 'mk_tb()'],
  [/^(message|msg|filename|filenameObject|filename2|filenameObject2|module)$/, 'mk_str()'],
];

/** Functions that must not be called in a probe at all, with why. */
const UNSAFE: [RegExp, string][] = [
  [/^Py_(Initialize|Finalize|Exit|FatalError|Main|BytesMain|RunMain|EndInterpreter|NewInterpreter|InitializeEx|FinalizeEx|InitializeFromConfig)/, 'interpreter life cycle'],
  [/^(PyEval_(Save|Restore|Acquire|Release|InitThreads|ThreadsInitialized)|PyGILState_|PyThread_|PyThreadState_(New|Clear|Delete|Swap|Get|Next|EnterTracing|LeaveTracing)|PyInterpreterState_)/, 'thread state, GIL or interpreter state'],
  [/^(PyObject_Init|PyObject_InitVar|Py_SET_REFCNT|Py_SET_TYPE|Py_SET_SIZE|PyObject_GC_(Track|UnTrack|Del)|PyObject_(Del|Free)|_Py_NewReference|PyType_Ready|PyType_Modified|PyObject_ClearWeakRefs|PyObject_CallFinalizer)/, 'would corrupt or free a live object'],
  [/^(PyOS_|PySys_(AddAuditHook|Audit|SetArgv|SetPath|AddWarnOption|AddXOption|ResetWarnOptions|WriteStdout|WriteStderr|FormatStdout|FormatStderr)|Py_AtExit|PyErr_(PrintEx|Print|SetInterrupt)|PyEval_SetTrace|PyEval_SetProfile)/, 'process-wide side effect (exit, hooks, signals, console I/O)'],
  [/^(PyMem_|PyObject_(Malloc|Calloc|Realloc)|PyBuffer_|PyObject_GetBuffer|PyObject_CopyData|PyMarshal_|PyState_|PyModule_(FromDefAndSpec|FromDefAndSpec2|ExecDef|Create|Create2|AddFunctions|SetDocString)|PyModuleDef_Init|PyStructSequence_(New|InitType|InitType2|NewType)|PyType_From)/, 'needs a C struct (buffer, module/type definition, allocator) the probe does not build'],
  [/^(PyArg_|Py_VaBuildValue|PyUnicode_FromFormat|PyErr_Format|PyBytes_FromFormat|PyErr_WarnFormat|PyErr_ResourceWarning|PyOS_snprintf|PyOS_vsnprintf|PyObject_CallFunction|PyObject_CallMethod$|PyEval_CallFunction|PyEval_CallMethod|_PyObject_CallFunction|_PyObject_CallMethod)/, 'format-driven varargs (ownership depends on the format string)'],
];

function receiverFor(name: string): string | null {
  for (const [prefix, builder] of RECEIVER) if (name.startsWith(prefix)) return builder;
  return null;
}

function objectBuilder(fn: string, param: string, isFirst: boolean, type: string): string | null {
  if (type === 'PyTypeObject *') return fn.startsWith('PyErr_') ? 'mk_exc_type()' : 'mk_type()';
  if (type === 'PyFrameObject *') return 'mk_frame()';
  if (type === 'PyCodeObject *') return 'mk_code()';
  const datetime = { 'PyDateTime_Date *': 'mk_date()', 'PyDateTime_DateTime *': 'mk_datetime()', 'PyDateTime_Time *': 'mk_time()', 'PyDateTime_Delta *': 'mk_delta()' }[type];
  if (datetime) return /DATE_GET|PyDateTime_GET/.test(fn) || type !== 'PyDateTime_Date *' ? datetime : 'mk_date()';
  if (fn.startsWith('PyErr_')) {
    for (const [re, b] of ERR_BY_NAME) if (re.test(param)) return b;
  }
  if (fn.startsWith('PyException_') || fn.startsWith('PyUnicode') && /Error_/.test(fn)) {
    if (/^(cause|ctx|context|ex|exc)$/.test(param)) return isFirst ? receiverFor(fn) : 'mk_exc()';
    if (/^(tb)$/.test(param)) return 'mk_tb()';
  }
  if (fn.startsWith('PyImport_') && /^(name|fullname)$/.test(param)) return 'mk_modname()';
  if (fn.startsWith('PyCodec_') && /^(exc)$/.test(param)) return /NameReplace|XMLCharRef/.test(fn) ? 'mk_unicode_encode_error()' : 'mk_unicode_error()';
  // names that say the type outright win even for the receiver; string-like names do not (PyBytes_AS_STRING(string))
  for (const [re, b] of BY_NAME) if (re.test(param) && (!isFirst || b !== 'mk_str()')) return b;
  if (isFirst) return receiverFor(fn);
  const prefix = VALUE_PREFIXES.find((p) => fn.startsWith(p));
  if (prefix && prefix !== 'PySet_') return receiverFor(fn);
  return 'mk_leaf()';
}

/** Non-object pointers and structs: what to pass (the probe measures none of them). */
const RAW: Record<string, (fn: string, name: string) => string | null> = {
  'PyCompilerFlags *': () => 'NULL', // documented as optional
  'char **': (_fn, name) => (name === 'pend' ? 'NULL' : '&g_charp'),
  'const char **': () => '(const char **)&g_charp',
  'const void **': () => '(const void **)&g_charp',
  'void **': () => '(void **)&g_charp',
  'void *': (_fn, name) => (name === 'context' ? 'NULL' : '(void *)&g_anchor'),
  'FILE *': () => 'probe_file()',
  'const wchar_t *': () => 'L"attr"',
  'const Py_UNICODE *': () => 'L"attr"',
  'wchar_t *': () => 'g_wbuf',
  'Py_UCS4 *': () => 'g_ucs4buf',
  'const void *': () => '"attr"',
  'Py_complex': () => '(Py_complex){1.5, 2.5}',
  'size_t *': () => '&g_size',
  'unsigned char *': () => 'g_bytes',
  'const unsigned char *': () => 'g_bytes',
};

function scalar(fn: string, name: string, type: string): { kind: ParamKind; value: string } | null {
  const raw = RAW[type]?.(fn, name);
  if (raw) return { kind: 'raw', value: raw };
  switch (type) {
    case 'Py_ssize_t': {
      if (/^(len|size|length|n|newsize|nitems|maxcount|count)$/.test(name)) return { kind: 'ssize', value: '1' };
      if (/^(buflen)$/.test(name)) return { kind: 'ssize', value: '64' };
      if (/^(end|stop|high|ihigh|i2|last)$/.test(name)) return { kind: 'ssize', value: '1' };
      return { kind: 'ssize', value: '0' };
    }
    case 'int':
      if (/^(base)$/.test(name)) return { kind: 'int', value: '10' };
      if (/^(op|opid)$/.test(name)) return { kind: 'int', value: 'Py_EQ' };
      if (/^(start)$/.test(name)) return { kind: 'int', value: fn.startsWith('PyRun_File') ? 'Py_file_input' : 'Py_eval_input' };
      if (/^(kind)$/.test(name)) return { kind: 'int', value: 'PyUnicode_1BYTE_KIND' };
      if (/^(year)$/.test(name)) return { kind: 'int', value: '2020' };
      if (/^(month|day)$/.test(name)) return { kind: 'int', value: '1' };
      return { kind: 'int', value: '0' };
    case 'unsigned int': return { kind: 'uint', value: '0' };
    case 'long': return { kind: 'long', value: '1000' };
    case 'unsigned long': return { kind: 'ulong', value: '1000' };
    case 'long long': return { kind: 'llong', value: '1000' };
    case 'unsigned long long': return { kind: 'ullong', value: '1000' };
    case 'size_t': return { kind: 'size', value: '1' };
    case 'double': return { kind: 'double', value: '1.5' };
    case 'Py_UCS4': return { kind: 'ucs4', value: "'a'" };
    case 'char': return { kind: 'char', value: "'a'" };
    case 'Py_ssize_t *': return { kind: 'ssize-out', value: '0' };
    case 'int *': return { kind: 'int-out', value: '0' };
    case 'const char *': {
      if (/^(encoding)$/.test(name)) return { kind: 'str', value: '"utf-8"' };
      if (/^(errors)$/.test(name)) return { kind: 'str', value: '"strict"' };
      if (/^(format|fmt)$/.test(name)) return null;
      if (fn.startsWith('PyImport_') && /^(name|fullname)$/.test(name)) return { kind: 'str', value: '"string"' };
      if (fn.startsWith('PyErr_') && /^(name)$/.test(name)) return { kind: 'str', value: '"probe.ProbeError"' };
      if (fn.startsWith('PyCapsule_') && /^(name)$/.test(name)) return { kind: 'str', value: '"probe.capsule"' };
      return { kind: 'str', value: '"attr"' }; // names, keys, strings: an attribute/key every builder provides
    }
    default:
      return null;
  }
}

const INDEX_NAME = /^(i|index|pos|ix|idx)$/;

/**
 * CPython names the unchecked macro variants in capitals (PyTuple_GET_ITEM beside PyTuple_GetItem): a call built
 * to fail would read outside the object, which crashes or not from run to run. PyObject_ASCII, named for the
 * codec, is the one capitalised name that checks its argument.
 */
const UNCHECKED_NAME = /_(?!ASCII$)[A-Z][A-Z0-9_]*$/;

/** The plan for one API, or why it is skipped. */
export function planProbe(api: SignatureInput): PlanResult {
  if (!/^[A-Za-z_]\w*$/.test(api.name)) return { ok: false, reason: 'not a callable C name' };
  const override = OVERRIDES[api.name];
  if (override && 'skip' in override) return { ok: false, reason: override.skip };
  if (!override) {
    for (const [re, reason] of UNSAFE) if (re.test(api.name)) return { ok: false, reason };
  }
  const returnType = api.returns?.type ?? 'void';
  const returnsObject = OBJECT_TYPE.test(returnType);
  const params: ParamPlan[] = [];
  let firstObject = true;
  for (const [index, p] of api.params.entries()) {
    const given = override?.params?.[p.name];
    if (p.type === '...') {
      if (given) { params.push({ name: p.name, type: p.type, kind: 'obj', witness: true, ...given, value: given.value ?? 'mk_leaf()' }); continue; }
      return { ok: false, reason: 'C varargs' };
    }
    if (OBJECT_TYPE.test(p.type) || p.type === 'PyObject *const *') {
      const value = given?.value ?? objectBuilder(api.name, p.name, firstObject, p.type);
      firstObject = false;
      if (!value) return { ok: false, reason: `no builder for object parameter ${p.name || index}` };
      params.push({ name: p.name, type: p.type, kind: 'obj', witness: true, ...given, value });
      continue;
    }
    if (p.type === 'PyObject **') {
      const inOut = /Append|Concat|InPlace|Resize|Normalize/.test(api.name);
      const value = given?.value ?? (inOut ? receiverFor(api.name) ?? 'mk_leaf()' : 'NULL');
      params.push({ name: p.name, type: p.type, kind: 'slot', witness: value !== 'NULL', ...given, value });
      continue;
    }
    const s = given?.value !== undefined ? { kind: given.kind ?? scalar(api.name, p.name, p.type)?.kind ?? (p.type === 'const char *' ? 'str' : undefined), value: given.value } : scalar(api.name, p.name, p.type);
    if (!s || !s.kind) return { ok: false, reason: `cannot build a ${p.type || 'untyped'} argument (${p.name || index})` };
    params.push({ name: p.name, type: p.type, kind: s.kind, value: s.value, witness: false, ...(given?.failValue ? { failValue: given.failValue } : {}) });
  }
  const measured = params.some((p) => p.kind === 'obj' || p.kind === 'slot');
  if (!measured && !returnsObject) return { ok: false, reason: 'no object reference to measure' };

  let failure: string | null = override?.failure ?? null;
  const unchecked = api.unchecked === true || UNCHECKED_NAME.test(api.name);
  if (!failure && !override?.noFailure && !unchecked && !api.name.startsWith('PyErr_') && params.some((p) => p.kind === 'obj' || p.kind === 'slot')) {
    const index = params.find((p) => p.kind === 'ssize' && INDEX_NAME.test(p.name));
    const receiver = params.find((p) => p.kind === 'obj');
    if (params.some((p) => p.failValue !== undefined)) failure = 'override';
    else if (index) { index.failValue = '100'; failure = `out-of-range index (${index.name})`; }
    // Only a PyObject * parameter promises to check its type: a leaf passed as a PyTypeObject * or PyFrameObject *
    // is read as one, and what the call does then follows the process's memory (3.15's PyType_GetName died by
    // SIGSEGV in one build of the runner and by an assertion in the next).
    else if (receiver && receiver.type === 'PyObject *' && receiver.value !== 'mk_leaf()') { receiver.failValue = 'mk_leaf()'; failure = `wrong type for ${receiver.name}`; }
  }
  const plan: ProbePlan = { name: api.name, returnType, returnsObject, params, failure };
  if (unchecked) plan.unchecked = true;
  if (override?.before) plan.before = override.before;
  if (override?.call) plan.call = override.call;
  if (override?.note) plan.note = override.note;
  return { ok: true, plan };
}
