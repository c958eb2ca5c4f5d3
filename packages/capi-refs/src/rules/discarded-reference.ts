/** A new reference that is never bound: a call's result thrown away, or passed inline to a call that does not take it. */
import { observationsOf, type Rule } from './rule.ts';

export const rule: Rule = {
  meta: {
    id: 'discarded-reference',
    name: 'DiscardedReference',
    summary: 'A new reference is thrown away or passed to a call that does not take it',
    help:
      'The call returns a new reference, and nothing keeps it: the statement discards it, or it is passed straight to a call ' +
      'that only borrows its argument (PyList_Append, PyDict_SetItem, PyObject_SetAttr... add their own reference). Store it in ' +
      'a variable, check it for NULL, and release it after use.',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'if (PyList_Append(list, PyLong_FromLong(i)) < 0)  /* the int leaks */\n    goto error;',
      right: 'PyObject *item = PyLong_FromLong(i);\nif (item == NULL) goto error;\nint rc = PyList_Append(list, item);\nPy_DECREF(item);\nif (rc < 0) goto error;',
    },
  },
  *check(ctx) {
    for (const { o } of observationsOf(ctx, 'leak')) {
      if (o.how !== 'discarded' || o.made.kind === 'out') continue;
      yield {
        span: o.made.span,
        api: o.made.api,
        message: o.passedTo
          ? `the new reference returned by ${o.made.api} is passed to ${o.passedTo}, which does not take it: it leaks. Keep it in a variable and release it after the call.`
          : `the new reference returned by ${o.made.api} is discarded: it leaks. Release it (or keep it) after checking it for NULL.`,
        path: o.path,
      };
    }
  },
};
