/** A reference used after the function released its last strong reference. */
import { observationsOf, type Rule } from './rule.ts';
import { madeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'use-after-release',
    name: 'UseAfterRelease',
    summary: 'A reference is used after its last release',
    help:
      'The function released its last strong reference to this object, then uses it: the object may already be freed. Move ' +
      'the release after the last use.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'Py_DECREF(name);\nPyErr_Format(PyExc_KeyError, "%U", name);',
      right: 'PyErr_Format(PyExc_KeyError, "%U", name);\nPy_DECREF(name);',
    },
  },
  *check(ctx) {
    for (const { o } of observationsOf(ctx, 'use-after-release')) {
      yield {
        span: o.at,
        api: o.made.api,
        message: `${o.place ? `\`${o.place}\`` : 'This reference'} (${madeWords(o.made, ctx)}) is used after its release at line ${ctx.lineOf(o.releasedAt.start)}.`,
        path: o.path,
      };
    }
  },
};
