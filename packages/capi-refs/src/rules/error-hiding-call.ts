/**
 * A call to an API that clears the errors raised inside it (`PyDict_GetItem` swallows what a key's `__hash__` or
 * `__eq__` raises, MemoryError included, and looks like a missing key), where the target version has a
 * replacement that reports them. Code that must build for older versions is left alone: the rule fires only when
 * the target has the replacement, so a `--python` below 3.13 reports nothing for PyDict_GetItem.
 */
import { alternativesFor } from '../alternatives.ts';
import type { Rule } from './rule.ts';
import { alternativeWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'error-hiding-call',
    name: 'ErrorHidingCall',
    summary: 'Call to an API that hides the errors raised inside it, where the target has one that reports them',
    help: 'The dataset records that this API clears errors raised during the call (its error convention is "suppressed"): a failed hash or comparison, or a MemoryError, looks like an ordinary result. Reported only when the target version has the replacement; an editor code action rewrites PyDict_GetItem and PyDict_GetItemString calls.',
    // A note: code that still builds for 3.12 and earlier keeps such calls on purpose (or needs pythoncapi-compat);
    // a project can raise it in its settings (rules.error-hiding-call = "warning").
    defaultLevel: 'note',
    explainOnly: false,
    example: {
      wrong: 'PyObject *v = PyDict_GetItem(d, key);  /* --python 3.13 and later */\nif (v == NULL) return Py_NewRef(Py_None);\nreturn PyObject_Repr(v);',
      right: 'PyObject *v;\nif (PyDict_GetItemRef(d, key, &v) < 0) return NULL;\nif (v == NULL) return Py_NewRef(Py_None);\nPyObject *r = PyObject_Repr(v);\nPy_DECREF(v);\nreturn r;',
    },
  },
  *check(ctx) {
    for (const use of ctx.uses) {
      if (use.use !== 'call' || !rule.watches!(use.name, ctx)) continue;
      const alt = alternativeWords(use.name, ctx);
      yield {
        span: { start: use.start, end: use.end },
        api: use.name,
        use: use.use,
        message: `${use.name} clears any error raised inside the call, so a failure looks like an ordinary result.${alt.text}`,
        replacement: alt.usable,
      };
    }
  },
  watches(name, ctx) {
    if (ctx.index.apis.get(name)?.errors?.convention !== 'suppressed') return false;
    return alternativesFor(name, ctx.index.apis, ctx.python).some((a) => a.available);
  },
};
