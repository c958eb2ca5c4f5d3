/**
 * How the engine keeps its work linear: states that agree on all that rules can observe are merged where paths
 * join (whatever order their variables were set in), and an #if atom that no later #if tests is not carried on
 * the path. Run on real parses: a function is analysed and whether the engine had to drop paths is read back.
 */
import { describe, expect, it } from 'vitest';
import { getVersion } from '../../packages/capi-refs/src/data.ts';
import { loadParser } from '../../packages/capi-refs/src/check.ts';
import { analyzeUnit } from '../../packages/capi-refs/src/analysis/translation-unit.ts';
import { indexTree } from '../../packages/capi-refs/src/analysis/tree-index.ts';
import { MAX_STATES_PER_NODE } from '../../packages/capi-refs/src/analysis/engine.ts';

async function analyse(source: string) {
  const parser = await loadParser();
  const tree = parser.parse(source)!;
  try {
    const apis = getVersion('3.13').apis;
    return analyzeUnit(indexTree(tree.rootNode), source, (name) => apis.get(name), parser);
  } finally {
    tree.delete();
  }
}

/** `count` blocks after one another, each written by `block(i)`, between a new reference and its release. */
function functionOf(count: number, block: (i: number) => string): string {
  const blocks = Array.from({ length: count }, (_, i) => block(i)).join('');
  return `static PyObject *\nf(PyObject *self, PyObject *arg)\n{\n    int a = 0, b = 0;\n    PyObject *d = PyDict_New();\n    if (d == NULL)\n        return NULL;\n${blocks}    if (a == b)\n        return d;\n    return d;\n}\n`;
}

const BLOCKS = 3 * MAX_STATES_PER_NODE;

describe('merging states where paths join', () => {
  it('merges the two sides of an if that set the same variables in different orders', async () => {
    const source = functionOf(BLOCKS, () => '    if (arg == Py_None) {\n        a = 1;\n        b = 2;\n    }\n    else {\n        b = 2;\n        a = 1;\n    }\n');
    const [fn] = (await analyse(source)).functions;
    expect(fn!.truncated).toBe(false);
  });

  it('near miss: sides that leave different values are kept apart, and past the cap paths are dropped', async () => {
    const source = functionOf(BLOCKS, (i) => `    if (arg == Py_None) {\n        a = ${i};\n    }\n    else {\n        b = ${i};\n    }\n`);
    const [fn] = (await analyse(source)).functions;
    expect(fn!.truncated).toBe(true);
  });
});

describe('#if atoms on the path', () => {
  it('does not carry an atom that no later #if tests (errnomodule.c: hundreds of #ifdef E...)', async () => {
    const source = functionOf(BLOCKS, (i) => `#ifdef E${i}\n    PyDict_SetItemString(d, "E${i}", Py_None);\n#endif\n`);
    const [fn] = (await analyse(source)).functions;
    expect(fn!.truncated).toBe(false);
  });

  it('near miss: an atom tested again keeps the two ways apart', async () => {
    const source = functionOf(BLOCKS, (i) => `#ifdef E${i}\n    a = ${i};\n#endif\n#ifdef E${i}\n    b = ${i};\n#endif\n`);
    const [fn] = (await analyse(source)).functions;
    expect(fn!.truncated).toBe(true);
  });
});

describe('a loop at the start of the body', () => {
  it('merges at a loop head that is also the entry (_ctypes.c PyCData_GetContainer)', async () => {
    const source = `static PyObject *\nf(CDataObject *self)\n{\n    while (self->b_base)\n        self = self->b_base;\n    if (self->b_objects == NULL) {\n        self->b_objects = PyDict_New();\n        if (self->b_objects == NULL)\n            return NULL;\n    }\n    return (PyObject *)self;\n}\n`;
    const [fn] = (await analyse(source)).functions;
    expect(fn!.truncated).toBe(false);
  });
});
