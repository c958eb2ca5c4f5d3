/** Py_DECREF of a reference the function does not own. */
import { observationsOf, type Rule } from './rule.ts';
import { borrowPath, originWords } from './words.ts';

/** Borrowed returns whose release is an idiom: a heap type's dealloc releases the type it got from Py_TYPE. */
const RELEASE_IDIOMS = new Set(['Py_TYPE']);

export const rule: Rule = {
  meta: {
    id: 'release-of-borrowed',
    name: 'ReleaseOfBorrowed',
    summary: 'Py_DECREF of a borrowed reference',
    help:
      'The reference is borrowed: the function never owned it, and releasing it frees an object that its owner still uses. ' +
      'Remove the release, or take a strong reference first (Py_NewRef) if the function must keep the object.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'PyObject *item = PyList_GetItem(list, 0);\nif (item == NULL) return NULL;\n/* ... */\nPy_DECREF(item);',
      right: 'PyObject *item = PyList_GetItem(list, 0);\nif (item == NULL) return NULL;\n/* ... no release: the list owns it */',
    },
  },
  *check(ctx) {
    // A parameter is borrowed by convention only in a function the interpreter calls (a method, a slot); a helper
    // may take its caller's reference on purpose.
    for (const { fn, o } of observationsOf(ctx, 'release-borrowed')) {
      if (o.origin.kind === 'api' && RELEASE_IDIOMS.has(o.origin.api)) continue;
      if (o.origin.kind === 'param' && !ctx.unit.roles.has(fn.fn.name)) continue;
      yield {
        span: o.at,
        api: o.origin.kind === 'api' ? o.origin.api : null,
        message: `${o.place ? `\`${o.place}\` is` : 'this is'} ${originWords(o.origin, ctx)}: releasing it frees an object this function does not own.`,
        path: borrowPath(o.origin, { span: o.at, message: `${o.place ?? 'it'} is released here` }),
      };
    }
  },
};
