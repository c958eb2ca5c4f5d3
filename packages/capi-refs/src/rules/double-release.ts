/** A reference released after its last strong reference was already released. */
import { observationsOf, type Rule } from './rule.ts';
import { madeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'double-release',
    name: 'DoubleRelease',
    summary: 'A reference is released twice',
    help:
      'On this path the reference was already released, and is released again: the object may be freed already. Release each ' +
      'reference once; Py_CLEAR (which sets the pointer to NULL) makes a later Py_XDECREF harmless.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'Py_DECREF(tmp);\nif (PyErr_Occurred()) {\n    Py_DECREF(tmp);\n    return NULL;\n}',
      right: 'Py_DECREF(tmp);\nif (PyErr_Occurred()) {\n    return NULL;\n}',
    },
  },
  *check(ctx) {
    for (const { o } of observationsOf(ctx, 'double-release')) {
      yield {
        span: o.at,
        api: o.made.api,
        message: `${o.place ? `\`${o.place}\`` : 'This reference'} (${madeWords(o.made, ctx)}) was already released at line ${ctx.lineOf(o.firstRelease.start)}.`,
        path: o.path,
      };
    }
  },
};
