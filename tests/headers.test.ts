import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import { loadCParser } from '../scripts/lib/c-parser.ts';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { readHeaders } from '../scripts/lib/read-headers.ts';
import { openRoot } from '../scripts/lib/source-root.ts';
import { parseHeader, type HeaderDeclaration } from '../scripts/sources/headers.ts';
import { describeSnapshot, SNAPSHOT_DIR } from './helpers/snapshot.ts';

let parser: Parser;
beforeAll(async () => {
  parser = await loadCParser();
});

const HEADER = `#ifndef Py_WIDGET_H
#define Py_WIDGET_H
#ifdef __cplusplus
extern "C" {
#endif

#include "cpython/widget.h"
#include <stdio.h>

PyAPI_DATA(PyTypeObject) PyWidget_Type;
#define PyWidget_Check(op) PyObject_TypeCheck((op), &PyWidget_Type)
#define PyWidget_MAX 16
#define _PyWidget_PRIVATE 1

PyAPI_FUNC(PyObject *) PyWidget_New(Py_ssize_t size);
PyAPI_FUNC(int) PyWidget_Take(PyObject *widget, PyObject **out, ...);
PyAPI_FUNC(PyObject *) PyWidget_Format(const char *format, ...)
                            Py_GCC_ATTRIBUTE((format(printf, 1, 2)));
Py_DEPRECATED(3.12) PyAPI_FUNC(PyObject *) PyWidget_Old(PyObject *);
PyAPI_FUNC(void) _PyWidget_Internal(void);

#ifndef Py_LIMITED_API
static inline Py_ssize_t PyWidget_GET_SIZE(PyObject *op) {
    return Py_SIZE(op);
}
#else
PyAPI_FUNC(Py_ssize_t) PyWidget_Size(PyObject *op);
#endif

#ifdef __cplusplus
}
#endif
#endif
`;

function byName(declarations: HeaderDeclaration[]): Map<string, HeaderDeclaration> {
  return new Map(declarations.map((declaration) => [declaration.name, declaration]));
}

describe('parseHeader', () => {
  it('finds exported functions and variables, inline functions and public macros with their declarations', () => {
    const parsed = parseHeader(HEADER, 'Include/widget.h', parser);
    const found = byName(parsed.declarations);
    expect([...found.keys()].sort()).toEqual([
      'PyWidget_Check', 'PyWidget_Format', 'PyWidget_GET_SIZE', 'PyWidget_MAX', 'PyWidget_New', 'PyWidget_Old', 'PyWidget_Size', 'PyWidget_Take', 'PyWidget_Type',
    ]);
    expect(found.get('PyWidget_New')).toMatchObject({ kind: 'function', line: 15, returnType: 'PyObject *', params: [{ name: 'size', type: 'Py_ssize_t' }], conditions: [] });
    expect(found.get('PyWidget_Take')?.params).toEqual([{ name: 'widget', type: 'PyObject *' }, { name: 'out', type: 'PyObject **' }, { name: '...', type: '...' }]);
    expect(found.get('PyWidget_Type')).toMatchObject({ kind: 'data', returnType: 'PyTypeObject', params: null });
    expect(found.get('PyWidget_Check')).toMatchObject({ kind: 'macro', params: [{ name: 'op', type: '' }] });
    expect(found.get('PyWidget_MAX')).toMatchObject({ kind: 'macro', params: null });
  });

  it('reads through annotation macros, keeping the deprecation they mark', () => {
    const found = byName(parseHeader(HEADER, 'Include/widget.h', parser).declarations);
    expect(found.get('PyWidget_Format')).toMatchObject({ returnType: 'PyObject *', params: [{ name: 'format', type: 'const char *' }, { name: '...', type: '...' }], deprecated: null });
    expect(found.get('PyWidget_Old')).toMatchObject({ returnType: 'PyObject *', params: [{ name: '', type: 'PyObject *' }], deprecated: '3.12' });
  });

  it('records the conditions a declaration sits under, not include guards or the C++ wrapper', () => {
    const found = byName(parseHeader(HEADER, 'Include/widget.h', parser).declarations);
    expect(found.get('PyWidget_GET_SIZE')).toMatchObject({ kind: 'inline-function', returnType: 'Py_ssize_t', conditions: ['!defined(Py_LIMITED_API)'] });
    expect(found.get('PyWidget_Size')?.conditions).toEqual(['!(!defined(Py_LIMITED_API))']);
  });

  it('lists quoted includes as written and leaves out system headers and private names', () => {
    const parsed = parseHeader(HEADER, 'Include/widget.h', parser);
    expect(parsed.includes).toEqual(['cpython/widget.h']);
    expect(parsed.declarations.some((declaration) => declaration.name.startsWith('_'))).toBe(false);
  });

  it('reports what it cannot read instead of dropping it silently', () => {
    const parsed = parseHeader('PyAPI_FUNC(int) PyBroken_Call(int x;\nPyAPI_FUNC(int) PyFine_Call(int x);\n', 'Include/broken.h', parser);
    expect(parsed.unreadable.length).toBeGreaterThan(0);
  });
});

describeSnapshot('readHeaders on the real snapshot', () => {
  it('follows the includes of 3.13 from Python.h, resolving them beside the includer first', async () => {
    const set = (await readHeaders(openRoot(path.join(SNAPSHOT_DIR, '3.13', 'src'))))!;
    expect([...set.files].filter(([, file]) => file === null)).toEqual([]);
    expect(set.files.has('Include/cpython/pyatomic_gcc.h')).toBe(true);
    expect([...set.files.keys()].some((header) => header.includes('/internal/'))).toBe(false);
    const found = byName(set.declarations.filter((declaration) => declaration.kind !== 'macro'));
    expect(found.get('PyList_GetItem')).toMatchObject({ header: 'Include/listobject.h', returnType: 'PyObject *', params: [{ type: 'PyObject *' }, { type: 'Py_ssize_t' }] });
    expect(found.get('PyList_GetItemRef')?.conditions).toEqual(['!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030d0000']);
    expect(found.get('PyBytes_FromFormat')?.params?.at(-1)).toEqual({ name: '...', type: '...' });
    expect(found.get('Py_REFCNT')).toMatchObject({ kind: 'inline-function', returnType: 'Py_ssize_t', params: [{ name: 'ob', type: 'PyObject *' }] });
  });

  it('finds nearly every function the 3.13 docs document under a public name', async () => {
    const set = (await readHeaders(openRoot(path.join(SNAPSHOT_DIR, '3.13', 'src'))))!;
    const declared = new Set(set.declarations.map((declaration) => declaration.name));
    const documented = JSON.parse(readFileSync(path.join(VERSIONS_DIR, '3.13.json'), 'utf8')).apis as { name: string; kind: string }[];
    const missing = documented.filter((api) => api.kind === 'function' && !api.name.startsWith('_') && !declared.has(api.name)).map((api) => api.name);
    // The Py_mod_* slots are documented as function types, which no header declares under those names.
    expect(missing.sort()).toEqual(['Py_mod_create.create_module', 'Py_mod_exec.exec_module']);
  });
});

describe('declarations the parse loses', () => {
  let parser: Parser;
  beforeAll(async () => {
    parser = await loadCParser();
  });
  const BROKEN = ['#include "pyport.h"', 'PyAPI_FUNC(int) PyBroken_First(PyObject *o);', 'PyAPI_FUNC(int) PyBroken_Cut(PyObject *o, {', 'PyAPI_FUNC(PyObject *) PyBroken_After(int);', ''].join('\n');

  it('are listed with their line when a syntax error swallows them', () => {
    const parsed = parseHeader(BROKEN, 'Include/broken.h', parser);
    expect(parsed.lost.length).toBeGreaterThan(0);
    expect(parsed.lost.map((l) => l.name)).not.toContain('PyBroken_First');
    expect(parsed.lost.every((l) => l.line >= 3)).toBe(true);
  });

  it('leave out comments, #define bodies and what was read (near misses)', () => {
    const text = ['/* PyAPI_FUNC(int) PyInComment(void); */', '#define PY_OLD(f) PyAPI_FUNC(int) f(void)', 'PyAPI_FUNC(int) PyFine(PyObject *o);', 'PyAPI_DATA(int) (*PyHook)(void);', ''].join('\n');
    expect(parseHeader(text, 'Include/fine.h', parser).lost).toEqual([]);
  });

  it('stop readHeaders with the file and line, before anything is written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'headers-'));
    try {
      mkdirSync(path.join(dir, 'Include'));
      writeFileSync(path.join(dir, 'Include', 'Python.h'), BROKEN);
      await expect(readHeaders(openRoot(dir))).rejects.toThrow(/Include\/Python\.h:\d+.*the C parser lost it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
