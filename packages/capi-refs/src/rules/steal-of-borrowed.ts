/** A borrowed reference handed to a call that steals it. */
import { observationsOf, type Rule } from './rule.ts';
import { borrowPath, originWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'steal-of-borrowed',
    name: 'StealOfBorrowed',
    summary: 'A borrowed reference is given to a call that steals it',
    help:
      'The call takes over the reference it is given (PyList_SetItem, PyTuple_SET_ITEM, Py_BuildValue("N")...), but this one is ' +
      'borrowed: the container will release a reference the function never had. Pass Py_NewRef(x) instead.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'PyTuple_SET_ITEM(tuple, 0, Py_None);',
      right: 'PyTuple_SET_ITEM(tuple, 0, Py_NewRef(Py_None));',
    },
  },
  *check(ctx) {
    // A parameter is borrowed by convention only in a function the interpreter calls (a method, a slot); a helper
    // may take its caller's reference on purpose.
    for (const { fn, o } of observationsOf(ctx, 'steal-borrowed')) {
      if (o.origin.kind === 'param' && !ctx.unit.roles.has(fn.fn.name)) continue;
      yield {
        span: o.at,
        api: o.api,
        message: `${o.api} steals argument ${o.argIndex + 1}, but ${o.place ? `\`${o.place}\` is ` : 'it is '}${originWords(o.origin, ctx)}: pass Py_NewRef(${o.place ?? '...'}).`,
        path: borrowPath(o.origin, { span: o.at, message: `${o.api} takes it here` }),
      };
    }
  },
};
