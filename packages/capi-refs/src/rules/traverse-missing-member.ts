/** A tp_traverse that does not visit a member that tp_clear clears. */
import type { Rule } from './rule.ts';
import { handled, slotImplementations } from './members.ts';

export const rule: Rule = {
  meta: {
    id: 'traverse-missing-member',
    name: 'TraverseMissingMember',
    summary: 'tp_traverse does not visit a member that tp_clear clears',
    help:
      'tp_clear breaks reference cycles through this member, but tp_traverse never reports it to the garbage collector, ' +
      'so a cycle through it is never found. Add Py_VISIT(self->member) to tp_traverse.',
    // A note: tp_clear may clear members that cannot close a cycle (a string, a weak reference) and that
    // tp_traverse rightly skips; the rule shows the inconsistency, the author judges it.
    defaultLevel: 'note',
    explainOnly: false,
    example: {
      wrong: 'static int\nNode_traverse(NodeObject *self, visitproc visit, void *arg)\n{\n    Py_VISIT(self->parent);\n    return 0;  /* self->children is cleared in Node_clear but not visited */\n}',
      right: 'static int\nNode_traverse(NodeObject *self, visitproc visit, void *arg)\n{\n    Py_VISIT(self->parent);\n    Py_VISIT(self->children);\n    return 0;\n}',
    },
  },
  *check(ctx) {
    const clears = new Map<string, Set<string>>();
    for (const { fn, typeName } of slotImplementations('tp_clear', ctx)) clears.set(typeName, handled(fn.fn.name, 'released', ctx).members);
    for (const { fn, typeName } of slotImplementations('tp_traverse', ctx)) {
      const cleared = clears.get(typeName);
      if (!cleared) continue;
      const { members, opaque } = handled(fn.fn.name, 'visited', ctx);
      if (opaque) continue;
      for (const member of [...cleared].sort()) {
        if (members.has(member)) continue;
        yield {
          span: fn.fn.nameSpan,
          api: null,
          message: `${fn.fn.name}() (tp_traverse of ${typeName}) does not visit \`${member}\`, which tp_clear clears: add Py_VISIT(self->${member}).`,
        };
      }
    }
  },
};
