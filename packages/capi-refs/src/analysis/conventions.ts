/**
 * What CPython expects of the file's own functions, read from the tables that hand them to the interpreter:
 * a function in a `PyMethodDef` table, a `PyGetSetDef` getter or a slot such as `tp_repr` must return a new
 * reference; a `tp_dealloc` releases the object's members. Read from `PyMethodDef`, `PyGetSetDef`,
 * `PyType_Slot` arrays, `PyTypeObject` and the slot-method structs (designated or positional), and from casts
 * to `PyCFunction` and its kin anywhere in the file.
 */
import type { Node as TsNode } from 'web-tree-sitter';

export interface FunctionRole {
  /** Why the function must return a new reference, or null. */
  readonly mustReturnNew: string | null;
  /** The type slot the function fills (`tp_dealloc`), if any. */
  readonly slot: string | null;
}

/** Slots whose function returns a new reference (or NULL with an exception). */
export const NEW_REFERENCE_SLOTS: ReadonlySet<string> = new Set([
  'tp_alloc', 'tp_repr', 'tp_str', 'tp_call', 'tp_getattr', 'tp_getattro', 'tp_richcompare', 'tp_iter', 'tp_iternext', 'tp_descr_get', 'tp_new',
  'nb_add', 'nb_subtract', 'nb_multiply', 'nb_remainder', 'nb_divmod', 'nb_power', 'nb_negative', 'nb_positive', 'nb_absolute', 'nb_invert',
  'nb_lshift', 'nb_rshift', 'nb_and', 'nb_xor', 'nb_or', 'nb_int', 'nb_float', 'nb_inplace_add', 'nb_inplace_subtract', 'nb_inplace_multiply',
  'nb_inplace_remainder', 'nb_inplace_power', 'nb_inplace_lshift', 'nb_inplace_rshift', 'nb_inplace_and', 'nb_inplace_xor', 'nb_inplace_or',
  'nb_floor_divide', 'nb_true_divide', 'nb_inplace_floor_divide', 'nb_inplace_true_divide', 'nb_index', 'nb_matrix_multiply',
  'nb_inplace_matrix_multiply', 'sq_concat', 'sq_repeat', 'sq_item', 'sq_inplace_concat', 'sq_inplace_repeat', 'mp_subscript', 'am_await',
  'am_aiter', 'am_anext',
]);

/** PyTypeObject's fields in declaration order, from tp_name on (the head initializer comes before). */
const TYPE_FIELDS_FROM_NAME = [
  'tp_name', 'tp_basicsize', 'tp_itemsize', 'tp_dealloc', 'tp_vectorcall_offset', 'tp_getattr', 'tp_setattr', 'tp_as_async', 'tp_repr',
  'tp_as_number', 'tp_as_sequence', 'tp_as_mapping', 'tp_hash', 'tp_call', 'tp_str', 'tp_getattro', 'tp_setattro', 'tp_as_buffer',
  'tp_flags', 'tp_doc', 'tp_traverse', 'tp_clear', 'tp_richcompare', 'tp_weaklistoffset', 'tp_iter', 'tp_iternext', 'tp_methods',
  'tp_members', 'tp_getset', 'tp_base', 'tp_dict', 'tp_descr_get', 'tp_descr_set', 'tp_dictoffset', 'tp_init', 'tp_alloc', 'tp_new',
  'tp_free',
];

const FUNCTION_CAST_NAMES =
  'PyCFunctionWithKeywords|PyCFunctionFastWithKeywords|_PyCFunctionFastWithKeywords|PyCFunctionFast|_PyCFunctionFast|PyCFunction|PyCMethod|' +
  'getter|reprfunc|ternaryfunc|binaryfunc|unaryfunc|getiterfunc|iternextfunc|richcmpfunc|descrgetfunc|newfunc|getattrofunc';

function namedChildren(node: TsNode): TsNode[] {
  return node.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment');
}

/** The function name an initializer element names (through casts and `&`), or null. */
function functionName(node: TsNode | undefined): string | null {
  let cur = node ?? null;
  for (let guard = 0; cur && guard < 20; guard++) {
    if (cur.type === 'identifier') return cur.text;
    if (cur.type === 'cast_expression') cur = cur.childForFieldName('value');
    else if (cur.type === 'parenthesized_expression') cur = namedChildren(cur)[0] ?? null;
    else if (cur.type === 'pointer_expression') cur = cur.childForFieldName('argument');
    else return null;
  }
  return null;
}

/** A cast of a function name to a function type that returns a new reference, written anywhere in the file. */
const FUNCTION_CAST_USE = new RegExp(`\\(\\s*(${FUNCTION_CAST_NAMES})\\s*\\)\\s*&?\\s*([A-Za-z_]\\w*)`, 'g');

/**
 * The roles of the file's functions, by name, from its top-level declarations (the tables) and the casts written
 * anywhere in `source` (read from the text: no table is needed for `(PyCFunction)fn`).
 */
export function readFunctionRoles(topLevelDeclarations: readonly TsNode[], source: string): Map<string, FunctionRole> {
  const roles = new Map<string, FunctionRole>();
  const mark = (name: string | null, mustReturnNew: string | null, slot: string | null): void => {
    if (!name) return;
    const old = roles.get(name);
    roles.set(name, { mustReturnNew: old?.mustReturnNew ?? mustReturnNew, slot: old?.slot ?? slot });
  };
  const markSlot = (slot: string, fn: string | null): void => {
    mark(fn, NEW_REFERENCE_SLOTS.has(slot) ? `it fills the ${slot} slot` : null, slot);
  };
  for (const m of source.matchAll(FUNCTION_CAST_USE)) mark(m[2]!, `it is cast to ${m[1]}, a function returning a new reference`, null);

  for (const decl of topLevelDeclarations) {
    const type = decl.childForFieldName('type')?.text ?? '';
    const table = /^(?:struct\s+)?(PyMethodDef|PyGetSetDef|PyType_Slot|PyModuleDef_Slot|PyTypeObject|PyNumberMethods|PySequenceMethods|PyMappingMethods|PyAsyncMethods)$/.exec(type)?.[1];
    if (!table) continue;
    for (const init of decl.childrenForFieldName('declarator')) {
      const list = init?.type === 'init_declarator' ? init.childForFieldName('value') : null;
      if (list?.type !== 'initializer_list') continue;
      if (table === 'PyMethodDef' || table === 'PyGetSetDef') {
        for (const entry of namedChildren(list)) {
          if (entry.type !== 'initializer_list') continue;
          const fields = namedChildren(entry);
          const designated = fields.find((f) => f.type === 'initializer_pair' && /\b(ml_meth|get)\b/.test(f.childForFieldName('designator')?.text ?? ''));
          const fn = designated ? functionName(designated.childForFieldName('value') ?? undefined) : functionName(fields[1]);
          mark(fn, table === 'PyMethodDef' ? 'it is a method in a PyMethodDef table' : 'it is a getter in a PyGetSetDef table', null);
        }
      } else if (table === 'PyModuleDef_Slot') {
        for (const entry of namedChildren(list)) {
          if (entry.type !== 'initializer_list') continue;
          const [slot, fn] = namedChildren(entry);
          if (slot?.text === 'Py_mod_exec') mark(functionName(fn), null, 'Py_mod_exec');
        }
      } else if (table === 'PyType_Slot') {
        for (const entry of namedChildren(list)) {
          if (entry.type !== 'initializer_list') continue;
          const [slot, fn] = namedChildren(entry);
          const slotName = /^Py_(tp|nb|sq|mp|am)_(\w+)$/.exec(slot?.text ?? '');
          if (slotName) markSlot(`${slotName[1]}_${slotName[2]}`, functionName(fn));
        }
      } else {
        const elements = namedChildren(list);
        const position = table === 'PyTypeObject' ? elements.findIndex((e) => e.type === 'string_literal' || e.type === 'concatenated_string') : 0;
        for (const element of elements) {
          if (element.type === 'initializer_pair') {
            const slot = /(tp|nb|sq|mp|am)_\w+/.exec(element.childForFieldName('designator')?.text ?? '')?.[0];
            if (slot) markSlot(slot, functionName(element.childForFieldName('value') ?? undefined));
          } else if (table === 'PyTypeObject' && position >= 0) {
            const index = elements.indexOf(element) - position;
            const slot = index >= 0 ? TYPE_FIELDS_FROM_NAME[index] : undefined;
            if (slot) markSlot(slot, functionName(element));
          }
        }
      }
    }
  }
  return roles;
}
