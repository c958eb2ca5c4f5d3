/** An owned reference that some path to a return (or an overwrite of its only pointer) never releases. */
import { alsoLost, firstPerReference, leakContext, observationsOf, type Rule } from './rule.ts';
import { madeWords, placeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'reference-leak',
    name: 'ReferenceLeak',
    summary: 'A new reference is not released on some path',
    help:
      'The function owns this reference (a call returned a new one, or Py_INCREF / Py_NewRef made one) and reaches a return, ' +
      'or overwrites its only pointer, without releasing it or handing it on. Release it with Py_DECREF on that path (a single ' +
      'clean-up label with Py_XDECREF is the usual shape), or return it.',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'PyObject *list = PyList_New(0);\nif (list == NULL) return NULL;\nPyObject *item = PyLong_FromLong(1);\nif (item == NULL) return NULL;  /* list leaks */',
      right: 'PyObject *list = PyList_New(0);\nif (list == NULL) return NULL;\nPyObject *item = PyLong_FromLong(1);\nif (item == NULL) {\n    Py_DECREF(list);\n    return NULL;\n}',
    },
  },
  *check(ctx) {
    const leaks = [...observationsOf(ctx, 'leak')].filter(
      ({ o }) => o.how !== 'discarded' && !o.failedSteal && !o.pendingSteal && !(o.extraIncref && o.made.kind === 'call'),
    );
    for (const { fn, o, others } of firstPerReference(leaks)) {
      const where = o.how === 'overwrite' ? 'is overwritten here while it holds' : o.how === 'end' ? 'reaches the end of the function still holding' : 'returns here still holding';
      const subject = o.how === 'overwrite' ? placeWords(o.names) : `${fn.fn.name}()`;
      const { suffix, level } = leakContext(fn.fn.name, o, others, ctx);
      yield {
        span: o.at,
        api: o.made.api,
        level,
        message: `${subject} ${where} ${madeWords(o.made, ctx)}${o.how !== 'overwrite' && o.names.length > 0 ? ` in ${placeWords(o.names)}` : ''}: release it first${suffix}.`,
        path: o.path,
        related: alsoLost(others),
      };
    }
  },
};
