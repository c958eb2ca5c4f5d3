/** A function that must return a new reference returns a borrowed one (Py_None, a parameter, a borrowed result). */
import { functionSubexpressions } from '../analysis/cfg.ts';
import { STATIC_OBJECTS } from '../analysis/engine.ts';
import { placeKey, uncast, type Expr } from '../analysis/expressions.ts';
import type { Rule, RuleContext } from './rule.ts';
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
    let sentinelHelpers: Set<string> | null = null;
    for (const fn of ctx.unit.functions) {
      const returns = fn.observations.filter((o) => o.type === 'return');
      const role = ctx.unit.roles.get(fn.fn.name);
      const why = role?.mustReturnNew ?? (returns.some((r) => r.value === 'new') ? 'its other returns are new references' : null);
      if (!why) continue;
      for (const o of returns) {
        if (o.value !== 'borrowed' || !o.origin) continue;
        // A helper may return a parameter by its own convention (it took the caller's reference), or Py_None as a
        // sentinel when every caller in the file tests for it (`if (r != Py_None) Py_DECREF(r);`).
        if (o.origin.kind === 'param' && !role?.mustReturnNew) continue;
        if (o.origin.kind === 'static' && !role?.mustReturnNew && (sentinelHelpers ??= singletonSentinels(ctx)).has(fn.fn.name)) continue;
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

/**
 * The file's functions whose every call stores the result in a variable that the calling function then compares
 * with a singleton (`r = helper(); ... if (r != Py_None) ...`): for them a returned Py_None is a sentinel.
 */
function singletonSentinels(ctx: RuleContext): Set<string> {
  const calls = new Map<string, number>();
  const tested = new Map<string, number>();
  const count = (map: Map<string, number>, name: string): void => void map.set(name, (map.get(name) ?? 0) + 1);
  for (const { fn } of ctx.unit.functions) {
    const compared = new Set<string>();
    const all = functionSubexpressions(fn);
    for (let i = 0; i < all.length; i++) {
      const e = all[i]!;
      if (e.t === 'call' && e.callee !== null) count(calls, e.callee);
      if (e.t !== 'binary' || (e.op !== '==' && e.op !== '!=')) continue;
      const [l, r] = [placeKey(e.left), placeKey(e.right)];
      if (l !== null && r !== null && STATIC_OBJECTS.has(r)) compared.add(l);
      if (l !== null && r !== null && STATIC_OBJECTS.has(l)) compared.add(r);
    }
    const stores: [string | null, Expr | null][] = fn.nodes.flatMap((node): [string | null, Expr | null][] => {
      if (node.kind === 'declare') return [[node.name, node.init]];
      const e = node.kind === 'eval' ? uncast(node.expr) : null;
      return e?.t === 'assign' && e.op === '=' ? [[placeKey(e.left), e.right]] : [];
    });
    for (const [target, value] of stores) {
      const call = value ? uncast(value) : null;
      if (target !== null && call?.t === 'call' && call.callee !== null && compared.has(target)) count(tested, call.callee);
    }
  }
  return new Set([...tested].filter(([name, n]) => calls.get(name) === n).map(([name]) => name));
}
