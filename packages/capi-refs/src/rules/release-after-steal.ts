/** A reference released after a call took it over. */
import { observationsOf, type Rule } from './rule.ts';
import { madeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'release-after-steal',
    name: 'ReleaseAfterSteal',
    summary: 'A reference is released after a call stole it',
    help:
      'The call took over this reference (PyList_SetItem, PyTuple_SetItem, PyModule_AddObject on success...): it is no longer ' +
      "the function's to release. Remove the release, or use the variant that does not steal (PyModule_AddObjectRef).",
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'if (PyModule_AddObject(m, "Error", err) < 0) { Py_DECREF(err); return -1; }\nPy_DECREF(err);',
      right: 'if (PyModule_AddObject(m, "Error", err) < 0) { Py_DECREF(err); return -1; }',
    },
  },
  *check(ctx) {
    for (const { o } of observationsOf(ctx, 'release-after-steal')) {
      yield {
        span: o.at,
        api: o.stealer.api,
        message: `${o.place ? `\`${o.place}\`` : 'This reference'} (${madeWords(o.made, ctx)}) was taken by ${o.stealer.api} at line ${ctx.lineOf(o.stealer.span.start)}${o.onSuccessOnly ? ' (when it succeeds, and its result is not tested)' : ''}: releasing it again frees an object the callee now owns.`,
        path: o.path,
      };
    }
  },
};
