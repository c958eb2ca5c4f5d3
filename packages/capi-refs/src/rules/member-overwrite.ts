/** A member that holds a strong reference overwritten with a new one, the old one never released. */
import type { Rule } from './rule.ts';
import { selfTypeName } from '../analysis/object-types.ts';
import { handled, ownedMembers } from './members.ts';

/** Functions that fill a fresh object, whose members are still NULL. */
const FILLS_FRESH_OBJECT = /(^|_)(new|init|alloc|create|setup|make)($|_)/i;
const FILLING_SLOTS = new Set(['tp_new', 'tp_init', 'tp_alloc']);

export const rule: Rule = {
  meta: {
    id: 'member-overwrite',
    name: 'MemberOverwrite',
    summary: 'A member holding a reference is overwritten without releasing the old one',
    help:
      'The member owns a strong reference (the type releases it in tp_dealloc or elsewhere), and this assignment replaces it ' +
      'with a new one without releasing the old: the old object leaks each time. Use Py_XSETREF(self->member, value), which ' +
      'stores first and releases the old value after.',
    defaultLevel: 'warning',
    explainOnly: false,
    example: {
      wrong: 'static int\nset_callback(CurlObject *self, PyObject *cb)\n{\n    self->callback = Py_NewRef(cb);  /* the previous callback leaks */\n    return 0;\n}',
      right: 'static int\nset_callback(CurlObject *self, PyObject *cb)\n{\n    Py_XSETREF(self->callback, Py_NewRef(cb));\n    return 0;\n}',
    },
  },
  *check(ctx) {
    for (const fn of ctx.unit.functions) {
      const typeName = selfTypeName(fn.fn);
      if (!typeName) continue;
      const owned = new Set(ownedMembers(typeName, ctx));
      const slot = ctx.unit.roles.get(fn.fn.name)?.slot;
      if ((slot && FILLING_SLOTS.has(slot)) || FILLS_FRESH_OBJECT.test(fn.fn.name)) continue;
      // A function that releases the member itself, or through the file's functions it calls (`VB_clear(self)`),
      // replaces it knowingly; the release-before-store rule judges the order.
      const releases = handled(fn.fn.name, 'released', ctx).members;
      for (const o of fn.observations) {
        if (o.type !== 'member-overwrite' || !o.owned || !owned.has(o.field) || releases.has(o.field)) continue;
        yield {
          span: o.at,
          api: null,
          message: `\`${o.place}\` holds a strong reference, and ${fn.fn.name}() overwrites it without releasing the old one: use Py_XSETREF(${o.place}, ...).`,
          replacement: 'Py_XSETREF',
        };
      }
    }
  },
};
