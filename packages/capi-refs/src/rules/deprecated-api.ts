/** A use of an API that the target version deprecates. */
import type { NameUse } from '../analysis/name-uses.ts';
import { isDeprecated, isRemoved } from '../query.ts';
import type { Rule } from './rule.ts';
import { alternativeWords, useWords } from './words.ts';

/**
 * Deprecations that the docs scope to one way of calling an API, where the data can only say "deprecated": a call
 * whose arguments show the other way is not reported. Uses that are not calls are reported.
 */
export const CALL_SCOPED_DEPRECATIONS: Readonly<Record<string, (args: readonly string[]) => boolean>> = {
  // 3.15: "Use the PyBytesWriter API instead of PyBytes_FromStringAndSize(NULL, len)."
  PyBytes_FromStringAndSize: (args) => args[0]?.trim() === 'NULL',
};

function deprecationApplies(use: NameUse): boolean {
  const applies = CALL_SCOPED_DEPRECATIONS[use.name];
  return !applies || use.args === null || applies(use.args);
}

export const rule: Rule = {
  meta: {
    id: 'deprecated-api',
    name: 'DeprecatedApi',
    summary: 'Use of an API that is deprecated in the target version',
    help: 'The docs of the target version deprecate this API (soft deprecations are notes). Use the alternative given. Code in an #if branch not compiled for the target is not checked.',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'PyErr_Fetch(&type, &value, &tb);  /* --python 3.12 and later */',
      right: 'PyObject *exc = PyErr_GetRaisedException();',
    },
  },
  *check(ctx) {
    for (const use of ctx.uses) {
      if (!rule.watches!(use.name, ctx) || !deprecationApplies(use)) continue;
      const d = ctx.index.apis.get(use.name)!.deprecated!;
      const removal = d.removalPlanned ? `, removal planned in ${d.removalPlanned}` : '';
      const alt = alternativeWords(use.name, ctx);
      yield {
        span: { start: use.start, end: use.end },
        api: use.name,
        use: use.use,
        level: d.soft ? 'note' : 'warning',
        message: `${use.name}${useWords(use.use)} is ${d.soft ? 'soft-deprecated' : 'deprecated'} since Python ${d.version}${removal}.${alt.text}`,
        replacement: alt.usable,
      };
    }
  },
  watches(name, ctx) {
    const api = ctx.index.apis.get(name);
    return api !== undefined && !isRemoved(api, ctx.python) && isDeprecated(api, ctx.python);
  },
};
