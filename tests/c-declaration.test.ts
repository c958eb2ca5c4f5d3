import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isObjectPointer,
  isObjectPointerPointer,
  normaliseType,
  parseDeclaration,
  parseParam,
  type CParam,
} from '../scripts/lib/c-declaration.ts';
import { parseDocsPage, type DocsEntry } from '../scripts/sources/docs-html.ts';
import { describeSnapshot, SNAPSHOT_DIR } from './helpers/snapshot.ts';


describe('normaliseType', () => {
  it.each([
    ['PyObject*', 'PyObject *'],
    ['PyObject *', 'PyObject *'],
    ['PyObject  *', 'PyObject *'],
    ['PyObject**', 'PyObject **'],
    ['PyObject * *', 'PyObject **'],
    ['PyObject * const*', 'PyObject *const *'],
    ['PyObject *const *', 'PyObject *const *'],
    ['const char*', 'const char *'],
    ['  unsigned   long  long ', 'unsigned long long'],
    ['wchar_t *const*', 'wchar_t *const *'],
    ['int', 'int'],
    ['void (* )( PyObject*)', 'void (*)(PyObject *)'],
    ['int (*)(void*)', 'int (*)(void *)'],
    ['PyObject * (*)(void)', 'PyObject *(*)(void)'],
    ['int (*)(PyObject *, void *)', 'int (*)(PyObject *, void *)'],
    ['*', '*'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseType(input)).toBe(expected);
  });

  const typeText = fc
    .array(fc.constantFrom('PyObject', 'const', 'char', 'unsigned', 'long', 'Py_ssize_t', 'void', '*', '(', ')', ',', ' ', '  ', '\t'), { maxLength: 10 })
    .map((parts) => parts.join(''));

  it('property: idempotent, and changes only whitespace', () => {
    fc.assert(
      fc.property(typeText, (text) => {
        const once = normaliseType(text);
        expect(normaliseType(once)).toBe(once);
        expect(once.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s{2}|\* \*/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseParam', () => {
  it.each<[string, CParam]>([
    ['PyObject *o', { name: 'o', type: 'PyObject *' }],
    ['PyObject* o', { name: 'o', type: 'PyObject *' }],
    ['PyObject *   o', { name: 'o', type: 'PyObject *' }],
    ['PyObject **pvalue', { name: 'pvalue', type: 'PyObject **' }],
    ['Py_ssize_t len', { name: 'len', type: 'Py_ssize_t' }],
    ['const char *format', { name: 'format', type: 'const char *' }],
    ['unsigned long long value', { name: 'value', type: 'unsigned long long' }],
    ['struct _inittab *newtab', { name: 'newtab', type: 'struct _inittab *' }],
    ['PyObject *const *args', { name: 'args', type: 'PyObject *const *' }],
    ['const char *const *kwlist', { name: 'kwlist', type: 'const char *const *' }],
    ['wchar_t *const *argv', { name: 'argv', type: 'wchar_t *const *' }],
  ])('a named parameter: %j', (text, expected) => {
    expect(parseParam(text)).toEqual(expected);
  });

  it('varargs', () => {
    expect(parseParam('...')).toEqual({ name: '...', type: '...' });
  });

  it.each<[string, CParam]>([
    ['int (*visit)(PyObject *, void *)', { name: 'visit', type: 'int (*)(PyObject *, void *)' }],
    ['void (*func)()', { name: 'func', type: 'void (*)()' }],
    ['void (*func)(void *)', { name: 'func', type: 'void (*)(void *)' }],
    ['void (*)(void *)', { name: '', type: 'void (*)(void *)' }],
  ])('a function pointer: %j', (text, expected) => {
    expect(parseParam(text)).toEqual(expected);
  });

  it('a function pointer that returns an object is named, and is not an object pointer', () => {
    const param = parseParam('PyObject *(*initfunc)(void)');
    expect(param.name).toBe('initfunc');
    expect(param.type.replace(/\s/g, '')).toBe('PyObject*(*)(void)');
    expect(isObjectPointer(param.type)).toBe(false);
    expect(isObjectPointerPointer(param.type)).toBe(false);
  });

  // normaliseType now spells function-pointer types ('void (* )( PyObject*)' → 'void (*)(PyObject *)') so that
  // refcounts.dat's types and the docs' compare equal, but parseParam builds a function pointer's type itself and only
  // collapses the whitespace of its parameter list: the docs' 'int (*func)(void*)' (Py_AddPendingCall) comes out
  // 'int (*)(void*)' and 'PyObject *(*initfunc)(void)' (PyImport_AppendInittab) 'PyObject * (*)(void)'.
  it.each<[string, CParam]>([
    ['int (*func)(void*)', { name: 'func', type: 'int (*)(void *)' }],
    ['PyObject *(*initfunc)(void)', { name: 'initfunc', type: 'PyObject *(*)(void)' }],
    ['int ( * func ) ( void * )', { name: 'func', type: 'int (*)(void *)' }],
  ])('a function pointer’s type is spelled as normaliseType spells it: %j', (text, expected) => {
    expect(parseParam(text)).toEqual(expected);
  });

  it.each<[string, CParam]>([
    ['char *keywords[]', { name: 'keywords', type: 'char *[]' }],
    ['int counts[4]', { name: 'counts', type: 'int[4]' }],
    ['PyObject *stack [ ]', { name: 'stack', type: 'PyObject *[ ]' }],
  ])('an array: %j', (text, expected) => {
    expect(parseParam(text)).toEqual(expected);
  });

  it.each<[string, CParam]>([
    ['PyObject*', { name: '', type: 'PyObject *' }],
    ['PyObject *', { name: '', type: 'PyObject *' }],
    ['const wchar_t*', { name: '', type: 'const wchar_t *' }],
    ['char *[]', { name: '', type: 'char *[]' }],
    ['int', { name: '', type: 'int' }],
    ['unsigned int', { name: '', type: 'unsigned int' }],
    ['long long', { name: '', type: 'long long' }],
    ['Py_ssize_t', { name: '', type: 'Py_ssize_t' }],
    ['size_t', { name: '', type: 'size_t' }],
    ['PyGILState_STATE', { name: '', type: 'PyGILState_STATE' }],
    ['PyObject', { name: '', type: 'PyObject' }],
    ['void', { name: '', type: 'void' }],
  ])('an unnamed parameter (a bare type): %j', (text, expected) => {
    expect(parseParam(text)).toEqual(expected);
  });

  it.each(['ob', 'op', 'o', 'TYPE', 'typeobj', 'macro', 'x_1'])('an untyped macro parameter: %j', (text) => {
    expect(parseParam(text)).toEqual({ name: text, type: '' });
  });

  const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/).filter((s) => !['const', 'int', 'long', 'char', 'void', 'short', 'signed', 'unsigned', 'float', 'double', 'struct', 'union', 'enum', 'volatile', 'size_t', 'wchar_t', 'va_list'].includes(s));
  const baseType = fc.constantFrom('PyObject', 'PyTypeObject', 'Py_ssize_t', 'int', 'const char', 'unsigned long', 'void', 'struct _frame', 'wchar_t');
  const stars = fc.constantFrom('', '*', '**', '*const *');

  it('property: "<type> <name>" in any spacing gives the name and the normalised type', () => {
    fc.assert(
      fc.property(baseType, stars, identifier, fc.constantFrom(' ', '  ', ''), (base, pointer, name, gap) => {
        const declared = pointer === '' ? `${base} ${name}` : `${base}${gap}${pointer}${gap === '' ? ' ' : gap}${name}`;
        const type = normaliseType(pointer === '' ? base : `${base} ${pointer}`);
        expect(parseParam(declared)).toEqual({ name, type });
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseDeclaration', () => {
  it('a function: return type and parameters', () => {
    expect(parseDeclaration('PyObject *PyGadget_GetItem(PyObject *gadget, Py_ssize_t index)', 'PyGadget_GetItem')).toEqual({
      returnType: 'PyObject *',
      params: [
        { name: 'gadget', type: 'PyObject *' },
        { name: 'index', type: 'Py_ssize_t' },
      ],
    });
  });

  it('(void) and () are no parameters', () => {
    expect(parseDeclaration('void PyGadget_Reset(void)', 'PyGadget_Reset')).toEqual({ returnType: 'void', params: [] });
    expect(parseDeclaration('int PyGadget_Count()', 'PyGadget_Count')).toEqual({ returnType: 'int', params: [] });
    expect(parseDeclaration('int PyGadget_Count( void )', 'PyGadget_Count')).toEqual({ returnType: 'int', params: [] });
  });

  it('varargs is a parameter', () => {
    expect(parseDeclaration('PyObject *PyGadget_Format(PyObject *kind, const char *format, ...)', 'PyGadget_Format').params).toEqual([
      { name: 'kind', type: 'PyObject *' },
      { name: 'format', type: 'const char *' },
      { name: '...', type: '...' },
    ]);
  });

  it('commas inside a function-pointer parameter do not split it', () => {
    expect(parseDeclaration('int PyGadget_Visit(PyObject *g, int (*visit)(PyObject *, void *), void *arg)', 'PyGadget_Visit').params).toEqual([
      { name: 'g', type: 'PyObject *' },
      { name: 'visit', type: 'int (*)(PyObject *, void *)' },
      { name: 'arg', type: 'void *' },
    ]);
  });

  it('arrays and const pointer arrays', () => {
    expect(
      parseDeclaration('int PyGadget_Parse(PyObject *args, const char *format, char *keywords[], ...)', 'PyGadget_Parse').params,
    ).toEqual([
      { name: 'args', type: 'PyObject *' },
      { name: 'format', type: 'const char *' },
      { name: 'keywords', type: 'char *[]' },
      { name: '...', type: '...' },
    ]);
    expect(parseDeclaration('PyObject *PyGadget_Call(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)', 'PyGadget_Call').params).toEqual([
      { name: 'callable', type: 'PyObject *' },
      { name: 'args', type: 'PyObject *const *' },
      { name: 'nargsf', type: 'size_t' },
      { name: 'kwnames', type: 'PyObject *' },
    ]);
  });

  it('unnamed parameters', () => {
    expect(parseDeclaration('int PyGadget_Check(PyObject*)', 'PyGadget_Check').params).toEqual([{ name: '', type: 'PyObject *' }]);
    expect(parseDeclaration('void PyGadget_Release(PyGadget_STATE)', 'PyGadget_Release').params).toEqual([{ name: '', type: 'PyGadget_STATE' }]);
    expect(parseDeclaration('void PyGadget_SetPath(const wchar_t*, int)', 'PyGadget_SetPath').params).toEqual([
      { name: '', type: 'const wchar_t *' },
      { name: '', type: 'int' },
    ]);
  });

  it('macros with untyped parameters: an empty return type when none is shown', () => {
    expect(parseDeclaration('PyGadget_NEW(TYPE, typeobj)', 'PyGadget_NEW')).toEqual({
      returnType: '',
      params: [
        { name: 'TYPE', type: '' },
        { name: 'typeobj', type: '' },
      ],
    });
    expect(parseDeclaration('int PyGadget_Check(ob)', 'PyGadget_Check')).toEqual({ returnType: 'int', params: [{ name: 'ob', type: '' }] });
    expect(parseDeclaration('TYPE *PyGadget_New(TYPE, PyTypeObject *type)', 'PyGadget_New')).toEqual({
      returnType: 'TYPE *',
      params: [
        { name: 'TYPE', type: '' },
        { name: 'type', type: 'PyTypeObject *' },
      ],
    });
  });

  it('object-like macros, variables, types and members have no parameter list: nulls', () => {
    for (const [signature, name] of [
      ['PyGadget_MAXSIZE', 'PyGadget_MAXSIZE'],
      ['PyTypeObject PyGadget_Type', 'PyGadget_Type'],
      ['PyObject *PyExc_GadgetError', 'PyExc_GadgetError'],
      ['type PyGadgetObject', 'PyGadgetObject'],
      ['struct PyGadgetDef', 'PyGadgetDef'],
      ['enumerator PyGadget_ON', 'PyGadget_ON'],
      ['const char *gd_name', 'gd_name'],
      ['int gd_flags', 'gd_flags'],
    ]) {
      expect(parseDeclaration(signature!, name!), signature).toEqual({ returnType: null, params: null });
    }
  });

  it('a member that is a function pointer has no parameter list of its own', () => {
    expect(parseDeclaration('PyObject *(*gd_init)(void)', 'gd_init')).toEqual({ returnType: null, params: null });
  });

  it('gives nulls when the name is not in the signature', () => {
    expect(parseDeclaration('int PyGadget_Count(void)', 'PyGadget_Other')).toEqual({ returnType: null, params: null });
    expect(parseDeclaration('', 'PyGadget_Count')).toEqual({ returnType: null, params: null });
  });

  it('matches the whole name, not a prefix or suffix of a longer one', () => {
    expect(parseDeclaration('PyObject *PyGadget_GetItemRef(PyObject *gadget, Py_ssize_t index)', 'PyGadget_GetItem')).toEqual({ returnType: null, params: null });
    expect(parseDeclaration('PyObject *_PyGadget_New(Py_ssize_t size)', 'PyGadget_New')).toEqual({ returnType: null, params: null });
    expect(parseDeclaration('PyGadgetState *PyGadget(PyGadgetState *state)', 'PyGadget')).toEqual({
      returnType: 'PyGadgetState *',
      params: [{ name: 'state', type: 'PyGadgetState *' }],
    });
    expect(parseDeclaration('int Py_Gadget(PyObject *Py_Gadget_arg)', 'Py_Gadget').params).toEqual([{ name: 'Py_Gadget_arg', type: 'PyObject *' }]);
  });

  it('spaces the return type as the docs do', () => {
    expect(parseDeclaration('PyObject* PyGadget_New(Py_ssize_t size)', 'PyGadget_New').returnType).toBe('PyObject *');
    expect(parseDeclaration('const char  *PyGadget_Name(PyObject *g)', 'PyGadget_Name').returnType).toBe('const char *');
  });

  // The 3.9 docs render Py_AddPendingCall with a trailing comma before the closing parenthesis (the HTML itself has
  // `void *<em>arg</em>, <span class="sig-paren">)</span>`). The function has two parameters; the empty text after the
  // comma must not become a third, nameless and typeless one (data/versions/3.9.json has it, with ownership unknown).
  it('ignores an empty parameter after a trailing comma', () => {
    expect(parseDeclaration('int Py_AddPendingCall(int (*func)(void*), void *arg,)', 'Py_AddPendingCall').params).toEqual([
      { name: 'func', type: 'int (*)(void *)' },
      { name: 'arg', type: 'void *' },
    ]);
  });

  const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((s) => !['int', 'long', 'char', 'void', 'const', 'short', 'float', 'double', 'struct', 'union', 'enum', 'signed', 'unsigned', 'volatile'].includes(s));
  const paramType = fc.constantFrom('PyObject *', 'PyObject **', 'Py_ssize_t', 'int', 'const char *', 'PyObject *const *', 'unsigned long', 'void *');

  it('property: a declaration built from parts parses back to those parts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('PyObject *', 'int', 'void', 'Py_ssize_t', 'const char *', 'PyTypeObject *'),
        fc.stringMatching(/^Py[A-Z][A-Za-z]{0,6}_[A-Z][A-Za-z]{0,8}$/),
        fc.uniqueArray(fc.record({ name: identifier, type: paramType }), { selector: (p) => p.name, maxLength: 5 }),
        fc.boolean(),
        (returnType, name, params, variadic) => {
          const all = variadic && params.length > 0 ? [...params, { name: '...', type: '...' }] : params;
          const text = (p: CParam): string => (p.name === '...' ? '...' : p.type.endsWith('*') ? `${p.type}${p.name}` : `${p.type} ${p.name}`);
          const head = returnType.endsWith('*') ? `${returnType}${name}` : `${returnType} ${name}`;
          const signature = `${head}(${all.length === 0 ? 'void' : all.map(text).join(', ')})`;
          expect(parseDeclaration(signature, name)).toEqual({ returnType, params: all });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('isObjectPointer / isObjectPointerPointer', () => {
  it.each([
    ['PyObject *', true, false],
    ['PyObject*', true, false],
    ['const PyObject *', true, false],
    ['PyTypeObject *', true, false],
    ['PyCodeObject *', true, false],
    ['PyVarObject *', true, false],
    ['TYPE *', true, false],
    ['TYPE**', false, true],
    ['TYPEOBJ *', false, false],
    ['PyObject **', false, true],
    ['PyObject * *', false, true],
    ['PyTypeObject **', false, true],
    ['PyObject *const *', false, false],
    ['PyObject', false, false],
    ['PyObject ***', false, false],
    ['PyMethodDef *', false, false],
    ['PyThreadState *', false, false],
    ['Py_buffer *', false, false],
    ['void *', false, false],
    ['const char *', false, false],
    ['int (*)(PyObject *, void *)', false, false],
    ['PyObject *(*)(void)', false, false],
    ['', false, false],
    ['...', false, false],
  ])('%j: object pointer %s, pointer to object pointer %s', (type, pointer, pointerPointer) => {
    expect(isObjectPointer(type)).toBe(pointer);
    expect(isObjectPointerPointer(type)).toBe(pointerPointer);
  });
});

// ---------------------------------------------------------------------------

describeSnapshot('parseDeclaration on the real pages', () => {
  const VERSIONS = ['3.9', '3.11', '3.13', '3.14', '3.15'];
  const cache = new Map<string, { file: string; entry: DocsEntry }[]>();

  function entries(version: string): { file: string; entry: DocsEntry }[] {
    let found = cache.get(version);
    if (!found) {
      const dir = path.join(SNAPSHOT_DIR, version, 'docs/c-api');
      found = readdirSync(dir)
        .filter((name) => name.endsWith('.html'))
        .sort()
        .flatMap((name) => parseDocsPage(readFileSync(path.join(dir, name), 'utf8'), name).entries.map((entry) => ({ file: name, entry })));
      cache.set(version, found);
    }
    return found;
  }

  /** The declared name: a nested object's last component (Py_mod_create.create_module is declared as create_module). */
  const leaf = (entry: DocsEntry): string => entry.name.split('.').at(-1)!;

  const FUNCTIONS: Record<string, number> = { '3.9': 962, '3.11': 997, '3.13': 1198, '3.14': 1287, '3.15': 1352 };

  it.each(VERSIONS)('%s: every function entry has a parameter list', (version) => {
    const functions = entries(version).filter(({ entry }) => entry.kind === 'function');
    const unparsed = functions
      .filter(({ entry }) => parseDeclaration(entry.signature, leaf(entry)).params === null)
      .map(({ file, entry }) => `${file} ${entry.name}: ${entry.signature}`);
    expect(unparsed).toEqual([]);
    expect(functions.length).toBe(FUNCTIONS[version]);
  });

  it.each(VERSIONS)('%s: no function or macro parameter is both nameless and typeless', (version) => {
    const empty = entries(version)
      .filter(({ entry }) => entry.kind === 'function' || entry.kind === 'macro')
      .filter(({ entry }) => (parseDeclaration(entry.signature, leaf(entry)).params ?? []).some((p) => p.name === '' && p.type === ''))
      .map(({ file, entry }) => `${file} ${entry.name}: ${entry.signature}`);
    expect(empty).toEqual([]);
  });

  it.each(VERSIONS)('%s: every parsed parameter is a named or typed, trimmed piece of its signature', (version) => {
    for (const { file, entry } of entries(version)) {
      if (entry.kind !== 'function' && entry.kind !== 'macro') continue;
      const declaration = parseDeclaration(entry.signature, leaf(entry));
      if (declaration.params === null) continue;
      expect(declaration.returnType, `${file} ${entry.name}`).not.toBeNull();
      for (const param of declaration.params) {
        if (param.name === '' && param.type === '') continue; // reported by the test above
        expect(param.name).toBe(param.name.trim());
        expect(param.type).toBe(param.type.trim());
        if (param.name !== '') {
          expect(param.name, `${file} ${entry.name}`).toMatch(/^([A-Za-z_]\w*|\.\.\.)$/);
          expect(entry.signature).toContain(param.name);
        }
      }
    }
  });

  // See 'a function pointer’s type is spelled as normaliseType spells it' above: the real signatures with
  // function-pointer parameters whose type is not in normaliseType's spelling.
  it('every parameter type of every version is spelled as normaliseType spells it', () => {
    const notNormal = new Set<string>();
    for (const version of VERSIONS) {
      for (const { file, entry } of entries(version)) {
        if (entry.kind !== 'function' && entry.kind !== 'macro') continue;
        for (const param of parseDeclaration(entry.signature, leaf(entry)).params ?? []) {
          if (param.type !== '...' && param.type !== normaliseType(param.type)) notNormal.add(`${file} ${entry.name}: ${JSON.stringify(param.type)}`);
        }
      }
    }
    expect([...notNormal].sort()).toEqual([]);
  });
});
