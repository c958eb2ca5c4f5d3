/**
 * Readers of the format strings of Py_BuildValue and PyArg_Parse*: which variadic argument each format unit
 * consumes and what happens to its reference. The unit tables follow the C-API docs ("Parsing arguments and
 * building values", c-api/arg.html) and CPython's Python/modsupport.c and Python/getargs.c where the docs are
 * silent (e.g. `N&`, which modsupport.c reads like `O&`).
 *
 * A format is the string as C sees it: escapes decoded and adjacent literals joined.
 */

/** What Py_BuildValue does with each variadic argument that a format unit consumes, in order. */
export type BuildArgUse =
  | 'steals' /* N: stolen, even on failure */
  | 'borrows' /* O, S: a new reference is taken; the caller keeps its own */
  | 'converter' /* O& : two args: converter function and its argument */
  | 'value' /* any non-object value: i, s, d, y#... */;

/** Build units that take one non-object value. `p` (a C int made a bool) is new in 3.14. */
const BUILD_VALUE_UNITS = new Set(['b', 'B', 'h', 'H', 'i', 'I', 'l', 'k', 'L', 'K', 'n', 'c', 'C', 'd', 'f', 'D', 'p']);
/** Build units that take a buffer, and its length too when followed by '#'. */
const BUILD_STRING_UNITS = new Set(['s', 'z', 'y', 'u', 'U']);
/** Characters Py_BuildValue skips between units, for readability. */
const BUILD_SEPARATORS = new Set([' ', '\t', ',', ':']);
const BUILD_CLOSERS: ReadonlyMap<string, string> = new Map([
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
]);

/**
 * The use of each variadic argument of Py_BuildValue (or of the calls that build their arguments the same way,
 * see FORMAT_CALLS) for `format`; null when the format is malformed (an unknown unit, an unmatched bracket, a dict
 * with an odd number of items), which makes Py_BuildValue fail with SystemError.
 *
 * `O&` (and `N&`, `S&`) gives 'converter' for both of its arguments: the function and the pointer passed to it.
 */
export function buildValueArgs(format: string): readonly BuildArgUse[] | null {
  const uses: BuildArgUse[] = [];
  // The closers expected, innermost last, and how many items each open bracket holds so far.
  const closers: string[] = [];
  const itemCounts: number[] = [0];
  const countItem = (): void => {
    itemCounts[itemCounts.length - 1]! += 1;
  };
  for (let i = 0; i < format.length; i++) {
    const unit = format[i]!;
    const closer = BUILD_CLOSERS.get(unit);
    if (closer !== undefined) {
      countItem();
      closers.push(closer);
      itemCounts.push(0);
    } else if (unit === ')' || unit === ']' || unit === '}') {
      if (closers.pop() !== unit) return null;
      const items = itemCounts.pop()!;
      if (unit === '}' && items % 2 !== 0) return null; // keys and values come in pairs
    } else if (BUILD_SEPARATORS.has(unit)) {
      continue;
    } else if (unit === 'O' || unit === 'S' || unit === 'N') {
      countItem();
      if (format[i + 1] === '&') {
        i++;
        uses.push('converter', 'converter');
      } else {
        uses.push(unit === 'N' ? 'steals' : 'borrows');
      }
    } else if (BUILD_STRING_UNITS.has(unit)) {
      countItem();
      if (format[i + 1] === '#') {
        i++;
        uses.push('value', 'value');
      } else {
        uses.push('value');
      }
    } else if (BUILD_VALUE_UNITS.has(unit)) {
      countItem();
      uses.push('value');
    } else {
      return null;
    }
  }
  return closers.length === 0 ? uses : null;
}

/** For PyArg_Parse*: for each variadic argument, 'out-borrowed' for a PyObject** filled with a borrowed reference (O, O!, S, U, Y...), 'type' for the type object argument of O!, 'converter' pieces for O&, 'value' otherwise. Stop at ':' or ';'. */
export type ParseArgUse = 'out-borrowed' | 'type-object' | 'converter' | 'converter-target' | 'value';

/** Parse units that fill one C value. `u` and `Z` (Py_UNICODE *) were removed in 3.12; older code still has them. */
const PARSE_VALUE_UNITS = new Set(['b', 'B', 'h', 'H', 'i', 'I', 'l', 'k', 'L', 'K', 'n', 'c', 'C', 'f', 'd', 'D', 'p']);
/** Parse units that fill a pointer, a Py_buffer when followed by '*', or a pointer and a length when by '#'. */
const PARSE_STRING_UNITS = new Set(['s', 'z', 'y']);
const PARSE_UNICODE_UNITS = new Set(['u', 'Z']);
/** Parse units that store the object itself, as a borrowed reference. */
const PARSE_OBJECT_UNITS = new Set(['S', 'U', 'Y']);

/**
 * The use of each variadic argument of PyArg_ParseTuple, PyArg_ParseTupleAndKeywords and PyArg_Parse for `format`;
 * null when the format is malformed (an unknown unit, unbalanced parentheses, '|', '$', ':' or ';' inside
 * parentheses, '|' or '$' twice, '|' after '$'). `es`/`et` take the encoding and the char ** (2 values), `es#`/`et#`
 * the length pointer too (3); `s*`, `y*`, `z*`, `w*` one Py_buffer *.
 */
export function parseTupleArgs(format: string): readonly ParseArgUse[] | null {
  const uses: ParseArgUse[] = [];
  let depth = 0;
  let sawOptional = false;
  let sawKeywordOnly = false;
  for (let i = 0; i < format.length; i++) {
    const unit = format[i]!;
    const next = format[i + 1];
    if (unit === ':' || unit === ';') {
      // The rest is the function name or the error message.
      if (depth > 0) return null;
      break;
    }
    if (unit === '(') {
      depth++;
    } else if (unit === ')') {
      if (depth === 0) return null;
      depth--;
    } else if (unit === '|') {
      if (depth > 0 || sawOptional || sawKeywordOnly) return null;
      sawOptional = true;
    } else if (unit === '$') {
      if (depth > 0 || sawKeywordOnly) return null;
      sawKeywordOnly = true;
    } else if (PARSE_VALUE_UNITS.has(unit)) {
      uses.push('value');
    } else if (PARSE_STRING_UNITS.has(unit)) {
      if (next === '*') {
        i++;
        uses.push('value');
      } else if (next === '#') {
        i++;
        uses.push('value', 'value');
      } else {
        uses.push('value');
      }
    } else if (PARSE_UNICODE_UNITS.has(unit)) {
      if (next === '#') {
        i++;
        uses.push('value', 'value');
      } else {
        uses.push('value');
      }
    } else if (unit === 'w') {
      if (next !== '*') return null;
      i++;
      uses.push('value');
    } else if (unit === 'e') {
      if (next !== 's' && next !== 't') return null;
      i++;
      if (format[i + 1] === '#') {
        i++;
        uses.push('value', 'value', 'value');
      } else {
        uses.push('value', 'value');
      }
    } else if (PARSE_OBJECT_UNITS.has(unit)) {
      uses.push('out-borrowed');
    } else if (unit === 'O') {
      if (next === '!') {
        i++;
        uses.push('type-object', 'out-borrowed');
      } else if (next === '&') {
        i++;
        uses.push('converter', 'converter-target');
      } else {
        uses.push('out-borrowed');
      }
    } else {
      return null;
    }
  }
  return depth === 0 ? uses : null;
}

/**
 * How a call uses a format string. build: its variadic arguments are read as Py_BuildValue reads them; parse: as
 * PyArg_ParseTuple does; unpack: PyArg_UnpackTuple, whose variadic arguments are all PyObject ** filled with
 * borrowed references ('out-borrowed'), with no format.
 */
export interface FormatCall {
  readonly kind: 'build' | 'parse' | 'unpack';
  /** 0-based index of the format argument; null for unpack. */
  readonly formatArgument: number | null;
  /** 0-based index of the first variadic argument; null when they come as a va_list, out of the checker's sight. */
  readonly firstVariadicArgument: number | null;
}

/** The C-API calls that take a format string (and the _SizeT spellings older headers map them to). */
export const FORMAT_CALLS: ReadonlyMap<string, FormatCall> = new Map<string, FormatCall>([
  ['Py_BuildValue', { kind: 'build', formatArgument: 0, firstVariadicArgument: 1 }],
  ['_Py_BuildValue_SizeT', { kind: 'build', formatArgument: 0, firstVariadicArgument: 1 }],
  ['Py_VaBuildValue', { kind: 'build', formatArgument: 0, firstVariadicArgument: null }],
  ['_Py_VaBuildValue_SizeT', { kind: 'build', formatArgument: 0, firstVariadicArgument: null }],
  ['PyObject_CallFunction', { kind: 'build', formatArgument: 1, firstVariadicArgument: 2 }],
  ['_PyObject_CallFunction_SizeT', { kind: 'build', formatArgument: 1, firstVariadicArgument: 2 }],
  ['PyEval_CallFunction', { kind: 'build', formatArgument: 1, firstVariadicArgument: 2 }],
  ['PyObject_CallMethod', { kind: 'build', formatArgument: 2, firstVariadicArgument: 3 }],
  ['_PyObject_CallMethod_SizeT', { kind: 'build', formatArgument: 2, firstVariadicArgument: 3 }],
  ['PyEval_CallMethod', { kind: 'build', formatArgument: 2, firstVariadicArgument: 3 }],
  ['PyArg_Parse', { kind: 'parse', formatArgument: 1, firstVariadicArgument: 2 }],
  ['_PyArg_Parse_SizeT', { kind: 'parse', formatArgument: 1, firstVariadicArgument: 2 }],
  ['PyArg_ParseTuple', { kind: 'parse', formatArgument: 1, firstVariadicArgument: 2 }],
  ['_PyArg_ParseTuple_SizeT', { kind: 'parse', formatArgument: 1, firstVariadicArgument: 2 }],
  ['PyArg_ParseTupleAndKeywords', { kind: 'parse', formatArgument: 2, firstVariadicArgument: 4 }],
  ['_PyArg_ParseTupleAndKeywords_SizeT', { kind: 'parse', formatArgument: 2, firstVariadicArgument: 4 }],
  // New in 3.15: the METH_FASTCALL forms, an array of arguments instead of a tuple.
  ['PyArg_ParseArray', { kind: 'parse', formatArgument: 2, firstVariadicArgument: 3 }],
  ['PyArg_ParseArrayAndKeywords', { kind: 'parse', formatArgument: 3, firstVariadicArgument: 5 }],
  ['PyArg_VaParse', { kind: 'parse', formatArgument: 1, firstVariadicArgument: null }],
  ['PyArg_VaParseTupleAndKeywords', { kind: 'parse', formatArgument: 2, firstVariadicArgument: null }],
  ['PyArg_UnpackTuple', { kind: 'unpack', formatArgument: null, firstVariadicArgument: 4 }],
]);
