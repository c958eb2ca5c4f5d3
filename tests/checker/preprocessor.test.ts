import { describe, expect, it } from 'vitest';
import { assertArgumentRanges, blankInactiveBranches, type PreprocessorTarget } from '../../packages/capi-refs/src/analysis/preprocessor.ts';

const PY39: PreprocessorTarget = { python: '3.9', limitedApi: null, gilDisabled: false };
const PY311: PreprocessorTarget = { python: '3.11', limitedApi: null, gilDisabled: false };
const PY313: PreprocessorTarget = { python: '3.13', limitedApi: null, gilDisabled: false };

/** The non-blank lines of the output, trimmed: what the checker still sees. */
function kept(source: string, target: PreprocessorTarget): string[] {
  return blankInactiveBranches(source, target)
    .text.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function newlineOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i);
  return offsets;
}

describe('blankInactiveBranches: Python version tests', () => {
  const py2Compat = [
    '#if PY_MAJOR_VERSION < 3',
    '    result = PyString_FromString(s);',
    '#else',
    '    result = PyUnicode_FromString(s);',
    '#endif',
  ].join('\n');

  it('blanks a Python 2 branch and the directives of the decided group', () => {
    expect(kept(py2Compat, PY39)).toEqual(['result = PyUnicode_FromString(s);']);
    expect(kept(py2Compat, PY313)).toEqual(['result = PyUnicode_FromString(s);']);
  });

  const dictGetItemRef = [
    'static PyObject *get(PyObject *d, PyObject *k) {',
    '    PyObject *v;',
    '#if PY_VERSION_HEX >= 0x030D0000',
    '    if (PyDict_GetItemRef(d, k, &v) < 0) return NULL;',
    '#else',
    '    v = Py_XNewRef(PyDict_GetItemWithError(d, k));',
    '#endif',
    '    return v;',
    '}',
  ].join('\n');

  it('keeps a PY_VERSION_HEX >= 3.13 branch for 3.13 and blanks it for 3.11', () => {
    const for313 = kept(dictGetItemRef, PY313);
    expect(for313).toContain('if (PyDict_GetItemRef(d, k, &v) < 0) return NULL;');
    expect(for313.join('\n')).not.toContain('PyDict_GetItemWithError');
    expect(for313.join('\n')).not.toContain('#');
    const for311 = kept(dictGetItemRef, PY311);
    expect(for311).toContain('v = Py_XNewRef(PyDict_GetItemWithError(d, k));');
    expect(for311.join('\n')).not.toContain('PyDict_GetItemRef');
  });

  it('takes the target as the final releases of its minor version', () => {
    const test = (condition: string, target: PreprocessorTarget): string[] =>
      kept(`#if ${condition}\nyes();\n#else\nno();\n#endif`, target);
    // Tests against 3.13's pre-releases hold for every 3.13 release.
    expect(test('PY_VERSION_HEX >= 0x030D00A4', PY313)).toEqual(['yes();']);
    expect(test('PY_VERSION_HEX >= 0x030D00F0', PY313)).toEqual(['yes();']);
    expect(test('PY_VERSION_HEX < 0x030D0000', PY313)).toEqual(['no();']);
    expect(test('PY_VERSION_HEX >= 0x030E0000', PY313)).toEqual(['no();']);
    expect(test('PY_VERSION_HEX >= 0x03090000 && PY_VERSION_HEX < 0x030C0000', PY311)).toEqual(['yes();']);
    expect(test('PY_MAJOR_VERSION == 3 && PY_MINOR_VERSION >= 12', PY311)).toEqual(['no();']);
    expect(test('(PY_VERSION_HEX >> 16) == 0x0309', PY39)).toEqual(['yes();']);
  });

  it('leaves a comparison with a patch level undecided, keeping both branches and the directives', () => {
    const source = '#if PY_VERSION_HEX >= 0x030D0200\nyes();\n#else\nno();\n#endif';
    expect(kept(source, PY313)).toEqual(source.split('\n'));
    expect(blankInactiveBranches(source, PY313).inactiveRanges).toEqual([]);
    // A patch level below or above the whole minor is still decided.
    expect(kept('#if PY_VERSION_HEX >= 0x030C0500\nyes();\n#endif', PY313)).toEqual(['yes();']);
    // A target with a micro version decides it.
    expect(kept(source, { ...PY313, python: '3.13.2' })).toEqual(['yes();']);
    expect(kept(source, { ...PY313, python: '3.13.1' })).toEqual(['no();']);
  });
});

describe('blankInactiveBranches: Limited API, free threading, unknown macros', () => {
  const limited = ['#ifdef Py_LIMITED_API', 'limited();', '#else', 'full();', '#endif'].join('\n');

  it('decides #ifdef Py_LIMITED_API from the target', () => {
    expect(kept(limited, PY313)).toEqual(['full();']);
    expect(kept(limited, { ...PY313, limitedApi: '3.10' })).toEqual(['limited();']);
  });

  it('evaluates the Py_LIMITED_API+0 idiom', () => {
    const source = '#if defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030A0000\nnew_api();\n#else\nold_api();\n#endif';
    expect(kept(source, { ...PY313, limitedApi: '3.10' })).toEqual(['new_api();']);
    expect(kept(source, { ...PY313, limitedApi: '3.9' })).toEqual(['old_api();']);
    expect(kept(source, PY313)).toEqual(['old_api();']);
    expect(kept('#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030D0000\nref();\n#endif', PY313)).toEqual(['ref();']);
  });

  it('lets a file define the Limited API itself', () => {
    const source = '#define Py_LIMITED_API 0x030B0000\n#ifdef Py_LIMITED_API\nlimited();\n#endif';
    expect(kept(source, PY313)).toEqual(['#define Py_LIMITED_API 0x030B0000', 'limited();']);
  });

  it('decides Py_GIL_DISABLED', () => {
    const source = '#ifdef Py_GIL_DISABLED\nfree_threaded();\n#else\ngil();\n#endif';
    expect(kept(source, PY313)).toEqual(['gil();']);
    expect(kept(source, { ...PY313, gilDisabled: true })).toEqual(['free_threaded();']);
  });

  it('keeps both branches of a macro it cannot know, and every directive', () => {
    for (const head of ['#ifdef UNKNOWN_MACRO', '#if defined(Py_DEBUG)', '#ifndef PY_SSIZE_T_CLEAN', '#if _MSC_VER >= 1900', '#if __has_include(<Python.h>)']) {
      const source = `${head}\na();\n#else\nb();\n#endif`;
      expect(kept(source, PY313), head).toEqual(source.split('\n'));
    }
  });

  it('still decides a condition whose unknown part does not matter', () => {
    expect(kept('#if defined(Py_DEBUG) && PY_MAJOR_VERSION < 3\na();\n#endif\nb();', PY313)).toEqual(['b();']);
    expect(kept('#if defined(Py_DEBUG) || PY_MAJOR_VERSION >= 3\na();\n#endif', PY313)).toEqual(['a();']);
    expect(kept('#if defined(Py_DEBUG) || PY_MAJOR_VERSION < 3\na();\n#endif', PY313)).toEqual(['#if defined(Py_DEBUG) || PY_MAJOR_VERSION < 3', 'a();', '#endif']);
  });

  it('treats syntax errors and function-like macros as unknown', () => {
    for (const condition of ['PY_MAJOR_VERSION <', '(1', '1 2', 'MACRO(x) > 3', '1 ? 2', '1.5 > 1', '"s"']) {
      const source = `#if ${condition}\na();\n#endif`;
      expect(kept(source, PY313), condition).toEqual(source.split('\n'));
    }
  });
});

describe('blankInactiveBranches: C preprocessor expressions', () => {
  const decides = (condition: string, expected: boolean): void => {
    const result = kept(`#if ${condition}\nyes();\n#else\nno();\n#endif`, PY313);
    expect(result, condition).toEqual([expected ? 'yes();' : 'no();']);
  };

  it('follows C operators, precedence and integer types', () => {
    decides('1 + 2 * 3 == 7', true);
    decides('(1 + 2) * 3 == 9', true);
    decides('1 << 4 | 1 == 17', true); // == binds tighter than |: 16 | (1 == 17)
    decides('(1 << 4 | 1) == 17', true);
    decides('10 / 3 == 3 && 10 % 3 == 1 && -7 / 2 == -3', true);
    decides('~0 == -1 && !0 && !!5 == 1 && -(-3) == +3', true);
    decides('0x10 == 16 && 010 == 8 && 0b101 == 5 && 100UL == 100', true);
    decides('-1 < 0', true);
    decides('-1 < 0U', false); // -1 becomes UINTMAX_MAX
    decides('1 ? 2 : 0', true);
    decides('0 ? 1 : 0 ? 1 : 0', false);
    decides('1 ? 0 ? 1 : 0 : 1', false);
    decides('(5 & 3) == 1 && (5 ^ 3) == 6 && 5 >= 5 && 4 <= 3 == 0 && 2 != 2 == 0', true);
    decides('0 && 1 / 0', false); // the unevaluated division is no error
    decides('0U - 1 == 0xFFFFFFFFFFFFFFFF', true); // unsigned arithmetic wraps
  });

  it('leaves undecided what C leaves undefined or what depends on the compiler', () => {
    for (const condition of ['0x7FFFFFFFFFFFFFFF + 1 > 0', '1 / 0', "'A' == 65", '1 << 64', 'defined __cplusplus']) {
      const source = `#if ${condition}\na();\n#endif`;
      expect(kept(source, PY313), condition).toEqual(source.split('\n'));
    }
  });

  it('accepts directives written with spaces, continuations and comments', () => {
    const source = [
      '#  if PY_MAJOR_VERSION >= 3 /* Python 3 */ && \\',
      '     PY_MINOR_VERSION >= 14 // new enough',
      'py314();',
      '#   else',
      'older();',
      '# endif /* PY_MAJOR_VERSION */',
    ].join('\n');
    expect(kept(source, PY313)).toEqual(['older();']);
    expect(kept(source, { ...PY313, python: '3.14' })).toEqual(['py314();']);
  });

  it('does not take a # inside a comment or a string for a directive', () => {
    const source = ['/*', '#if 0', '*/', 'const char *s = "\\', '#if 0";', 'kept();', '#if 0', 'gone();', '#endif'].join('\n');
    expect(kept(source, PY313)).toEqual(['/*', '#if 0', '*/', 'const char *s = "\\', '#if 0";', 'kept();']);
  });

  it('takes a # for a directive after a comment or a line splice, not after code', () => {
    // The groups go with their directives' whole lines: the comment before one, the splice joining the other's.
    const source = ['/* c */ #if 0', 'after_comment();', '#endif', '\\', '#if 0', 'after_splice();', '#endif', 'x = a / b; #if 0', 'after_code();'].join('\n');
    expect(kept(source, PY313)).toEqual(['x = a / b; #if 0', 'after_code();']);
  });
});

describe('blankInactiveBranches: groups', () => {
  it('nests groups: a group inside a blanked branch is blanked whatever it says', () => {
    const source = [
      '#if PY_MAJOR_VERSION < 3',
      '#  if 1',
      'py2_only();',
      '#  endif',
      '#else',
      '#  if PY_VERSION_HEX >= 0x030B0000',
      'py311();',
      '#  else',
      'py3_old();',
      '#  endif',
      '#endif',
    ].join('\n');
    expect(kept(source, PY313)).toEqual(['py311();']);
    expect(kept(source, PY39)).toEqual(['py3_old();']);
  });

  it('decides groups nested in an undecided branch', () => {
    const source = ['#ifdef MS_WINDOWS', '#if PY_MAJOR_VERSION < 3', 'py2_windows();', '#endif', 'windows();', '#endif'].join('\n');
    expect(kept(source, PY313)).toEqual(['#ifdef MS_WINDOWS', 'windows();', '#endif']);
  });

  it('follows #elif chains', () => {
    const source = [
      '#if PY_VERSION_HEX >= 0x030D0000',
      'py313();',
      '#elif PY_VERSION_HEX >= 0x030B0000',
      'py311();',
      '#elif PY_VERSION_HEX >= 0x03090000',
      'py39();',
      '#else',
      'older();',
      '#endif',
    ].join('\n');
    expect(kept(source, PY313)).toEqual(['py313();']);
    expect(kept(source, { ...PY313, python: '3.12' })).toEqual(['py311();']);
    expect(kept(source, PY311)).toEqual(['py311();']);
    expect(kept(source, PY39)).toEqual(['py39();']);
    expect(kept(source, { ...PY313, python: '3.8' })).toEqual(['older();']);
  });

  it('blanks what it can in a chain with an undecided condition, and keeps the directives', () => {
    const source = ['#ifdef UNKNOWN', 'a();', '#elif PY_MAJOR_VERSION < 3', 'b();', '#elifdef Py_GIL_DISABLED', 'c();', '#else', 'd();', '#endif'].join('\n');
    expect(kept(source, PY313)).toEqual(['#ifdef UNKNOWN', 'a();', '#elif PY_MAJOR_VERSION < 3', '#elifdef Py_GIL_DISABLED', '#else', 'd();', '#endif']);
  });

  it('does not evaluate conditions after a branch that is certainly taken', () => {
    expect(kept('#if 1\na();\n#elif UNKNOWN\nb();\n#else\nc();\n#endif', PY313)).toEqual(['a();']);
  });
});

describe('blankInactiveBranches: macros the file defines', () => {
  it('knows the IS_PY3K idiom', () => {
    const source = [
      '#if PY_MAJOR_VERSION >= 3',
      '#define IS_PY3K',
      '#endif',
      '#ifdef IS_PY3K',
      'py3();',
      '#else',
      'py2();',
      '#endif',
      '#if IS_PY3K',
      'also_py3();',
      '#endif',
    ].join('\n');
    expect(kept(source, PY39)).toEqual(['#define IS_PY3K', 'py3();', 'also_py3();']);
  });

  it('evaluates a macro body over known names', () => {
    const source = '#define PY3 (PY_MAJOR_VERSION >= 3)\n#define HAS_REF (PY_VERSION_HEX >= 0x030D0000)\n#if PY3 && !HAS_REF\nold();\n#endif';
    expect(kept(source, PY311)).toContain('old();');
    expect(kept(source, PY313)).not.toContain('old();');
  });

  it('forgets a macro after #undef, a define in an undecided branch, or a change to what its body used', () => {
    expect(kept('#define FLAG 1\n#undef FLAG\n#ifdef FLAG\nx();\n#endif\ny();', PY313)).toEqual(['#define FLAG 1', '#undef FLAG', 'y();']);
    const undecided = '#ifdef UNKNOWN\n#define FLAG 1\n#endif\n#ifdef FLAG\nx();\n#endif';
    expect(kept(undecided, PY313)).toContain('#ifdef FLAG');
    const stale = '#define BASE 1\n#define DERIVED (BASE + 1)\n#undef BASE\n#define BASE 5\n#if DERIVED == 2\nx();\n#endif';
    expect(kept(stale, PY313)).toContain('#if DERIVED == 2');
  });

  it('ignores defines in blanked branches', () => {
    expect(kept('#if 0\n#define FLAG\n#endif\n#ifndef FLAG\nx();\n#endif', PY313)).toEqual(['#ifndef FLAG', 'x();', '#endif']);
  });
});

describe('blankInactiveBranches: positions', () => {
  it('keeps the length, every newline and every kept character in place', () => {
    const source = [
      '#include <Python.h>\r',
      '#if PY_MAJOR_VERSION < 3 \\',
      '    || defined(FORCE_PY2)\r',
      'static int py2 = 1;\t// "quoted"',
      '#endif\r',
      'static int after = 2;',
    ].join('\n');
    const { text, inactiveRanges } = blankInactiveBranches(source, PY313);
    expect(text.length).toBe(source.length);
    expect(newlineOffsets(text)).toEqual(newlineOffsets(source));
    expect([...text.matchAll(/\r/g)].map((m) => m.index)).toEqual([...source.matchAll(/\r/g)].map((m) => m.index));
    // The whole group is undecided (FORCE_PY2 is unknown): nothing is blanked.
    expect(inactiveRanges).toEqual([]);
    const py2Only = source.replace(' \\\n    || defined(FORCE_PY2)', '');
    const blanked = blankInactiveBranches(py2Only, PY313);
    expect(blanked.text.length).toBe(py2Only.length);
    expect(newlineOffsets(blanked.text)).toEqual(newlineOffsets(py2Only));
    expect(blanked.text.indexOf('static int after = 2;')).toBe(py2Only.indexOf('static int after = 2;'));
    expect(blanked.text.startsWith('#include <Python.h>\r\n')).toBe(true);
    for (const [start, end] of blanked.inactiveRanges) expect(blanked.text.slice(start, end).trim()).toBe('');
    // Outside the ranges, the text is the source.
    let outside = '';
    let from = 0;
    for (const [start, end] of blanked.inactiveRanges) {
      outside += py2Only.slice(from, start);
      expect(blanked.text.slice(from, start)).toBe(py2Only.slice(from, start));
      from = end;
    }
    expect(outside).toContain('#include <Python.h>');
  });
});

describe('blankInactiveBranches: large inputs', () => {
  it('evaluates a #if with 200k nested parentheses without recursion', () => {
    const depth = 200_000;
    const condition = `${'('.repeat(depth)}PY_MAJOR_VERSION < 3${')'.repeat(depth)}`;
    expect(kept(`#if ${condition}\npy2();\n#else\npy3();\n#endif`, PY313)).toEqual(['py3();']);
    const unbalanced = `#if ${'('.repeat(depth)}1\nx();\n#endif`;
    expect(kept(unbalanced, PY313)).toContain('x();');
  });

  it('handles a 5 MB file', () => {
    const unit = [
      '#if PY_MAJOR_VERSION < 3',
      'static PyObject *f(void) { return PyString_FromString("x"); }',
      '#else',
      'static PyObject *f(void) { return PyUnicode_FromString("x"); } /* # not a directive */',
      '#endif',
      '',
    ].join('\n');
    const source = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
    const { text, inactiveRanges } = blankInactiveBranches(source, PY313);
    expect(text.length).toBe(source.length);
    expect(text.includes('PyString_FromString')).toBe(false);
    expect(inactiveRanges.length).toBeGreaterThan(1000);
    expect(assertArgumentRanges(source)).toEqual([]);
  });
});

describe('assertArgumentRanges', () => {
  const argumentsOf = (source: string): string[] => assertArgumentRanges(source).map(([start, end]) => source.slice(start, end));

  it('finds the argument lists of assert and its CPython variants', () => {
    const source = [
      'assert(PyList_Check(list));',
      'assert (Py_REFCNT(o) == 1);',
      '_PyObject_ASSERT(op, PyTuple_GET_SIZE(op) > 0);',
      '_PyObject_ASSERT_WITH_MSG(op, f(g(x)), "msg (with parens");',
    ].join('\n');
    expect(argumentsOf(source)).toEqual(['PyList_Check(list)', 'Py_REFCNT(o) == 1', 'op, PyTuple_GET_SIZE(op) > 0', 'op, f(g(x)), "msg (with parens"']);
  });

  it('skips comments, strings, character literals and other identifiers', () => {
    const source = [
      '/* assert(in_comment) */',
      '// assert(line_comment)',
      'puts("assert(in_string)");',
      "char c = ')'; my_assert(x); assertion(y); $assert(z); x = a/b/assert_not(w);",
      "assert(c != ')' && s[0] != '(');",
      'assert(/* ) */ ok);',
    ].join('\n');
    expect(argumentsOf(source)).toEqual(["c != ')' && s[0] != '('", '/* ) */ ok']);
    // The scan's other stops: a division is no comment, and what follows it is still read.
    expect(argumentsOf('n = a / b; static_assert(sizeof(int) == 4, "int");')).toEqual(['sizeof(int) == 4, "int"']);
  });

  it('does not list nested asserts apart and stops at an unclosed one', () => {
    expect(argumentsOf('assert(a && (assert(b), 1)); assert(c);')).toEqual(['a && (assert(b), 1)', 'c']);
    expect(argumentsOf('assert(d); assert((e);')).toEqual(['d']);
  });

  it('handles deep nesting in linear time', () => {
    const depth = 200_000;
    const source = `assert(${'('.repeat(depth)}x${')'.repeat(depth)});`;
    expect(assertArgumentRanges(source)).toEqual([[7, source.length - 2]]);
  });
});

describe('blankInactiveBranches: the C API macros of the target', () => {
  const target = { python: '3.15', limitedApi: null, gilDisabled: false, headerMacros: { defined: new Set(['Py_TRASHCAN_BEGIN']), absent: new Set(['Py_TRASHCAN_SAFE_BEGIN']) } };

  it('decides #ifndef on a macro the target headers define, and #ifdef on one only other versions had', () => {
    const source = '#ifndef Py_TRASHCAN_BEGIN\nshim();\n#endif\n#ifdef Py_TRASHCAN_SAFE_BEGIN\nold();\n#endif\n#ifdef SOMETHING_ELSE\nkept();\n#endif\n';
    const { text } = blankInactiveBranches(source, target);
    expect(text).not.toContain('shim');
    expect(text).not.toContain('old');
    expect(text).toContain('kept();');
  });

  it('leaves them undecided without the list', () => {
    const { text } = blankInactiveBranches('#ifndef Py_TRASHCAN_BEGIN\nshim();\n#endif\n', { python: '3.15', limitedApi: null, gilDisabled: false });
    expect(text).toContain('shim();');
  });
});
