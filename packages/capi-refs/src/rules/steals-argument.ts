/** Explanation mode: every call that steals an argument. */
import { RELEASE_PRIMITIVES } from '../analysis/engine.ts';
import type { Rule } from './rule.ts';
import { alternativeWords, useWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'steals-argument',
    name: 'StealsArgument',
    summary: 'Call to an API that steals a reference to an argument (explanation)',
    help:
      'The call takes over the reference passed in: do not release it afterwards. An API that steals only on success leaves the ' +
      'reference with you when it fails. Shown only with --explain; the ownership rules report the misuses.',
    defaultLevel: 'note',
    explainOnly: true,
    example: {
      wrong: 'PyList_SetItem(list, 0, item);\nPy_DECREF(item);',
      right: 'PyList_SetItem(list, 0, item);  /* the list owns item now */',
    },
  },
  *check(ctx) {
    for (const use of ctx.uses) {
      if (!rule.watches!(use.name, ctx)) continue;
      for (const [i, p] of ctx.index.apis.get(use.name)!.params.entries()) {
        if (p.ownership !== 'stolen' && p.ownership !== 'stolen-on-success') continue;
        const arg = use.args?.[i];
        const what = arg === undefined ? `its argument ${i + 1} (${p.name})` : `\`${arg.length > 60 ? arg.slice(0, 57) + '...' : arg}\` (argument ${i + 1}, ${p.name})`;
        const onSuccess = p.ownership === 'stolen-on-success';
        const alt = onSuccess ? alternativeWords(use.name, ctx) : { usable: null, text: '' };
        yield {
          span: { start: use.start, end: use.end },
          api: use.name,
          use: use.use,
          message: onSuccess
            ? `${use.name}${useWords(use.use)} steals ${what} only when it succeeds: on failure you still own it and must release it.${alt.text}`
            : `${use.name}${useWords(use.use)} steals ${what}, even when it fails: do not release it afterwards.`,
          replacement: alt.usable,
        };
      }
    }
  },
  watches(name, ctx) {
    // The data records a release primitive's parameter as stolen (releasing is what it is for): not explained.
    const api = ctx.index.apis.get(name);
    return api !== undefined && !RELEASE_PRIMITIVES.has(name) && api.params.some((p) => p.ownership === 'stolen' || p.ownership === 'stolen-on-success');
  },
};
