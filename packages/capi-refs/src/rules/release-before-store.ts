/** A member released and then overwritten: between the two, the object holds a dangling pointer. */
import { observationsOf, type Rule } from './rule.ts';

export const rule: Rule = {
  meta: {
    id: 'release-before-store',
    name: 'ReleaseBeforeStore',
    summary: 'A member is released before it is overwritten: use Py_SETREF',
    help:
      'Py_DECREF can run arbitrary code (a __del__, a weakref callback) that sees the member while it still points at the freed ' +
      'object. Py_SETREF(x->member, value) (or Py_XSETREF when it may be NULL) stores first and releases after.',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'Py_XDECREF(self->name);\nself->name = Py_NewRef(name);',
      right: 'Py_XSETREF(self->name, Py_NewRef(name));',
    },
  },
  *check(ctx) {
    for (const { o } of observationsOf(ctx, 'field-released-then-stored')) {
      yield {
        span: o.at,
        api: null,
        message: `\`${o.place}\` is released at line ${ctx.lineOf(o.releasedAt.start)} and overwritten only here: code run by the release sees a dangling pointer. Use Py_XSETREF(${o.place}, ...).`,
        replacement: 'Py_XSETREF',
      };
    }
  },
};
