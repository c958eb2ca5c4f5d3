import { z } from 'zod';

export const ReturnOwnership = z
  .enum(['new', 'borrowed', 'always-null', 'no-object', 'unknown'])
  .describe(
    'Who owns the returned value. new: the caller owns a strong reference and must release it (Py_DECREF). ' +
      'borrowed: the caller must not release it; it stays valid only while its lender keeps it. ' +
      'always-null: the function always returns NULL (with an exception set). ' +
      'no-object: the return value is not an object reference. ' +
      'unknown: no source says.',
  );
export type ReturnOwnership = z.infer<typeof ReturnOwnership>;

export const ParamOwnership = z
  .enum(['borrowed', 'stolen', 'stolen-on-success', 'out-new', 'out-borrowed', 'in-out', 'no-object', 'unknown'])
  .describe(
    'What the call does with the reference passed in. borrowed: the caller keeps its reference. ' +
      'stolen: the call takes over the reference, whether it succeeds or fails. ' +
      'stolen-on-success: the call takes over the reference only when it succeeds; on failure the caller still owns it. ' +
      'out-new / out-borrowed: a PyObject ** output that receives a new / borrowed reference. ' +
      'in-out: a PyObject ** that holds a reference the caller owns; the call releases it and stores a new reference ' +
      '(or NULL on failure) in its place, as PyUnicode_Append and PyBytes_Concat do. ' +
      'no-object: the parameter is not an object reference. unknown: no source says.',
  );
export type ParamOwnership = z.infer<typeof ParamOwnership>;

export const Confidence = z
  .enum(['runtime-confirmed', 'documented', 'carried', 'inferred', 'unknown'])
  .describe(
    'How the ownership value is known. runtime-confirmed: measured by calling the function on a real CPython build ' +
      '(the runtime evidence names it); where a source disagrees, the measurement is kept and the conflict listed. documented: a CPython source of this version states it (the docs, or ' +
      'refcounts.dat), or the declaration shows the value is not an object. carried: this version\'s sources are silent ' +
      'and the nearest version that documents the same API and type states it. inferred: no source states it; one of ' +
      "the project's written-down inference rules gave it (the evidence names the rule). unknown: nothing says.",
  );
export type Confidence = z.infer<typeof Confidence>;
