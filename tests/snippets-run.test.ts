/**
 * The snippets of the 150 APIs extension code calls most (tests/fixtures/snippets/most-used.json, counted by
 * scripts/count-api-calls.ts in CPython 3.11's Modules/ and the benchmark repositories' heads, with a snippet or
 * not: one without is listed with the reason snippet.ts gives) run under CPython 3.11's debug build: each is called
 * from Python with arguments of the right kinds, hundreds of times, through its success path and, where the
 * arguments make the call fail, its failure path, and sys.gettotalrefcount() stays flat, plus
 * sys.getallocatedblocks() where memory changes hands (a leaked block of Python's allocator fails). What Python
 * cannot pass (memory, a buffer view, a module definition, a type spec, a lock, a GIL state) the wrapper makes in C.
 * Built and run like content/examples (scripts/lib/examples.ts). SNIPPET_COUNTS=1 prints how many ran and why the
 * others did not.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getVersion } from '../packages/capi-refs/src/data.ts';
import { callSnippet, noSnippetReason } from '../packages/capi-refs/src/snippet.ts';
import type { Api, Param } from '../packages/capi-refs/src/types.ts';
import { buildModule, perCall, pool, probeInterpreter, runExample } from '../scripts/lib/examples.ts';
import { declaredNames } from './helpers/c-headers.ts';

const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-snippet-run-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const MOST_USED = JSON.parse(readFileSync(path.resolve(import.meta.dirname, 'fixtures/snippets/most-used.json'), 'utf8')) as { python: string; apis: { name: string; calls: number }[] };

/**
 * C parameter types a Python argument converts to: PyArg_ParseTuple's format unit, the C type it fills where that
 * differs, and the Python value to pass where the type alone decides it.
 */
const FORMAT: Readonly<Record<string, { unit: string; parsed?: string; value?: string }>> = {
  'PyObject *': { unit: 'O' }, Py_ssize_t: { unit: 'n' }, int: { unit: 'i' }, long: { unit: 'l' }, double: { unit: 'd' }, 'const char *': { unit: 's' },
  size_t: { unit: 'n', parsed: 'Py_ssize_t' }, 'unsigned long': { unit: 'k' }, 'long long': { unit: 'L' }, 'unsigned long long': { unit: 'K' },
  Py_UCS4: { unit: 'I', parsed: 'unsigned int' }, char: { unit: 'c' },
  // An object of a given C struct: a Python object of that kind, cast.
  'PyTypeObject *': { unit: 'O', parsed: 'PyObject *', value: 'list' }, 'PyVarObject *': { unit: 'O', parsed: 'PyObject *', value: '(1, 2, 3)' },
};

/** The first object of an API of this prefix: the container or value it works on. */
const RECEIVERS: readonly [string, string][] = [
  ['PyList_', '[1, 2, 3]'], ['PyTuple_', '(1, 2, 3)'], ['PyDict_', "{'a': 1}"], ['PyUnicode_', "'abc'"], ['PyBytes_', "b'abc'"],
  ['PyByteArray_', "bytearray(b'abc')"], ['PyLong_', '12345'], ['PyFloat_', '1.5'], ['PySet_', '{1, 2}'], ['PyModule_', "types.ModuleType('m')"],
  ['PySequence_', '[1, 2, 3]'], ['PyMapping_', "{'a': 1}"], ['PyNumber_', '7'], ['PyIter_', 'iter([1, 2])'], ['PyCallable_', 'len'],
];

/** A Python expression for one argument, or null when none can be given from Python. */
function pythonArg(api: Api, p: Param, i: number): string | null {
  const name = p.name.toLowerCase();
  const format = FORMAT[p.type.trim()];
  if (format?.value) return format.value;
  switch (format?.unit) {
    case 'O':
      if (i === 0) for (const [prefix, value] of RECEIVERS) if (api.name.startsWith(prefix)) return value;
      if (/^(type|exception|exc|err)$/.test(name)) return 'ValueError';
      if (/^(key|name|attr_name|attr|attrname)$/.test(name)) return "'a'";
      if (/^(callable|func)$/.test(name)) return 'len';
      if (name === 'args') return '(1,)';
      if (/^(kwargs|kw|kwds)$/.test(name)) return '{}';
      return 'C()';
    case 'n':
    case 'i':
    case 'l':
    case 'k':
    case 'L':
    case 'K':
    case 'I':
      return /^(i|index|pos|idx|low|start)$/.test(name) ? '0' : '1';
    case 'd':
      return '1.5';
    case 'c':
      return "b'C'";
    case 's':
      if (name === 'encoding') return "'utf-8'";
      if (name === 'errors') return "'strict'";
      return /name|attr|key/.test(name) ? "'a'" : "'abc'";
    default:
      return null;
  }
}

/** How the wrapper gives one parameter: parsed from a Python argument, or made in C. */
interface ArgPlan {
  /** The Python expression passed for it; absent when it is made in C. */
  readonly python?: string;
  /** The format unit and the C type PyArg_ParseTuple fills, for a Python argument. */
  readonly unit?: string;
  readonly parsed?: string;
  /** C statements before the call that make it, the expression passed, and C statements after the call. */
  readonly setup?: string;
  readonly pass: string;
  readonly cleanup?: string;
}

/**
 * Arguments Python cannot give, made in C. Memory comes from the allocator whose memory the function frees (the
 * dataset's returns.freeWith, read backwards); a scalar an API writes through gets a local, a string it writes a
 * buffer; a buffer view is filled from a bytes object and released after the call, unless filling or releasing it
 * is the call's own job.
 */
function madeInC(api: Api, p: Param, allocatorOf: ReadonlyMap<string, string>): ArgPlan | null {
  const type = p.type.trim();
  const local = `${p.name}_local`;
  const scalar = /^(int|Py_ssize_t|size_t|long) \*$/.exec(type);
  if (scalar) return { setup: `${scalar[1]} ${local} = 0;`, pass: `&${local}` };
  if (type === 'void *' && allocatorOf.has(api.name)) return { setup: `void *${local} = ${allocatorOf.get(api.name)}(16);\nif (${local} == NULL) return PyErr_NoMemory();`, pass: local };
  if (type === 'void *' && /^(PyLong_FromVoidPtr|PyObject_GC_UnTrack)$/.test(api.name)) return { python: '[1, 2]', unit: 'O', parsed: 'PyObject *', pass: `(void *)${p.name}` };
  if (type === 'const wchar_t *') return { setup: `static const wchar_t ${local}[] = L"abc";`, pass: local };
  if (/^(const )?Py_buffer \*$/.test(type)) {
    const fill = api.name === 'PyObject_GetBuffer' ? '' : `if (PyObject_GetBuffer(${p.name}_exporter, &${local}, PyBUF_SIMPLE) < 0) return NULL;\n`;
    return {
      setup: `PyObject *${p.name}_exporter = PyBytes_FromString("abc");\nif (${p.name}_exporter == NULL) return NULL;\nPy_buffer ${local} = {0};\n${fill}`,
      pass: `&${local}`,
      cleanup: `${api.name === 'PyBuffer_Release' ? '' : `PyBuffer_Release(&${local});\n`}Py_DECREF(${p.name}_exporter);`,
    };
  }
  if (type === 'char *') return { setup: `char ${local}[64] = "";`, pass: local };
  // The GIL state a release gives back: the one its PyGILState_Ensure returned.
  if (type === 'PyGILState_STATE') return { setup: `PyGILState_STATE ${local} = PyGILState_Ensure();`, pass: local };
  // A lock made for the call and freed after it; the call that releases one gets it held.
  if (type === 'PyThread_type_lock') {
    const held = api.name === 'PyThread_release_lock' ? `\n(void)PyThread_acquire_lock(${local}, WAIT_LOCK);` : '';
    return { setup: `PyThread_type_lock ${local} = PyThread_allocate_lock();\nif (${local} == NULL) return PyErr_NoMemory();${held}`, pass: local, cleanup: `PyThread_free_lock(${local});` };
  }
  if (type === 'PyModuleDef *') return { setup: `static PyModuleDef ${local} = {PyModuleDef_HEAD_INIT, "snippet", NULL, -1, NULL};`, pass: `&${local}` };
  if (type === 'PyType_Spec *') {
    return { setup: `static PyType_Slot ${local}_slots[] = {{0, NULL}};\nstatic PyType_Spec ${local} = {"example.Made", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, ${local}_slots};`, pass: `&${local}` };
  }
  if (type === 'PyObject *const *') return { python: '(1,)', unit: 'O!', parsed: 'PyObject *', pass: `&PyTuple_GET_ITEM(${p.name}, 0)` };
  return null;
}

/** A heap type whose instances are a bare PyObject, made for the call and released after it. */
function madeType(name: string): ArgPlan {
  const local = `${name}_local`;
  return {
    setup: `static PyType_Slot ${local}_slots[] = {{0, NULL}};\nstatic PyType_Spec ${local}_spec = {"example.Made", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, ${local}_slots};\nPyObject *${local} = PyType_FromSpec(&${local}_spec);\nif (${local} == NULL) return NULL;`,
    pass: `(PyTypeObject *)${local}`,
    cleanup: `Py_DECREF(${local});`,
  };
}

/**
 * Not run, with the reason: a precondition Python cannot meet. The SET_ITEM macros store into an empty slot of a
 * container just made in C; from Python there is only a full one, whose old item they would leak by design.
 */
const PRECONDITION: Readonly<Record<string, string>> = {
  PyTuple_SET_ITEM: 'needs an empty slot of a tuple made in C',
  PyList_SET_ITEM: 'needs an empty slot of a list made in C',
  PyStructSequence_SET_ITEM: 'needs an empty slot of a struct sequence made in C',
  PyObject_GC_Track: 'needs a collectable object made in C and not yet tracked',
  _PyBytes_Resize: 'needs a bytes object made in C that nothing else references',
  Py_SET_SIZE: 'changes the size of an object: needs one made in C for it',
  PyUnicode_READ: 'needs the kind and data of one string object, read in C',
  PyErr_WriteUnraisable: 'needs an exception set',
  PyObject_GC_New: 'needs a collectable type made in C, with a traverse function for the struct it names',
};

/**
 * How many of the 150 run: the others are listed with their reasons (SNIPPET_COUNTS=1): the reference-count
 * primitives and the macros that take a type or a token have no snippet; a few need what only C can make.
 */
const RUN_AT_LEAST = 120;

interface Runnable {
  readonly name: string;
  /** Whether the measure counts the allocator's blocks too: for calls whose result is memory, or that are given arguments made in C. */
  readonly countsBlocks: boolean;
  readonly code: string;
  readonly fn: string;
  readonly wrapper: string;
  readonly args: string[];
}

function runnable(api: Api, declared: ReadonlySet<string>, allocatorOf: ReadonlyMap<string, string>): Runnable | { reason: string } {
  if (!declared.has(api.name)) return { reason: 'not declared by Python.h on this platform' };
  if (PRECONDITION[api.name]) return { reason: PRECONDITION[api.name]! };
  const snippet = callSnippet(api, '3.11');
  if (!snippet) return { reason: `no snippet: ${noSnippetReason(api)}` };
  const params = snippet.params;
  const plans = params.map((p, i): ArgPlan | null => {
    // Vectorcall's keyword names: NULL for none (None from Python).
    if (p.name === 'kwnames') return { python: 'None', unit: 'O', parsed: 'PyObject *', pass: `(${p.name} == Py_None ? NULL : ${p.name})` };
    // PyObject_New makes an instance of the struct it is given (PyObject in the sample): a type made for it, as
    // Python's own types have larger structs.
    if (api.name === 'PyObject_New' && p.type.trim() === 'PyTypeObject *') return madeType(p.name);
    const format = FORMAT[p.type.trim()];
    const python = pythonArg(api, p, i);
    if (format && python !== null) return { python, unit: format.unit, parsed: format.parsed ?? p.type.trim(), pass: format.parsed ? `(${p.type.trim()})${p.name}` : p.name };
    return madeInC(api, p, allocatorOf);
  });
  if (plans.some((a) => a === null)) return { reason: `a parameter neither Python nor the wrapper can give (${params.map((p) => p.type).join(', ')})` };
  const given = params.map((p, i) => ({ p, plan: plans[i]! }));
  const parsed = given.filter(({ plan }) => plan.python !== undefined);
  const decls = parsed.map(({ p, plan }) => `    ${plan.parsed!.endsWith('*') ? `${plan.parsed}${p.name}` : `${plan.parsed} ${p.name}`};`).join('\n');
  const units = parsed.map(({ plan }) => plan.unit).join('');
  const targets = parsed.map(({ p, plan }) => (plan.unit === 'O!' ? `&PyTuple_Type, &${p.name}` : `&${p.name}`)).join(', ');
  const parse = parsed.length ? `    if (!PyArg_ParseTuple(pyargs, "${units}", ${targets})) return NULL;\n` : '';
  const setup = given.flatMap(({ plan }) => (plan.setup ? [plan.setup] : [])).join('\n');
  const cleanup = given.flatMap(({ plan }) => (plan.cleanup ? [plan.cleanup] : [])).join('\n');
  const ind = (text: string): string => (text ? `${text.split('\n').filter((l) => l).map((l) => `    ${l}`).join('\n')}\n` : '');
  const call = `${snippet.function}(${given.map(({ plan }) => plan.pass).join(', ')})`;
  const returnsObject = /^static [^\n]*\*\n/.test(snippet.code);
  // Python sees an exception exactly when one is set: an API may set one and succeed (PyErr_SetString), or fail
  // without one (a NULL that means "not found").
  const body = returnsObject
    ? `    PyObject *result = (PyObject *)${call};\n${ind(cleanup)}    if (PyErr_Occurred()) {\n        Py_XDECREF(result);\n        return NULL;\n    }\n    return result ? result : Py_NewRef(Py_None);`
    : `    (void)${call};\n${ind(cleanup)}    if (PyErr_Occurred()) return NULL;\n    Py_RETURN_NONE;`;
  // `pyargs`: an API may name a parameter args.
  const wrapper = `static PyObject *\nrun_${api.name}(PyObject *self, PyObject *pyargs)\n{\n${decls ? `${decls}\n` : ''}${parse}${ind(setup)}${body}\n}\n`;
  // Only where memory changes hands: elsewhere the block count follows the interpreter's own caches (an import
  // that fails refills the path finders' caches now and then), which is not the snippet's doing.
  const handlesMemory = (api.returns?.ownership === 'no-object' && /\*\s*$/.test(api.returns.type)) || given.some(({ plan }) => plan.setup !== undefined);
  return { name: api.name, countsBlocks: handlesMemory, code: snippet.code, fn: snippet.function, wrapper, args: parsed.map(({ plan }) => plan.python!) };
}

// CI has the debug build (ensure-system-packages); a machine without it skips, saying why.
const debugBuild = await probeInterpreter('debug').catch(() => null);

describe.skipIf(debugBuild === null && process.env.CI !== 'true')('snippets of the most-called APIs under the debug build', () => {
  it('compile with every warning an error and keep references and allocated blocks flat, success and failure paths', async () => {
    const interp = debugBuild ?? (await probeInterpreter('debug'));
    const index = getVersion('3.11');
    const declared = declaredNames('#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n');
    // Each freeing function's allocator (PyMem_Free → PyMem_Malloc): the allocator of one argument, from size_t alone.
    const allocatorOf = new Map<string, string>();
    for (const api of index.apis.values()) {
      const freer = api.returns?.freeWith;
      if (freer && api.params.length === 1 && api.params[0]!.type.trim() === 'size_t' && !allocatorOf.has(freer)) allocatorOf.set(freer, api.name);
    }
    const chosen = MOST_USED.apis.map(({ name }) => ({ name, result: runnable(index.apis.get(name)!, declared, allocatorOf) }));
    const runs = chosen.flatMap(({ result }) => ('reason' in result ? [] : [result]));
    if (process.env.SNIPPET_COUNTS) {
      const reasons = new Map<string, string[]>();
      for (const { name, result } of chosen) if ('reason' in result) reasons.set(result.reason, [...(reasons.get(result.reason) ?? []), name]);
      console.error(`snippets run: ${runs.length} of ${chosen.length}; not run: ${[...reasons].map(([why, names]) => `${why}: ${names.join(', ')}`).join('; ')}`);
    }
    expect(MOST_USED.apis).toHaveLength(150);
    // A reason for a name no longer counted among the 150 is one nobody reads: drop it.
    expect(Object.keys(PRECONDITION).filter((name) => !MOST_USED.apis.some((a) => a.name === name))).toEqual([]);
    expect(runs.length).toBeGreaterThanOrEqual(RUN_AT_LEAST);

    const source = path.join(TMP, 'example.c');
    const methods = runs.map((r) => `    {"run_${r.name}", run_${r.name}, METH_VARARGS, NULL},`).join('\n');
    writeFileSync(
      source,
      `#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n\n${runs.map((r) => `${r.code}\n${r.wrapper}`).join('\n')}\nstatic PyMethodDef methods[] = {\n${methods}\n    {NULL, NULL, 0, NULL}\n};\n\nstatic struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "example", NULL, -1, methods};\n\nPyMODINIT_FUNC\nPyInit_example(void)\n{\n    return PyModule_Create(&module);\n}\n`,
    );
    const built = await buildModule(source, path.join(TMP, 'build'), interp, [], 'the snippets of the most-called APIs');

    const results = await pool(
      runs.map((r) => async () => {
        const driver = path.join(TMP, `driver-${r.name}.py`);
        // References stay flat, and where memory changes hands the allocator's blocks too: a snippet that leaks
        // memory it was handed fails.
        const measure = r.countsBlocks ? 'sys.gettotalrefcount() + sys.getallocatedblocks()' : 'sys.gettotalrefcount()';
        writeFileSync(driver, `import sys\nimport types\n\nMETRIC = '${measure}'\n\ndef refs():\n    return ${measure}\n\nclass C:\n    a = 1\n\ndef call(m):\n    try:\n        m.run_${r.name}(${r.args.join(', ')})\n    except Exception:\n        pass  # the failure path is measured too\n`);
        return { name: r.name, run: await runExample(r.name, built, interp, 60_000, driver) };
      }),
    );
    const problems = results.filter(({ run }) => run.exitCode !== 0 || perCall(run) !== 0).map(({ name, run }) => `${name}: exit ${run.exitCode}, ${perCall(run)} per call ${run.fatal ?? run.stderr.slice(0, 200)}`);
    expect(problems).toEqual([]);
  }, 600_000);
});
