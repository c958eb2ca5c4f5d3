/**
 * How calls report failure: the prose rules and inference families of scripts/lib/error-convention.ts, and the
 * committed dataset they produce (no snapshot needed: the data is in the repository).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { carryCalleeErrors, decideErrors } from '../scripts/lib/error-convention.ts';
import { SNAPSHOT_VERSIONS, VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { findProseErrors } from '../scripts/sources/docs-prose.ts';
import type { Api } from '../src/schema/api.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

function dataset(version: string): Map<string, Api> {
  const data = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')));
  return new Map(data.apis.map((api) => [api.name, api]));
}

const v315 = dataset('3.15');
const errorsOf = (name: string, apis = v315): string => {
  const api = apis.get(name);
  if (!api?.errors) throw new Error(`${name} has no error convention in the data`);
  return `${api.errors.convention} (${api.errors.confidence})`;
};

describe('error conventions in the data (3.15)', () => {
  it('a NULL that answers "none" is not a failure: PyErr_Occurred, PyEval_GetFrame', () => {
    expect(errorsOf('PyErr_Occurred')).toBe('cannot-fail (documented)');
    expect(errorsOf('PyEval_GetFrame')).toBe('cannot-fail (documented)');
  });

  it('reference helpers cannot fail, by a rule, not by the NULL default: Py_NewRef, Py_XNewRef', () => {
    expect(errorsOf('Py_NewRef')).toBe('cannot-fail (inferred)');
    expect(errorsOf('Py_XNewRef')).toBe('cannot-fail (inferred)');
  });

  it('a fatal error is not a NULL with an exception: PyThreadState_Get, PyInterpreterState_Get', () => {
    expect(errorsOf('PyThreadState_Get')).toBe('cannot-fail (documented)');
    expect(errorsOf('PyInterpreterState_Get')).toBe('cannot-fail (documented)');
  });

  it('"return NULL without setting exception" is read: PySys_GetObject', () => {
    expect(errorsOf('PySys_GetObject')).toBe('null-without-exception (documented)');
  });

  it('PyErr_ExceptionMatches answers yes or no: PyErr_Occurred() as an argument is not advice to call it', () => {
    expect(errorsOf('PyErr_ExceptionMatches')).toBe('cannot-fail (inferred)');
    expect(errorsOf('PyLong_AsLong')).toBe('ambiguous-minus-one (runtime-confirmed)');
  });

  it('allocators return NULL without an exception, resizing ones too ("If the request fails, PyMem_Realloc() returns NULL")', () => {
    expect(errorsOf('PyMem_Malloc')).toBe('null-without-exception (documented)');
    expect(errorsOf('PyMem_New')).toBe('null-without-exception (inferred)');
    expect(errorsOf('PyMem_Realloc')).toBe('null-without-exception (documented)');
    expect(errorsOf('PyObject_Realloc')).toBe('null-without-exception (documented)');
    expect(findProseErrors('If the request fails, PyMem_Realloc() returns NULL and p remains a valid pointer to the previous memory area.', 'void *')?.value).toBe('null-without-exception');
    // near miss: any other call's NULL on failure comes with an exception
    expect(findProseErrors('If the call fails, return NULL.', 'PyObject *')?.value).toBe('null-with-exception');
  });

  it('a test whose docs give its two answers and nothing else cannot fail ("Return 1 if ..., 0 otherwise")', () => {
    expect(errorsOf('PyObject_GC_IsTracked')).toBe('cannot-fail (documented)');
    expect(errorsOf('PyObject_TypeCheck')).toBe('cannot-fail (documented)');
    expect(findProseErrors('Return 1 if the mutex is locked, 0 otherwise.', 'int')?.rule).toBe('yes-or-no');
    // near misses: a third answer for failure, or a 0 that means failure
    expect(findProseErrors('Return 1 if found, 0 otherwise, and -1 on error.', 'int')?.value).toBe('minus-one-with-exception');
    expect(findProseErrors('Returns 1 if the function succeeds and 0 otherwise.', 'int')).toBeNull();
  });

  it('a macro that gives the result of a documented function reports failure as it does; its evidence links to it', () => {
    expect(errorsOf('PyLong_FromPid')).toBe('null-with-exception (inferred)');
    expect(errorsOf('PyODict_GetItem')).toBe('suppressed (inferred)');
    expect(errorsOf('PyMem_MALLOC')).toBe('null-without-exception (inferred)');
    const evidence = v315.get('PyLong_FromPid')!.evidence.filter((e) => e.field === 'errors');
    expect(evidence).toEqual([expect.objectContaining({ source: 'inference', raw: 'macro-call', value: 'null-with-exception', location: expect.stringMatching(/#c\.PyLong_FromLong$/) })]);
    // near miss: a macro that reads a member calls nothing and stays unchecked
    expect(errorsOf('PyList_GET_ITEM')).toBe('unchecked (documented)');
  });

  it.each(SNAPSHOT_VERSIONS)('%s: an error convention labelled documented has the docs stating it, an inferred one names its rule', (version) => {
    for (const api of dataset(version).values()) {
      if (!api.errors) continue;
      const sources = api.evidence.filter((e) => e.field === 'errors').map((e) => e.source);
      if (api.errors.confidence === 'documented') expect(sources, api.name).toContain('docs-prose');
      if (api.errors.confidence === 'inferred') {
        expect(sources, api.name).toEqual(['inference']);
        expect(api.evidence.find((e) => e.field === 'errors')?.raw, api.name).toMatch(/^[a-z-]+$/);
      }
    }
  });
});

describe('prose rules for errors', () => {
  const read = (prose: string, returnType = 'PyObject *'): string | null => findProseErrors(prose, returnType)?.rule ?? null;

  it('a fatal error instead of NULL', () => {
    expect(read('If there is none, this issues a fatal error (so that the caller needn’t check for NULL).', 'PyThreadState *')).toBe('fatal-error');
    expect(read('Issue a fatal error if there is no attached thread state. It cannot return NULL.', 'PyInterpreterState *')).toBe('fatal-error');
    // near miss: "with a fatal error" about a variant that does not issue one
    expect(read("Similar to PyThreadState_Get(), but don't kill the process with a fatal error if it is NULL. The caller is responsible to check if the result is NULL.", 'PyThreadState *')).toBe('null-means-none');
  });

  it('NULL as an answer', () => {
    expect(read('Test whether the error indicator is set. If set, return the exception type. If not set, return NULL.')).toBe('null-means-none');
    expect(read('Return the current frame, which is NULL if no frame is currently executing.', 'PyFrameObject *')).toBe('null-means-none');
    // near miss: NULL on failure stays a failure
    expect(read('Return a new reference, or NULL on failure.')).toBe('null-on-error');
  });

  it('NULL without setting exception, with or without "an"', () => {
    expect(read('Return NULL without setting exception on failure.')).toBe('null-without-exception');
    expect(read('Return NULL without setting an exception if the key is missing.')).toBe('null-without-exception');
  });

  it('PyErr_Occurred() as advice, not as an argument', () => {
    expect(read('Return -1 on error; use PyErr_Occurred() to disambiguate.', 'long')).toBe('check-pyerr-occurred');
    expect(read('Equivalent to PyErr_GivenExceptionMatches(PyErr_Occurred(), exc).', 'int')).toBeNull();
  });
});

describe('carryCalleeErrors', () => {
  const api = (name: string, kind: Api['kind'], errors: Api['errors'], raw: string): Api =>
    ({ name, kind, errors, evidence: [{ field: 'errors', source: raw === 'docs' ? 'docs-prose' : 'inference', value: errors!.convention, location: `loc-${name}`, raw }] }) as unknown as Api;
  const macro = api('Py_MACRO', 'macro', { convention: 'unchecked', confidence: 'inferred' }, 'macro');

  it("takes a stated convention of the function the macro gives the result of, and only a stated one (near miss: a guess is not passed on)", () => {
    const stated = api('Py_Function', 'function', { convention: 'null-with-exception', confidence: 'documented' }, 'docs');
    const [carried] = carryCalleeErrors([macro, stated], () => 'Py_Function', (a) => `loc-${a.name}`);
    expect(carried!.errors).toEqual({ convention: 'null-with-exception', confidence: 'inferred' });
    expect(carried!.evidence).toEqual([{ field: 'errors', source: 'inference', value: 'null-with-exception', location: 'loc-Py_Function', raw: 'macro-call' }]);
    const guessed = api('Py_Function', 'function', { convention: 'null-with-exception', confidence: 'inferred' }, 'stated-default');
    expect(carryCalleeErrors([macro, guessed], () => 'Py_Function', (a) => a.name)[0]).toBe(macro);
    expect(carryCalleeErrors([macro, stated], () => undefined, (a) => a.name)[0]).toBe(macro);
  });
});

describe('inference families for errors', () => {
  const guess = (name: string, returnType: string, kind: Api['kind'] = 'function'): string | undefined => {
    const evidence: Api['evidence'] = [];
    decideErrors({ name, kind, returnType, returnOwnership: returnType.endsWith('*') ? 'new' : 'no-object', prose: '', location: 'x' }, evidence, []);
    return evidence.find((e) => e.field === 'errors')?.raw;
  };

  it('names each family, and leaves the rest to the stated default', () => {
    expect(guess('PyErr_GivenExceptionMatches', 'int')).toBe('type-check');
    expect(guess('Py_NewRef', 'PyObject *')).toBe('reference-helper');
    expect(guess('PyThreadState_GetInterpreter', 'PyInterpreterState *')).toBe('state-getter');
    expect(guess('PyMem_RawCalloc', 'void *')).toBe('allocator');
    // An object allocator sets MemoryError, a macro of the docs (3.13+) or not; a macro that only reads checks
    // nothing (near miss); an ordinary getter can fail.
    for (const name of ['PyObject_New', 'PyObject_NewVar', 'PyObject_GC_New', 'PyObject_GC_NewVar', 'PyObject_NEW', 'PyObject_NEW_VAR']) expect(guess(name, 'PyObject *', 'macro'), name).toBe('object-allocator');
    expect(guess('PyList_GET_ITEM', 'PyObject *', 'macro')).toBe('macro');
    expect(guess('PyObject_GetAttr', 'PyObject *')).toBe('stated-default');
  });
});
