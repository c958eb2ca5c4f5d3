import { z } from 'zod';
import { Confidence } from './ownership.ts';

export const ErrorConvention = z
  .enum(['null-with-exception', 'minus-one-with-exception', 'ambiguous-minus-one', 'zero-with-exception', 'null-without-exception', 'status', 'suppressed', 'cannot-fail', 'unchecked', 'unknown'])
  .describe(
    'How a call reports failure. null-with-exception: it returns NULL with an exception set. minus-one-with-exception: it returns -1 ' +
      'with an exception set. ambiguous-minus-one: -1 (or -1.0, or (unsigned)-1) is also a valid result, so a caller checks PyErr_Occurred() ' +
      'after getting it. zero-with-exception: it returns false (0) with an exception set (PyArg_ParseTuple). null-without-exception: NULL ' +
      'means failure or absence with no exception set (PyMem_Malloc, PySys_GetObject). status: it returns a PyStatus, which the caller ' +
      'tests with PyStatus_Exception() (the initialization API; no Python exception is involved). suppressed: errors inside the call are cleared and ' +
      'reported as an ordinary result (PyDict_GetItem, PyObject_HasAttr): the caller cannot tell them apart. cannot-fail: it always succeeds. ' +
      'unchecked: it checks nothing (most macros): wrong arguments are undefined behaviour, not an error. unknown: no source or rule says.',
  );
export type ErrorConvention = z.infer<typeof ErrorConvention>;

export const Errors = z
  .object({
    convention: ErrorConvention,
    confidence: Confidence.describe("documented: the docs' prose states it; inferred: the C-API's stated default for the return type, or a rule (the evidence names it)."),
  })
  .strict();
export type Errors = z.infer<typeof Errors>;
