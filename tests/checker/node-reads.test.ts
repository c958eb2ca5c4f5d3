/**
 * typeOf and endOf (analysis/node-reads.ts) give what web-tree-sitter gives, read once per node object, on a real
 * parse; and the top-level index (analysis/tree-index.ts) finds what lies inside items only where their text
 * allows it.
 */
import { describe, expect, it } from 'vitest';
import type { Node as TsNode } from 'web-tree-sitter';
import { loadParser } from '../../packages/capi-refs/src/check.ts';
import { endOf, typeOf } from '../../packages/capi-refs/src/analysis/node-reads.ts';
import { indexTree, type TreeIndex } from '../../packages/capi-refs/src/analysis/tree-index.ts';

const SOURCE = `static PyObject *\nf(PyObject *self)\n{\n    /* a comment */\n    PyObject *x = PyList_New(0);\n    return x;\n}\n`;

function allNodes(root: TsNode): TsNode[] {
  const out: TsNode[] = [root];
  for (let i = 0; i < out.length; i++) for (const c of out[i]!.children) if (c) out.push(c);
  return out;
}

describe('typeOf and endOf', () => {
  it("agree with the node's own type and end, every node, read twice", async () => {
    const tree = (await loadParser()).parse(SOURCE)!;
    try {
      const nodes = allNodes(tree.rootNode);
      expect(nodes.length).toBeGreaterThan(20);
      for (const n of nodes) {
        expect(typeOf(n)).toBe(n.type);
        expect(typeOf(n)).toBe(n.type);
        expect(endOf(n)).toBe(n.endIndex);
        expect(endOf(n)).toBe(n.endIndex);
      }
      expect(nodes.map(typeOf)).toContain('comment');
    } finally {
      tree.delete();
    }
  });
});

/** Parses `source` and hands its index to `check`, freeing the tree after. */
async function withIndex(source: string, check: (index: TreeIndex) => void): Promise<void> {
  const tree = (await loadParser()).parse(source)!;
  try {
    check(indexTree(tree.rootNode));
  } finally {
    tree.delete();
  }
}

describe('indexTree', () => {
  it('finds an object type declared inside a typedef and a #define inside a function', async () => {
    const source = `typedef struct { PyObject _h_; PyObject *a; } Obj;\nstatic int g(void)\n{\n#define LOCAL 1\n    return LOCAL;\n}\n`;
    await withIndex(source, (index) => {
      expect(index.structs.map((s) => s.text)).toEqual(['struct { PyObject _h_; PyObject *a; }']);
      expect(index.macros.map((m) => m.text.trim())).toEqual(['#define LOCAL 1']);
    });
  });

  it('near miss: a struct that is no object type, and a function with #ifdef but no #define, are not searched', async () => {
    const source = `typedef struct { int n; PyObject *a; } Plain;\nstatic int g(void)\n{\n    struct timeval tv;\n#ifdef X\n    return 1;\n#endif\n    return 0;\n}\n`;
    await withIndex(source, (index) => {
      expect(index.structs).toEqual([]);
      expect(index.macros).toEqual([]);
      expect(index.functions).toHaveLength(1);
    });
  });

  it('near miss: an item whose text has no `struct` and no `#` yields nothing from inside it', async () => {
    const source = `static PyMethodDef methods[] = {\n    {"f", (PyCFunction)f, METH_NOARGS, NULL},\n    {NULL}\n};\n`;
    await withIndex(source, (index) => {
      expect(index.structs).toEqual([]);
      expect(index.macros).toEqual([]);
      expect(index.topLevelDeclarations).toHaveLength(1);
    });
  });
});
