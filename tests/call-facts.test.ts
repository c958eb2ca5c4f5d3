import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideErrors, type ErrorInputs } from '../scripts/lib/error-convention.ts';
import { addLenders } from '../scripts/lib/infer-lender.ts';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { addReplacements } from '../scripts/lib/replacements.ts';
import { findProseErrors } from '../scripts/sources/docs-prose.ts';
import type { Api } from '../src/schema/api.ts';
import type { Evidence } from '../src/schema/evidence.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';

const load = (version: string): VersionDataset => JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8'));
const v313 = load('3.13');
const byName = new Map(v313.apis.map((api) => [api.name, api]));
const real = (name: string): Api => byName.get(name) ?? (() => { throw new Error(`${name} is not in the 3.13 dataset`); })();

describe('error conventions', () => {
  it("reads the docs' own words on the real 3.13 pages (the committed dataset is the pipeline's output)", () => {
    const expected: Record<string, string> = {
      PyDict_GetItem: 'suppressed',
      PyObject_HasAttr: 'suppressed',
      PyDict_GetItemWithError: 'null-with-exception',
      PyList_Append: 'minus-one-with-exception',
      PyArg_ParseTuple: 'zero-with-exception',
      PyMem_Malloc: 'null-without-exception',
      PyLong_AsLong: 'ambiguous-minus-one',
      PyBool_Check: 'cannot-fail',
      PyList_GET_ITEM: 'unchecked',
    };
    for (const [name, convention] of Object.entries(expected)) {
      // 3.13 is measured too: where the measurement bears the docs out, the value is runtime-confirmed
      expect(real(name).errors?.convention, name).toBe(convention);
      expect(['documented', 'runtime-confirmed'], name).toContain(real(name).errors?.confidence);
      expect(real(name).evidence.find((e) => e.field === 'errors' && e.source === 'docs-prose')?.value, name).toBe(convention);
    }
  });

  it('keeps -1 rules to integer returns and NULL rules to pointer returns', () => {
    expect(findProseErrors('Set ⟦extra⟧ to NULL and return 0. Return -1 with an exception set on failure.', 'int')?.value).toBe('minus-one-with-exception');
    expect(findProseErrors('Return the item at index -1 or NULL on failure.', 'PyObject *')?.value).toBe('null-with-exception');
    expect(findProseErrors('Variant that does not suppress exceptions. Return NULL with an exception set if an exception occurred.', 'PyObject *')?.value).toBe('null-with-exception');
  });

  it('reads bounds checks that a release build leaves out as unchecked (PyStructSequence_GetItem, 3.9 and 3.13 wording)', () => {
    expect(findProseErrors('Return the object at position ⟦pos⟧ in the struct sequence pointed to by ⟦p⟧. No bounds checking is performed.', 'PyObject *')?.value).toBe('unchecked');
    expect(findProseErrors('Return the object at position ⟦pos⟧ in the struct sequence pointed to by ⟦p⟧. Bounds checking is performed as an assertion if Python is built in debug mode or with assertions.', 'PyObject *')?.value).toBe('unchecked');
    expect(findProseErrors('Return the object at position ⟦pos⟧ in ⟦p⟧. If ⟦pos⟧ is out of bounds, return NULL and set an IndexError exception.', 'PyObject *')?.value).toBe('null-with-exception');
  });

  it('reads "always succeeds" as cannot-fail only when no condition follows (PyLong_GetSign)', () => {
    const getSign = 'Get the sign of the integer object ⟦obj⟧. On success, set *sign to the integer sign and return 0. On failure, return -1 with an exception set. This function always succeeds if ⟦obj⟧ is a PyLongObject or its subtype.';
    expect(findProseErrors(getSign, 'int')?.value).toBe('minus-one-with-exception');
    expect(findProseErrors('Return the size of the object. This function always succeeds.', 'Py_ssize_t')?.value).toBe('cannot-fail');
  });

  it("falls back to the C-API's stated defaults, recording the rule", () => {
    const decide = (inputs: Partial<ErrorInputs>): [string, string | undefined] => {
      const evidence: Evidence[] = [];
      const errors = decideErrors({ name: 'PyThing_Do', kind: 'function', returnType: 'int', returnOwnership: 'no-object', prose: '', location: 'x', ...inputs }, evidence, []);
      return [errors.convention, evidence[0]?.raw];
    };
    expect(decide({})).toEqual(['minus-one-with-exception', 'stated-default']);
    expect(decide({ returnType: 'PyObject *', returnOwnership: 'new' })).toEqual(['null-with-exception', 'stated-default']);
    expect(decide({ returnType: 'double' })).toEqual(['ambiguous-minus-one', 'sentinel-return']);
    expect(decide({ returnType: 'void' })).toEqual(['cannot-fail', 'void-return']);
    expect(decide({ name: 'PyThing_CheckExact' })).toEqual(['cannot-fail', 'type-check']);
    expect(decide({ kind: 'macro', returnType: '' })).toEqual(['unchecked', 'macro']);
    expect(decide({ returnType: 'PyStatus' })).toEqual(['status', 'status-return']);
    expect(decide({ returnType: 'Py_complex' })).toEqual(['unknown', undefined]);
  });
});

describe('error conventions measured on CPython 3.11', () => {
  const v311 = new Map(load('3.11').apis.map((api) => [api.name, api]));
  it('confirms a stated convention the failing call bears out, and keeps the more precise statement', () => {
    expect(v311.get('PyList_Append')?.errors).toEqual({ convention: 'minus-one-with-exception', confidence: 'runtime-confirmed' });
    // -1 with an exception fits "-1 may also be a value": the docs' warning is kept.
    expect(v311.get('PyLong_AsLong')?.errors).toEqual({ convention: 'ambiguous-minus-one', confidence: 'runtime-confirmed' });
    expect(v311.get('PyUnicode_FSConverter')?.errors).toEqual({ convention: 'zero-with-exception', confidence: 'runtime-confirmed' });
  });

  it('measured at least 250 conventions, and no documented or inferred one contradicts them', () => {
    const comparison = JSON.parse(readFileSync(path.join(VERSIONS_DIR, '..', 'runtime', '3.11-comparison.json'), 'utf8'));
    const measured = [...v311.values()].filter((api) => api.evidence.some((e) => e.field === 'errors' && e.source === 'runtime'));
    expect(measured.length).toBeGreaterThanOrEqual(250);
    expect(comparison.errors.disagreements).toEqual([]);
  });
});

describe('what a borrowed return is borrowed from', () => {
  it('names the first object argument, or the interpreter when there is none', () => {
    expect(real('PyList_GetItem').returns?.borrowedFrom).toEqual({ lender: 'argument', param: 'list', confidence: 'inferred' });
    expect(real('PyErr_Occurred').returns?.borrowedFrom).toEqual({ lender: 'interpreter', param: null, confidence: 'inferred' });
    expect(real('PyList_GetItemRef').returns?.borrowedFrom).toBeNull();
  });

  it('clears a lender when the return is no longer borrowed', () => {
    const borrowed = real('PyList_GetItem');
    const madeNew = { ...borrowed, returns: { ...borrowed.returns!, ownership: 'new' as const } };
    const [out] = addLenders([{ ...v313, apis: [madeNew] }]);
    expect(out!.apis[0]!.returns?.borrowedFrom).toBeNull();
  });
});

describe('replacements', () => {
  it("takes the docs' deprecation note, the hand list and Ref twins, each with the version that brought it", () => {
    expect(real('PyErr_Display').replacements).toContainEqual(expect.objectContaining({ name: 'PyErr_DisplayException', since: '3.12', source: 'docs-deprecation' }));
    expect(real('PyEval_GetLocals').replacements.map((r) => r.name)).not.toContain('PyEval_GetFrame');
    expect(real('PyList_GetItem').replacements[0]).toMatchObject({ name: 'PyList_GetItemRef', since: '3.13' });
    // 3.11 has no PyList_GetItemRef, but the later versions say which version brings it.
    expect(load('3.11').apis.find((api) => api.name === 'PyList_GetItem')?.replacements[0]).toMatchObject({ name: 'PyList_GetItemRef', since: '3.13' });
  });

  it('derives a Ref twin for a borrowed return the hand list does not cover', () => {
    const getter = { ...real('PyList_GetItem'), name: 'PyThing_Get', replacements: [] };
    const twin = { ...real('PyList_GetItemRef'), name: 'PyThing_GetRef', added: { version: '3.14' } };
    const [out] = addReplacements([{ ...v313, apis: [getter, twin] }]);
    expect(out!.apis[0]!.replacements).toEqual([{ name: 'PyThing_GetRef', since: '3.14', why: 'returns a strong reference', source: 'ref-twin' }]);
  });
});
