/**
 * Parser for CPython's Doc/data/refcounts.dat: the table Sphinx uses to print
 * "Return value: New reference." and friends. Pure: text in, data out.
 *
 * Format (from the file's own header): `function:type:param:refcount:comment`,
 * one block per function, blocks separated by blank lines, `#` comment lines.
 * The first line of a block (empty param field) describes the return value;
 * the following lines describe the parameters in prototype order.
 */
import { SourceError } from '../lib/errors.ts';
import { normaliseType } from '../lib/c-declaration.ts';

export type RefcountEffect = '+1' | '0' | '-1' | 'null' | '';

export interface RefcountSlot {
  /** C type with spaces before `*` removed (`PyObject *` → `PyObject*`); may be empty. */
  type: string;
  refcount: RefcountEffect;
  comment: string;
  /** 1-based line in the source file. */
  line: number;
}

export interface RefcountParam extends RefcountSlot {
  /**
   * Parameter name as written. Varargs are always named `...` (with type '').
   * Real files contain oddities that are kept verbatim: `void` for an empty
   * parameter list, names carrying the declaration (`char* name`, `*unicode`)
   * with an empty type, and in 3.9 even an empty name inside a block.
   */
  name: string;
}

export interface RefcountEntry {
  name: string;
  /** Line of the return-value line that opens the block. */
  line: number;
  returns: RefcountSlot;
  params: RefcountParam[];
}

const EFFECTS: ReadonlySet<string> = new Set<RefcountEffect>(['+1', '0', '-1', 'null', '']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORMAT = 'function:type:param:refcount:comment';

function isEffect(value: string): value is RefcountEffect {
  return EFFECTS.has(value);
}

/** Keeps error messages readable when a whole binary blob lands on one "line". */
function quote(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Entries keyed by function name (Map iteration order = file order). */
export function parseRefcountsDat(text: string, file: string): Map<string, RefcountEntry> {
  const entries = new Map<string, RefcountEntry>();
  // The block being filled; null after a blank line, so that a function that
  // reappears later is recognised as a second block rather than a continuation.
  let current: RefcountEntry | null = null;

  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    // trim() also drops a leading byte-order mark on the first line.
    const raw = (lines[index] ?? '').trim();
    if (raw === '') {
      current = null;
      continue;
    }
    // Comments are only whole lines; a '#' inside the comment field is text.
    if (raw.startsWith('#')) continue;

    const fields = raw.split(':');
    if (fields.length < 4) {
      throw new SourceError(
        file,
        `expected ${FORMAT} (at least 4 ':'-separated fields), found ${fields.length} in ${quote(raw)}`,
        'Fix the line or, if refcounts.dat changed format, update scripts/sources/refcounts-dat.ts',
        { line },
      );
    }
    const [fnField = '', typeField = '', paramField = '', effectField = ''] = fields;
    const fn = fnField.trim();
    const type = normaliseType(typeField);
    let param = paramField.trim();
    const effect = effectField.trim();
    // The comment is free text that may itself contain ':' (e.g. "+00:00").
    const comment = fields.slice(4).join(':').trim();

    if (!IDENTIFIER.test(fn)) {
      throw new SourceError(
        file,
        `expected a C function name in the first field of ${FORMAT}, found ${quote(fn)}`,
        'Fix the function name on that line',
        { line },
      );
    }
    if (!isEffect(effect)) {
      throw new SourceError(
        file,
        `unknown refcount effect ${quote(effect)} for ${fn}; expected one of +1, 0, -1, null or empty`,
        'Fix the fourth field or, if CPython added a new value, teach scripts/sources/refcounts-dat.ts about it',
        { line },
      );
    }

    if (current === null || current.name !== fn) {
      // Real files always separate blocks with a blank line, but a change of
      // function name is an unambiguous block boundary too.
      const earlier = entries.get(fn);
      if (earlier !== undefined) {
        throw new SourceError(
          file,
          `${fn} has a second block starting here; its first block starts at line ${earlier.line}`,
          `Merge the two blocks of ${fn} (lines ${earlier.line} and ${line}) into one`,
          { line },
        );
      }
      if (param !== '') {
        throw new SourceError(
          file,
          `block for ${fn} starts with parameter ${quote(param)}; expected the return-value line (empty param field) first`,
          `Add a line "${fn}:<return type>::<refcount>:" before it`,
          { line },
        );
      }
      current = { name: fn, line, returns: { type, refcount: effect, comment, line }, params: [] };
      entries.set(fn, current);
      continue;
    }

    // Varargs are written `fn::...::`; accept `fn:...:::` as the same thing.
    let paramType = type;
    if (paramType === '...' && (param === '' || param === '...')) {
      param = '...';
      paramType = '';
    }
    current.params.push({ name: param, type: paramType, refcount: effect, comment, line });
  }

  return entries;
}

/**
 * refcounts.dat as the pipeline reads it: the whole file or an error. An empty file or one cut mid-line parses
 * (into nothing, or into fewer entries) and would silently drop what every API takes from it.
 */
export function parseWholeRefcountsDat(text: string, file: string): Map<string, RefcountEntry> {
  if (text.length > 0 && !/[\r\n]$/.test(text)) {
    const lines = text.split(/\r\n|\r|\n/);
    throw new SourceError(
      file,
      `expected the file to end with a newline, but its last line ${quote(lines.at(-1)!.slice(-40))} stops short: the file looks truncated`,
      'Fetch it again (with a fresh --cache), or check the CPython checkout it comes from',
      { line: lines.length },
    );
  }
  const entries = parseRefcountsDat(text, file);
  if (entries.size === 0) {
    throw new SourceError(file, "expected CPython's reference-count entries (hundreds of them), found none", "Check that the file is CPython's Doc/data/refcounts.dat and not an empty or placeholder file");
  }
  return entries;
}

