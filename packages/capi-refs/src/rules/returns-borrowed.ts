/** A function that must return a new reference returns a borrowed one (Py_None, a parameter, a borrowed result). */
import type { Rule } from './rule.ts';
import { originWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'returns-borrowed',
    name: 'ReturnsBorrowed',
    summary: 'A borrowed reference is returned where a new one is required',
    help:
      'Methods, getters and slots such as tp_repr or tp_iter return a new reference, which the interpreter releases. Returning ' +
      'a borrowed one (Py_None, self, an argument, a PyDict_GetItem result) without a strong reference makes it release one it ' +
      'never got. Return Py_NewRef(x), or use Py_RETURN_NONE.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'static PyObject *\nspam_clear(PyObject *self, PyObject *unused)\n{\n    return Py_None;\n}',
      right: 'static PyObject *\nspam_clear(PyObject *self, PyObject *unused)\n{\n    Py_RETURN_NONE;\n}',
    },
  },
  *check(ctx) {
    for (const fn of ctx.unit.functions) {
      const returns = fn.observations.filter((o) => o.type === 'return');
      const role = ctx.unit.roles.get(fn.fn.name);
      const why = role?.mustReturnNew ?? (returns.some((r) => r.value === 'new') ? 'its other returns are new references' : null);
      if (!why) continue;
      for (const o of returns) {
        if (o.value !== 'borrowed' || !o.origin) continue;
        // A helper may return a parameter by its own convention (it took the caller's reference).
        if (o.origin.kind === 'param' && !role?.mustReturnNew) continue;
        yield {
          span: o.at,
          api: o.origin.kind === 'api' ? o.origin.api : null,
          message: `${fn.fn.name}() must return a new reference (${why}), but returns ${originWords(o.origin, ctx)}: return Py_NewRef(...) instead.`,
          path: o.path,
        };
      }
    }
  },
};
