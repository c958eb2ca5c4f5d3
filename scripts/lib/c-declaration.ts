/**
 * Splits the C declarations that the docs show (e.g. `PyObject *PyList_GetItem(PyObject *list, Py_ssize_t index)`)
 * into a return type and parameters. The docs' signatures are regular enough that a small scanner over
 * balanced parentheses is exact for them; a full C parser is not needed for text Sphinx has already tokenised.
 */

export interface CParam {
  name: string;
  type: string;
}

export interface CDeclaration {
  /** null when the declaration is not called (no parameter list follows the name). */
  returnType: string | null;
  params: CParam[] | null;
}

/**
 * Spaces a type as CPython's docs do, so that types from any source compare equal: a space before the first '*',
 * none between '*'s or inside parentheses: 'PyObject*' → 'PyObject *', 'PyObject * const*' → 'PyObject *const *',
 * 'void (* )( PyObject*)' → 'void (*)(PyObject *)'.
 */
export function normaliseType(type: string): string {
  const tokens = type.match(/\*|[()]|[^\s*()]+/g) ?? [];
  let out = '';
  let previous: string | undefined;
  for (const token of tokens) {
    const afterWord = previous !== undefined && previous !== '*' && previous !== '(' && previous !== ')';
    if (afterWord && token !== ')') out += ' ';
    out += token;
    previous = token;
  }
  return out;
}

/** Splits on commas that are not inside parentheses or brackets (function-pointer parameters have their own). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(' || char === '[') depth++;
    if (char === ')' || char === ']') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  // A trailing comma (the 3.9 docs have one in Py_AddPendingCall) separates nothing.
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

const TYPE_WORDS = new Set([
  'const', 'volatile', 'unsigned', 'signed', 'short', 'long', 'int', 'char', 'void', 'float', 'double',
  'struct', 'union', 'enum', 'size_t', 'wchar_t', 'va_list', 'FILE', 'Py_ssize_t',
]);

export function parseParam(text: string): CParam {
  if (text === '...') return { name: '...', type: '...' };
  // A function pointer: `int (*visit)(PyObject *, void *)`; its name is inside the first parentheses.
  const pointer = /^(.*?)\(\s*\*\s*([A-Za-z_]\w*)?\s*\)\s*(\(.*\))$/.exec(text);
  if (pointer) {
    const [, head = '', name = '', tail = ''] = pointer;
    return { name, type: normaliseType(`${head} (*)${tail}`) };
  }
  const array = /^(.*?)([A-Za-z_]\w*)\s*(\[[^\]]*\])$/.exec(text);
  if (array) {
    const [, head = '', name = '', brackets = ''] = array;
    return { name, type: `${normaliseType(head)}${brackets}` };
  }
  const named = /^(.*[\s*])([A-Za-z_]\w*)$/.exec(text);
  if (named) {
    const [, head = '', name = ''] = named;
    if (head.trim() !== '' && !TYPE_WORDS.has(name)) return { name, type: normaliseType(head) };
  }
  // A macro parameter has a name and no type; a bare type has a type and no name.
  if (/^[A-Za-z_]\w*$/.test(text) && !TYPE_WORDS.has(text) && !/^Py[A-Z]\w*$/.test(text)) {
    return { name: text, type: '' };
  }
  return { name: '', type: normaliseType(text) };
}

/**
 * Parses a declaration given the declared name, so that the return type is exactly the text before the name.
 * `name` for a struct member is its last component.
 */
export function parseDeclaration(signature: string, name: string): CDeclaration {
  const at = findName(signature, name);
  if (at < 0) return { returnType: null, params: null };
  const before = signature.slice(0, at).trim();
  const after = signature.slice(at + name.length).trim();
  if (!after.startsWith('(')) return { returnType: null, params: null };
  const close = matchingParen(after);
  const inside = after.slice(1, close).trim();
  const params = inside === '' || inside === 'void' ? [] : splitTopLevel(inside).map(parseParam);
  return { returnType: before === '' ? '' : normaliseType(before), params };
}

/** Text to match literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function findName(signature: string, name: string): number {
  const pattern = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(name)}(?![A-Za-z0-9_])`);
  const match = pattern.exec(signature);
  return match ? match.index + match[1]!.length : -1;
}

function matchingParen(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** PyObject and its concrete structs (PyTypeObject, PyCodeObject, PyDateTime_Date, …); TYPE is how the docs write the object type a macro such as PyObject_New is given. */
const OBJECT_TYPE = String.raw`(const )?(PyObject|Py\w*Object|PyDateTime_(?!CAPI)\w+|TYPE)`;

/** A pointer to an object (const-qualified too). */
export function isObjectPointer(type: string): boolean {
  return new RegExp(`^${OBJECT_TYPE} \\*$`).test(normaliseType(type));
}

/** An array of object references the callee reads (vectorcall's `PyObject *const *args`). */
export function isObjectArray(type: string): boolean {
  return new RegExp(`^${OBJECT_TYPE} \\*const \\*$`).test(normaliseType(type));
}

/** A pointer to an object pointer: where a function writes a reference out, or replaces one in place. */
export function isObjectPointerPointer(type: string): boolean {
  return new RegExp(`^${OBJECT_TYPE} \\*\\*$`).test(normaliseType(type));
}
