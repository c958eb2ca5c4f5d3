/** Py_DECREF of a pointer that is NULL on this path. */
import { observationsOf, type Rule } from './rule.ts';

export const rule: Rule = {
  meta: {
    id: 'release-of-null',
    name: 'ReleaseOfNull',
    summary: 'Py_DECREF of a pointer that is NULL on this path',
    help: 'Py_DECREF does not accept NULL: on this path the pointer is NULL (a failed call, or never set). Use Py_XDECREF, or release it only where it was set.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'PyObject *a = NULL;\nif (cond) a = PyLong_FromLong(1);\nPy_DECREF(a);',
      right: 'PyObject *a = NULL;\nif (cond) a = PyLong_FromLong(1);\nPy_XDECREF(a);',
    },
  },
  *check(ctx) {
    for (const { o } of observationsOf(ctx, 'release-null')) {
      yield { span: o.at, api: null, message: `${o.place ? `\`${o.place}\`` : 'The pointer'} is NULL on this path, and Py_DECREF does not accept NULL: use Py_XDECREF.` };
    }
  },
};
