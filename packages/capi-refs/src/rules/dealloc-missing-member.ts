/** A tp_dealloc or tp_clear that leaves a member holding a strong reference unreleased. */
import type { Rule } from './rule.ts';
import { handled, ownedMembers, slotImplementations } from './members.ts';

export const rule: Rule = {
  meta: {
    id: 'dealloc-missing-member',
    name: 'DeallocMissingMember',
    summary: 'tp_dealloc or tp_clear does not release a member that holds a reference',
    help:
      'The type stores strong references in this member (the file stores new references in it, or releases it elsewhere), ' +
      'but its tp_dealloc (or tp_clear) never releases it, directly or through the functions it calls: every object of the ' +
      'type leaks what the member holds. Add Py_CLEAR(self->member).',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'static void\nProxy_dealloc(ProxyObject *self)\n{\n    Py_CLEAR(self->dict);\n    Py_TYPE(self)->tp_free((PyObject *)self);  /* self->target leaks */\n}',
      right: 'static void\nProxy_dealloc(ProxyObject *self)\n{\n    Py_CLEAR(self->dict);\n    Py_CLEAR(self->target);\n    Py_TYPE(self)->tp_free((PyObject *)self);\n}',
    },
  },
  *check(ctx) {
    const traversed = new Map<string, Set<string>>();
    for (const { fn, typeName } of slotImplementations('tp_traverse', ctx)) traversed.set(typeName, handled(fn.fn.name, 'visited', ctx).members);
    for (const slot of ['tp_dealloc', 'tp_clear']) {
      for (const { fn, typeName } of slotImplementations(slot, ctx)) {
        const { members, opaque } = handled(fn.fn.name, 'released', ctx);
        if (opaque) continue;
        // tp_dealloc must release every member that holds a reference; tp_clear only those that can close a
        // cycle, which are the ones tp_traverse reports.
        const required = slot === 'tp_dealloc' ? ownedMembers(typeName, ctx) : [...(traversed.get(typeName) ?? [])].sort();
        for (const member of required) {
          if (members.has(member)) continue;
          yield {
            span: fn.fn.nameSpan,
            api: null,
            message: `${fn.fn.name}() (${slot} of ${typeName}) does not release the member \`${member}\`, which holds a strong reference${slot === 'tp_clear' ? ' that tp_traverse visits' : ''}: add Py_CLEAR(self->${member}).`,
          };
        }
      }
    }
  },
};
