/** A use of an API that the target version removed. */
import { isRemoved } from '../query.ts';
import { compareVersions } from '../versions.ts';
import type { Rule } from './rule.ts';
import { alternativeWords, useWords } from './words.ts';

export const rule: Rule = {
  meta: {
    id: 'removed-api',
    name: 'RemovedApi',
    summary: 'Use of an API that is removed in the target version',
    help: 'The target version removed this API, or no longer documents it although an earlier version did. Code in an #if branch not compiled for the target is not checked.',
    defaultLevel: 'error',
    explainOnly: false,
    example: {
      wrong: 'PyObject *obj = PyWeakref_GetObject(ref);  /* --python 3.15 */',
      right: 'PyObject *obj;\nif (PyWeakref_GetRef(ref, &obj) < 0) return NULL;',
    },
  },
  *check(ctx) {
    for (const use of ctx.uses) {
      const api = ctx.index.apis.get(use.name);
      const history = ctx.combined.apis[use.name];
      let message: string | null = null;
      if (!api && history && compareVersions(history.lastSeen, ctx.python) < 0) {
        message = `${use.name}${useWords(use.use)} is not in the Python ${ctx.python} C API: its docs list it last in ${history.lastSeen}.`;
      } else if (api && isRemoved(api, ctx.python)) {
        message = `${use.name}${useWords(use.use)} was removed in Python ${api.removed!.version}.`;
      }
      if (message === null) continue;
      const alt = alternativeWords(use.name, ctx);
      yield { span: { start: use.start, end: use.end }, api: use.name, use: use.use, message: message + alt.text, replacement: alt.usable };
    }
  },
  watches(name, ctx) {
    const api = ctx.index.apis.get(name);
    const history = ctx.combined.apis[name];
    return api ? isRemoved(api, ctx.python) : history !== undefined && compareVersions(history.lastSeen, ctx.python) < 0;
  },
};
