/** A reference given to a call that takes it only on success, leaked when the call fails. */
import { alsoLost, firstPerReference, leakContext, observationsOf, type Rule } from './rule.ts';
import { madeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'steal-on-success-leak',
    name: 'StealOnSuccessLeak',
    summary: 'A reference given to a call that steals only on success is not released when the call fails',
    help:
      'Calls such as PyModule_AddObject take the reference only when they succeed: on failure the caller still owns it and ' +
      'must release it. Test the result and release the reference on the failure branch, or use the variant that never ' +
      'steals (PyModule_AddObjectRef) and release it once on every path.',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'PyObject *v = PyLong_FromLong(1);\nif (v == NULL) return -1;\nif (PyModule_AddObject(m, "one", v) < 0)\n    return -1;  /* v leaks */',
      right: 'PyObject *v = PyLong_FromLong(1);\nif (v == NULL) return -1;\nif (PyModule_AddObject(m, "one", v) < 0) {\n    Py_DECREF(v);\n    return -1;\n}',
    },
  },
  *check(ctx) {
    const leaks = [...observationsOf(ctx, 'leak')].filter(({ o }) => o.failedSteal ?? o.pendingSteal);
    for (const { fn, o, others } of firstPerReference(leaks)) {
      const stealer = (o.failedSteal ?? o.pendingSteal)!;
      const { suffix, level } = leakContext(fn.fn.name, o, others, ctx);
      yield {
        span: o.failedSteal ? o.at : stealer.span,
        api: stealer.api,
        level,
        message: o.failedSteal
          ? `${stealer.api} (line ${ctx.lineOf(stealer.span.start)}) failed and did not take ${madeWords(o.made, ctx)}: release it on this path${suffix}.`
          : `${stealer.api} takes ${madeWords(o.made, ctx)} only if it succeeds, and its result is not tested: on failure the reference leaks${suffix}.`,
        path: o.path,
        related: alsoLost(others),
      };
    }
  },
};
