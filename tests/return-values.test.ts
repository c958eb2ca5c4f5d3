/** scripts/sources/return-values.ts: the values a call returns and what each means, from the docs' prose. */
import { describe, expect, it } from 'vitest';
import { findReturnValues } from '../scripts/sources/return-values.ts';

describe('findReturnValues', () => {
  it('reads the three outcomes of a lookup, each under its own condition', () => {
    const prose = 'Return a new strong reference to the object from dictionary ⟦p⟧ which has a key ⟦key⟧: If the key is present, set *result to a new strong reference to the value and return 1. If the key is missing, set *result to NULL and return 0. On error, raise an exception, set *result to NULL and return -1.';
    expect(findReturnValues(prose, 'int')).toEqual([
      { value: '1', means: 'yes' },
      { value: '0', means: 'no' },
      { value: '-1', means: 'error' },
    ]);
  });

  it('reads listed values and "otherwise" as the complement of the condition before it', () => {
    expect(findReturnValues('Compare ⟦o1⟧ and ⟦o2⟧, but returns -1 on error, 0 if the result is false, 1 otherwise.', 'int')).toEqual([
      { value: '-1', means: 'error' },
      { value: '0', means: 'no' },
      { value: '1', means: 'yes' },
    ]);
    expect(findReturnValues('Returns 1 if the object ⟦o⟧ is considered to be true, and 0 otherwise. On failure, return -1.', 'int')).toEqual([
      { value: '1', means: 'yes' },
      { value: '0', means: 'no' },
      { value: '-1', means: 'error' },
    ]);
  });

  it('reads success and an error named by its exception, and NULL for a pointer', () => {
    expect(findReturnValues('Return 0 on success. If ⟦index⟧ is out of bounds, return -1 and set an IndexError exception.', 'int')).toEqual([
      { value: '0', means: 'success' },
      { value: '-1', means: 'error' },
    ]);
    expect(findReturnValues('Return a pointer to the contents of ⟦o⟧. If ⟦o⟧ is not a bytes object at all, it returns NULL and raises TypeError.', 'char *')).toEqual([{ value: 'NULL', means: 'error' }]);
  });

  it('near miss: the error indicator, an error not set, a value of another type, and an "otherwise" with nothing before it', () => {
    expect(findReturnValues('Return the exception currently being raised, clearing the error indicator at the same time. Return NULL if the error indicator is not set.', 'PyObject *')).toEqual([{ value: 'NULL', means: 'no' }]);
    expect(findReturnValues('If the module has not been imported yet then returns NULL but does not set an error.', 'PyObject *')).toEqual([{ value: 'NULL', means: 'no' }]);
    expect(findReturnValues('Returns 0 if the call failed.', 'PyObject *')).toEqual([]);
    expect(findReturnValues('Return -2 if tracemalloc is disabled, otherwise return 0.', 'int')).toEqual([]);
  });
});
