/** A Py_INCREF on a reference the function already owns, so that one strong reference is never released. */
import { alsoLost, firstPerReference, leakContext, observationsOf, type Rule } from './rule.ts';
import { madeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'extra-incref',
    name: 'ExtraIncref',
    summary: 'Py_INCREF on a reference that is already new',
    help:
      'The call already returned a new reference; the Py_INCREF adds a second one that nothing releases. Drop the Py_INCREF ' +
      '(a new reference needs none before it is returned or stored).',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'PyObject *s = PyUnicode_FromString("x");\nif (s == NULL) return NULL;\nPy_INCREF(s);\nreturn s;',
      right: 'PyObject *s = PyUnicode_FromString("x");\nif (s == NULL) return NULL;\nreturn s;',
    },
  },
  *check(ctx) {
    const leaks = [...observationsOf(ctx, 'leak')].filter(({ o }) => o.extraIncref && o.made.kind === 'call' && !o.failedSteal && !o.pendingSteal);
    for (const { fn, o, others } of firstPerReference(leaks)) {
      const { suffix, level } = leakContext(fn.fn.name, o, others, ctx);
      yield {
        span: o.extraIncref!,
        api: o.made.api,
        level,
        message: `Py_INCREF on ${madeWords(o.made, ctx)}, which is already new: one strong reference is never released (line ${ctx.lineOf(o.at.start)})${suffix}.`,
        path: o.path,
        related: alsoLost(others),
      };
    }
  },
};
