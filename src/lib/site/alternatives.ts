/**
 * Safer alternatives: a strong-reference replacement for an API whose ownership is easy to get wrong.
 * Derived from the data where a name + 'Ref' exists; otherwise from this small hand list.
 * Each alternative is shown only for versions where it exists in the dataset.
 */
export type Alternative = { name: string; since: string; why: string };

export const HAND_ALTERNATIVES: Record<string, Alternative[]> = {
  PyDict_GetItem: [{ name: 'PyDict_GetItemRef', since: '3.13', why: 'returns a strong reference and reports errors instead of hiding them' }],
  PyDict_GetItemString: [{ name: 'PyDict_GetItemStringRef', since: '3.13', why: 'returns a strong reference and reports errors' }],
  PyDict_GetItemWithError: [{ name: 'PyDict_GetItemRef', since: '3.13', why: 'returns a strong reference' }],
  PyList_GetItem: [{ name: 'PyList_GetItemRef', since: '3.13', why: 'returns a strong reference, safe if the list changes' }],
  PyImport_AddModule: [{ name: 'PyImport_AddModuleRef', since: '3.13', why: 'returns a strong reference' }],
  PyWeakref_GetObject: [{ name: 'PyWeakref_GetRef', since: '3.13', why: 'returns a strong reference, never a dangling borrowed one' }],
  PyWeakref_GET_OBJECT: [{ name: 'PyWeakref_GetRef', since: '3.13', why: 'returns a strong reference' }],
  PyModule_AddObject: [
    { name: 'PyModule_AddObjectRef', since: '3.10', why: 'never steals, so error handling is simple' },
    { name: 'PyModule_Add', since: '3.13', why: 'always steals, even on failure, so no leak is possible' },
  ],
  PyErr_Fetch: [{ name: 'PyErr_GetRaisedException', since: '3.12', why: 'one strong reference to the exception instead of three' }],
  PyErr_Restore: [{ name: 'PyErr_SetRaisedException', since: '3.12', why: 'one reference instead of three' }],
  PyEval_GetGlobals: [{ name: 'PyEval_GetFrameGlobals', since: '3.13', why: 'returns a strong reference' }],
  PyEval_GetBuiltins: [{ name: 'PyEval_GetFrameBuiltins', since: '3.13', why: 'returns a strong reference' }],
  PyEval_GetLocals: [{ name: 'PyEval_GetFrameLocals', since: '3.13', why: 'returns a strong reference' }],
  PySys_GetObject: [{ name: 'PySys_GetAttr', since: '3.15', why: 'returns a strong reference and reports errors' }],
};

/** The alternatives of `name` available in a version whose API names are `names`. */
export function alternativesFor(
  name: string,
  returnOwnership: string | null,
  names: ReadonlySet<string>,
): Alternative[] {
  const out: Alternative[] = [];
  for (const alt of HAND_ALTERNATIVES[name] ?? []) if (names.has(alt.name)) out.push(alt);
  const ref = `${name}Ref`;
  if (returnOwnership === 'borrowed' && names.has(ref) && !out.some((a) => a.name === ref)) {
    out.push({ name: ref, since: '', why: 'returns a strong reference' });
  }
  return out;
}
