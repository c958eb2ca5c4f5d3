/**
 * The snippets of the APIs extension code calls most (tests/fixtures/snippets/most-used.json, counted by
 * scripts/count-api-calls.ts in CPython 3.11's Modules/ and the benchmark repositories' heads) run under CPython
 * 3.11's debug build: each is called from Python with arguments of the right kinds, hundreds of times, through its
 * success path and, where the arguments make the call fail, its failure path, and sys.gettotalrefcount() stays
 * flat. Built and run like content/examples (scripts/lib/examples.ts). SNIPPET_COUNTS=1 prints how many ran and why
 * the others did not.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getVersion } from '../packages/capi-refs/src/data.ts';
import { callSnippet } from '../packages/capi-refs/src/snippet.ts';
import type { Api, Param } from '../packages/capi-refs/src/types.ts';
import { buildModule, perCall, pool, probeInterpreter, runExample } from '../scripts/lib/examples.ts';
import { declaredNames } from './helpers/c-headers.ts';

const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-snippet-run-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const MOST_USED = JSON.parse(readFileSync(path.resolve(import.meta.dirname, 'fixtures/snippets/most-used.json'), 'utf8')) as { python: string; apis: { name: string; calls: number }[] };

/** C parameter types a Python argument converts to, with PyArg_ParseTuple's format unit. */
const FORMAT: Readonly<Record<string, string>> = { 'PyObject *': 'O', Py_ssize_t: 'n', int: 'i', long: 'l', double: 'd', 'const char *': 's' };

/** The first object of an API of this prefix: the container or value it works on. */
const RECEIVERS: readonly [string, string][] = [
  ['PyList_', '[1, 2, 3]'], ['PyTuple_', '(1, 2, 3)'], ['PyDict_', "{'a': 1}"], ['PyUnicode_', "'abc'"], ['PyBytes_', "b'abc'"],
  ['PyByteArray_', "bytearray(b'abc')"], ['PyLong_', '12345'], ['PyFloat_', '1.5'], ['PySet_', '{1, 2}'], ['PyModule_', "types.ModuleType('m')"],
  ['PySequence_', '[1, 2, 3]'], ['PyMapping_', "{'a': 1}"], ['PyNumber_', '7'], ['PyIter_', 'iter([1, 2])'], ['PyCallable_', 'len'],
];

/** A Python expression for one argument, or null when none can be given from Python. */
function pythonArg(api: Api, p: Param, i: number): string | null {
  const name = p.name.toLowerCase();
  switch (FORMAT[p.type.trim()]) {
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
      return /^(i|index|pos|idx|low|start)$/.test(name) ? '0' : '1';
    case 'd':
      return '1.5';
    case 's':
      if (name === 'encoding') return "'utf-8'";
      if (name === 'errors') return "'strict'";
      return /name|attr|key/.test(name) ? "'a'" : "'abc'";
    default:
      return null;
  }
}

/**
 * Not run, with the reason: a precondition Python cannot meet. The SET_ITEM macros store into an empty slot of a
 * container just made in C; from Python there is only a full one, whose old item they would leak by design.
 */
const PRECONDITION: Readonly<Record<string, string>> = {
  PyTuple_SET_ITEM: 'needs an empty slot of a tuple made in C',
  PyList_SET_ITEM: 'needs an empty slot of a list made in C',
  PyObject_GC_Track: 'needs a collectable object made in C and not yet tracked',
  _PyBytes_Resize: 'needs a bytes object made in C that nothing else references',
  PyErr_WriteUnraisable: 'needs an exception set',
  Py_FatalError: 'ends the process',
};

interface Runnable {
  readonly name: string;
  readonly code: string;
  readonly fn: string;
  readonly wrapper: string;
  readonly args: string[];
}

function runnable(api: Api, declared: ReadonlySet<string>): Runnable | { reason: string } {
  if (!declared.has(api.name)) return { reason: 'not declared by Python.h on this platform' };
  if (PRECONDITION[api.name]) return { reason: PRECONDITION[api.name]! };
  const snippet = callSnippet(api, '3.11');
  if (!snippet) return { reason: 'no snippet' };
  // The snippet's own parameters: out-parameters are locals of the snippet.
  const params = api.params.filter((p) => !((p.ownership === 'out-new' || p.ownership === 'out-borrowed') && p.type.trim().endsWith('**')));
  const args = params.map((p, i) => pythonArg(api, p, i));
  if (args.some((a) => a === null)) return { reason: `a parameter Python cannot give (${params.map((p) => p.type).join(', ')})` };
  const format = params.map((p) => FORMAT[p.type.trim()]).join('');
  const decls = params.map((p) => `    ${p.type.trim().endsWith('*') ? `${p.type.trim()}${p.name}` : `${p.type.trim()} ${p.name}`};`).join('\n');
  const parse = params.length ? `    if (!PyArg_ParseTuple(pyargs, "${format}", ${params.map((p) => `&${p.name}`).join(', ')})) return NULL;\n` : '';
  const call = `${snippet.function}(${params.map((p) => p.name).join(', ')})`;
  const returnsObject = /^static [^\n]*\*\n/.test(snippet.code);
  // Python sees an exception exactly when one is set: an API may set one and succeed (PyErr_SetString), or fail
  // without one (a NULL that means "not found").
  const body = returnsObject
    ? `    PyObject *result = (PyObject *)${call};\n    if (PyErr_Occurred()) {\n        Py_XDECREF(result);\n        return NULL;\n    }\n    return result ? result : Py_NewRef(Py_None);`
    : `    (void)${call};\n    if (PyErr_Occurred()) return NULL;\n    Py_RETURN_NONE;`;
  // `pyargs`: an API may name a parameter args.
  const wrapper = `static PyObject *\nrun_${api.name}(PyObject *self, PyObject *pyargs)\n{\n${decls}\n${parse}${body}\n}\n`;
  return { name: api.name, code: snippet.code, fn: snippet.function, wrapper, args: args as string[] };
}

// CI has the debug build (ensure-system-packages); a machine without it skips, saying why.
const debugBuild = await probeInterpreter('debug').catch(() => null);

describe.skipIf(debugBuild === null && process.env.CI !== 'true')('snippets of the most-called APIs under the debug build', () => {
  it('compile with every warning an error and keep sys.gettotalrefcount() flat, success and failure paths', async () => {
    const interp = debugBuild ?? (await probeInterpreter('debug'));
    const index = getVersion('3.11');
    const declared = declaredNames('#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n');
    const chosen = MOST_USED.apis.map(({ name }) => ({ name, result: runnable(index.apis.get(name)!, declared) }));
    const runs = chosen.flatMap(({ result }) => ('reason' in result ? [] : [result]));
    expect(MOST_USED.apis).toHaveLength(150);
    expect(runs.length).toBeGreaterThanOrEqual(100);
    if (process.env.SNIPPET_COUNTS) {
      const reasons = new Map<string, string[]>();
      for (const { name, result } of chosen) if ('reason' in result) reasons.set(result.reason, [...(reasons.get(result.reason) ?? []), name]);
      console.error(`snippets run: ${runs.length} of ${chosen.length}; not run: ${[...reasons].map(([why, names]) => `${why}: ${names.join(', ')}`).join('; ')}`);
    }

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
        writeFileSync(driver, `import types\n\nclass C:\n    a = 1\n\ndef call(m):\n    try:\n        m.run_${r.name}(${r.args.join(', ')})\n    except Exception:\n        pass  # the failure path is measured too\n`);
        return { name: r.name, run: await runExample(r.name, built, interp, 60_000, driver) };
      }),
    );
    const problems = results.filter(({ run }) => run.exitCode !== 0 || perCall(run) !== 0).map(({ name, run }) => `${name}: exit ${run.exitCode}, ${perCall(run)} per call ${run.fatal ?? run.stderr.slice(0, 200)}`);
    expect(problems).toEqual([]);
  }, 600_000);
});
