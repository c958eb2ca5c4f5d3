/** Explanation mode: every call that returns a borrowed reference, with the strong-reference variant if any. */
import type { Rule } from './rule.ts';
import { alternativeWords, useWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'borrowed-return',
    name: 'BorrowedReturn',
    summary: 'Call to an API that returns a borrowed reference (explanation)',
    help:
      'The returned reference is not yours: do not Py_DECREF it, and take Py_NewRef before calling anything that may release ' +
      'its owner. Shown only with --explain; a warning when the target version has an API returning a strong reference.',
    defaultLevel: 'note',
    explainOnly: true,
    example: {
      wrong: 'PyObject *v = PyDict_GetItem(d, key);',
      right: 'PyObject *v;\nif (PyDict_GetItemRef(d, key, &v) < 0) return NULL;  /* 3.13+ */',
    },
  },
  *check(ctx) {
    for (const use of ctx.uses) {
      if (!rule.watches!(use.name, ctx) || use.borrowSafe !== null) continue;
      const alt = alternativeWords(use.name, ctx);
      yield {
        span: { start: use.start, end: use.end },
        api: use.name,
        use: use.use,
        level: alt.usable ? 'warning' : 'note',
        message: `${use.name}${useWords(use.use)} returns a borrowed reference: do not Py_DECREF it, and take Py_NewRef before anything can release its owner.${alt.text}`,
        replacement: alt.usable,
      };
    }
  },
  watches: (name, ctx) => ctx.index.apis.get(name)?.returns?.ownership === 'borrowed',
};
