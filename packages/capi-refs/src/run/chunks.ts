/**
 * Very large files are parsed and analysed in pieces: tree-sitter's tree of a 20 MB file, and the analysis of all
 * its functions held at once, take gigabytes. A lexical scan (comments, literals, braces and the `#if` groups the
 * preprocessor step left in) splits the file into top-level units; each chunk is the functions of about one
 * megabyte of code plus the file's shared context (declarations, macros, types and the tables that name the chunk's
 * functions), parsed with tree-sitter's included ranges so that every offset stays an offset into the whole file.
 *
 * What a chunk does not see: the functions of other chunks. Their summaries (a helper that returns a new
 * reference, or steals an argument) and what they do to object members are lost across chunk boundaries, so a
 * file cut into chunks can lose findings or, for the member rules, see a member as forgotten that another chunk
 * releases. Files below the chunk size are analysed whole, as before.
 */

/** Parse files in one piece up to this many characters of code; cut larger ones into chunks of about this size. */
export const CHUNK_CHARS = 1 << 20;

export interface Chunk {
  /** [start, end) offsets to parse, sorted and disjoint: the chunk's own code and the shared context. */
  readonly ranges: readonly (readonly [number, number])[];
  /** [start, end) offsets of the code only this chunk analyses; findings elsewhere are shared context. */
  readonly owned: readonly (readonly [number, number])[];
}

export interface TopLevelUnit {
  readonly start: number;
  readonly end: number;
  /** Holds a function body. */
  readonly code: boolean;
  /** Holds an initializer in braces (`= { ... }`): a method table, a type, slots. */
  readonly table: boolean;
  /** For code: the names of the functions it defines; for tables: every identifier in it (read when first asked). */
  readonly names: ReadonlySet<string>;
  /**
   * For tables: the offsets of each initializer's opening and closing brace, for the initializers whose `#if` groups
   * open and close within them (leaving one out of the parse leaves every group whole).
   */
  readonly initializers: readonly (readonly [number, number])[];
}

const ch = (s: string): number => s.charCodeAt(0);
const NL = ch('\n');
const SLASH = ch('/');
const STAR = ch('*');
const BACKSLASH = ch('\\');
const DQUOTE = ch('"');
const SQUOTE = ch("'");
const HASH = ch('#');
const OPEN_BRACE = ch('{');
const CLOSE_BRACE = ch('}');
const CLOSE_PAREN = ch(')');
const SEMICOLON = ch(';');
const EQUALS = ch('=');

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The offset after the comment or literal starting at `i`, or -1 when none starts there. */
function skipCommentOrLiteral(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === SLASH) {
    const d = s.charCodeAt(i + 1);
    if (d === STAR) {
      const end = s.indexOf('*/', i + 2);
      return end === -1 ? s.length : end + 2;
    }
    if (d === SLASH) {
      const end = s.indexOf('\n', i + 2);
      return end === -1 ? s.length : end;
    }
    return -1;
  }
  if (c !== DQUOTE && c !== SQUOTE) return -1;
  for (let j = i + 1; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d === BACKSLASH) j++;
    else if (d === c) return j + 1;
    // An unterminated literal ends at the line's end, as the compiler would complain there.
    else if (d === NL) return j;
  }
  return s.length;
}

/** The end of the directive line starting at `i` (continuation lines included), before its newline. */
function directiveEnd(s: string, i: number): number {
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === NL && s.charCodeAt(j - 1) !== BACKSLASH && !(s.charCodeAt(j - 1) === 13 && s.charCodeAt(j - 2) === BACKSLASH)) return j;
    if (c === SLASH) {
      const after = skipCommentOrLiteral(s, j);
      // A block comment may run over lines without continuing the directive past its end.
      if (after > j) j = after - 1;
    }
  }
  return s.length;
}

/** The identifier just before the first `(` in a function's head: its name. */
function functionName(head: string): string | null {
  const paren = head.indexOf('(');
  if (paren === -1) return null;
  const m = /([A-Za-z_]\w*)\s*$/.exec(head.slice(0, paren));
  return m ? m[1]! : null;
}

/**
 * The top-level units of `s` (preprocessed text): a unit ends where a declaration's `;` or a function's closing
 * brace brings the text back to file level, outside every `#if` group. Null when the braces or groups do not
 * balance (the scan is lost, so the file is parsed whole).
 */
export function topLevelUnits(s: string): TopLevelUnit[] | null {
  const units: TopLevelUnit[] = [];
  let unitStart = 0;
  let depth = 0;
  // Per open #if group: the brace depth at its #if, and at the end of its first branch once an #else is met.
  const groups: { atIf: number; afterFirst: number | null }[] = [];
  let lineStart = true;
  let lastSignificant = -1;
  // Where the current top-level declaration started: after the last `;` or closing brace at file level.
  let declStart = 0;
  let code = false;
  let table = false;
  const names = new Set<string>();
  let initializers: [number, number][] = [];
  let initializerOpen = -1;
  // The #if groups open where the initializer opened, and whether a directive of one of them stood inside it.
  let initializerGroups = 0;
  let initializerCrossed = false;
  const crossesInitializer = (): void => {
    if (initializerOpen !== -1 && groups.length <= initializerGroups) initializerCrossed = true;
  };
  const close = (end: number): void => {
    const start = unitStart;
    if (table && !code) {
      // A table's names are read only when asked for: most tables are never asked.
      let identifiers: Set<string> | null = null;
      units.push({
        start,
        end,
        code,
        table: true,
        get names() {
          return (identifiers ??= new Set(s.slice(start, end).match(/[A-Za-z_]\w*/g)));
        },
        initializers,
      });
    } else units.push({ start, end, code, table: false, names: new Set(names), initializers: [] });
    unitStart = end;
    code = false;
    table = false;
    names.clear();
    initializers = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === NL) {
      lineStart = true;
      continue;
    }
    if (isSpace(c)) continue;
    if (c === HASH && lineStart) {
      const end = directiveEnd(s, i);
      const keyword = /^#\s*(\w+)/.exec(s.slice(i, Math.min(end, i + 40)))?.[1];
      if (keyword === 'if' || keyword === 'ifdef' || keyword === 'ifndef') groups.push({ atIf: depth, afterFirst: null });
      else if (keyword === 'elif' || keyword === 'else' || keyword === 'elifdef' || keyword === 'elifndef') {
        const group = groups.at(-1);
        if (group === undefined) return null;
        crossesInitializer();
        // Branches the preprocessor step could not decide are all still there: each starts from the #if's depth.
        group.afterFirst ??= depth;
        depth = group.atIf;
      } else if (keyword === 'endif') {
        crossesInitializer();
        const group = groups.pop();
        if (group === undefined) return null;
        if (group.afterFirst !== null) depth = group.afterFirst;
      }
      // A directive outside every group, or a group closing around complete declarations, ends a unit: the
      // macros and declarations there are shared context, not part of the function that follows.
      if (depth === 0 && groups.length === 0) {
        const last = lastSignificant < unitStart ? -1 : s.charCodeAt(lastSignificant);
        if (last === -1 || last === CLOSE_BRACE || last === SEMICOLON) close(end);
      }
      i = end - 1;
      continue;
    }
    lineStart = false;
    const skipped = c === SLASH || c === DQUOTE || c === SQUOTE ? skipCommentOrLiteral(s, i) : -1;
    if (skipped !== -1) {
      i = skipped - 1;
      continue;
    }
    if (c === OPEN_BRACE) {
      if (depth === 0) {
        const before = lastSignificant === -1 ? -1 : s.charCodeAt(lastSignificant);
        if (before === CLOSE_PAREN) {
          code = true;
          const name = functionName(s.slice(declStart, i));
          if (name !== null) names.add(name);
        } else if (before === EQUALS) {
          table = true;
          initializerOpen = i;
          initializerGroups = groups.length;
          initializerCrossed = false;
        }
      }
      depth++;
    } else if (c === CLOSE_BRACE) {
      depth--;
      if (depth < 0) return null;
      if (depth === 0) {
        if (initializerOpen !== -1 && !initializerCrossed && groups.length === initializerGroups) initializers.push([initializerOpen, i]);
        initializerOpen = -1;
        lastSignificant = i;
        declStart = i + 1;
        // A function's closing brace ends its unit; a struct's does not (its declarators and `;` follow).
        if (groups.length === 0 && code) close(i + 1);
        continue;
      }
    } else if (c === SEMICOLON && depth === 0) {
      lastSignificant = i;
      declStart = i + 1;
      if (groups.length === 0) close(i + 1);
      continue;
    }
    lastSignificant = i;
  }
  if (depth !== 0 || groups.length !== 0) return null;
  if (unitStart < s.length) close(s.length);
  return units;
}

/** Adds [start, end) to sorted ranges, merging it with the last one when they touch. */
function addRange(ranges: [number, number][], start: number, end: number): void {
  const last = ranges.at(-1);
  if (last && last[1] === start) last[1] = end;
  else ranges.push([start, end]);
}

/**
 * The chunks to analyse `source` in, or null when it is analysed whole: it is small, or its top level cannot be
 * found (`units`, from topLevelUnits, is null), or it holds a single chunk's worth of code.
 */
export function planChunks(source: string, units: readonly TopLevelUnit[] | null, chunkChars = CHUNK_CHARS): Chunk[] | null {
  if (source.length <= chunkChars || units === null) return null;
  const groups: TopLevelUnit[][] = [[]];
  let size = 0;
  for (const unit of units) {
    if (!unit.code) continue;
    if (size >= chunkChars) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(unit);
    size += unit.end - unit.start;
  }
  if (groups.length < 2) return null;
  const chunkOf = new Map<string, number>();
  groups.forEach((group, k) => {
    for (const unit of group) for (const name of unit.names) if (!chunkOf.has(name)) chunkOf.set(name, k);
  });
  // A table goes with every chunk whose functions it names (slots, method tables); one naming none, with the first.
  const tableChunks = new Map<TopLevelUnit, Set<number>>();
  for (const unit of units) {
    if (unit.code || !unit.table) continue;
    const chunks = new Set<number>();
    for (const name of unit.names) {
      const k = chunkOf.get(name);
      if (k !== undefined) chunks.add(k);
    }
    tableChunks.set(unit, chunks.size > 0 ? chunks : new Set([0]));
  }
  return groups.map((group, k) => {
    const own = new Set(group);
    const ranges: [number, number][] = [];
    const owned: [number, number][] = [];
    for (const unit of units) {
      if (unit.code) {
        if (!own.has(unit)) continue;
        addRange(owned, unit.start, unit.end);
      } else if (unit.table && !tableChunks.get(unit)!.has(k)) continue;
      addRange(ranges, unit.start, unit.end);
    }
    return { ranges, owned };
  });
}

/**
 * Whitespace runs at least this long are left out of the parse: blanked number tables and branches not compiled
 * for the target, which tree-sitter's lexer would otherwise step through one character at a time.
 */
export const BLANK_RUN_MIN = 1024;

/**
 * The end of the whitespace run at `i` (at most `end`). A function of its own, not a loop inside skippableGaps's
 * loop: V8 compiled that inner loop on its own while it ran and threw the code away each time the run ended
 * (1,500 deoptimizations in a pass over CPython's Modules/).
 */
function spaceRunEnd(source: string, i: number, end: number): number {
  let j = i;
  while (j < end && isSpace(source.charCodeAt(j))) j++;
  return j;
}

/** The first newline in the whitespace `source[from, to)` that ends a line (not one escaped by a backslash), or -1. */
function lineEndIn(source: string, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    if (source.charCodeAt(k) === NL && source.charCodeAt(k - 1) !== BACKSLASH) return k;
  }
  return -1;
}

/**
 * What of `source[start, end)` the parser can skip, as sorted [start, end) offsets, found in one scan:
 * - whitespace runs of at least BLANK_RUN_MIN characters, each but its first newline (which ends a directive
 *   written just before the run);
 * - comments with whitespace or the text's edge beside them, so that leaving one out never joins two tokens (as an
 *   empty comment between two names would), outside directive lines (with a comment left out before its newline,
 *   tree-sitter misses the newline that ends the directive). The compiler reads a comment as a space; the parser,
 *   given the gap, does the same, and is spared a token and a node per comment (a sixth of the parse of CPython's
 *   Modules/).
 */
function skippableGaps(source: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let lineStart = true;
  let directive = false;
  for (let i = start; i < end; i++) {
    let c = source.charCodeAt(i);
    if (isSpace(c)) {
      const runStart = i;
      i = spaceRunEnd(source, i, end);
      const firstNewline = lineEndIn(source, runStart, i);
      if (firstNewline !== -1) {
        lineStart = true;
        directive = false;
      }
      const skipFrom = firstNewline === -1 ? runStart : firstNewline + 1;
      if (i - skipFrom >= BLANK_RUN_MIN) out.push([skipFrom, i]);
      if (i >= end) break;
      c = source.charCodeAt(i);
    }
    if (lineStart) {
      directive = c === HASH;
      lineStart = false;
    }
    if (c !== SLASH && c !== DQUOTE && c !== SQUOTE) continue;
    const after = skipCommentOrLiteral(source, i);
    if (after === -1) continue;
    const commentEnd = Math.min(after, end);
    const spaced = i === start || isSpace(source.charCodeAt(i - 1)) || commentEnd === end || isSpace(source.charCodeAt(commentEnd));
    if (c === SLASH && !directive && spaced) out.push([i, commentEnd]);
    // A block comment may run over lines: the line after it is not at its start.
    i = after - 1;
  }
  return out;
}

/**
 * The [start, end) ranges of `source` to parse: the given ones (the whole text by default) without what
 * skippableGaps finds and without the sorted `leftOut` ranges that lie within them (dataTableInsides). Leaving
 * these out changes no token, and every node keeps its offset in the whole text.
 */
export function parsedRanges(source: string, ranges: Chunk['ranges'] = [[0, source.length]], leftOut: readonly (readonly [number, number])[] = []): Chunk['ranges'] {
  const out: (readonly [number, number])[] = [];
  for (const [start, end] of ranges) {
    const tables = leftOut.filter(([gapStart, gapEnd]) => gapStart >= start && gapEnd <= end);
    let from = start;
    for (const [gapStart, gapEnd] of mergeSorted(skippableGaps(source, start, end), tables)) {
      if (gapStart > from) out.push([from, gapStart]);
      from = Math.max(from, gapEnd);
    }
    if (end > from) out.push([from, end]);
  }
  // A text of whitespace alone still gets a tree (an empty translation unit).
  return out.length > 0 ? out : ranges;
}

/** Two sorted lists of [start, end) ranges as one sorted list. */
function mergeSorted(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!);
  return out;
}

/** Initializers shorter than this (characters) are parsed whatever they hold. */
const DATA_TABLE_MIN = 1024;

/**
 * The insides of the file's data tables, to leave out of the parse: top-level initializers in braces that name
 * nothing `concerns` asks for (a name of Python's C API) and none of the file's functions or macros. Nothing the
 * analysis reads is in them (method tables, slots and type objects name a Py type or the file's functions). In
 * CPython 3.11's Modules/, 81 tables in 14 files (error codes, codec mappings, Unicode data): 1.2 MB of text that
 * is not whitespace, a quarter of the parse. The braces stay, so the declaration still reads `= {}`. None when
 * the file's top level cannot be found (`units`, from topLevelUnits, is null).
 */
export function dataTableInsides(source: string, units: readonly TopLevelUnit[] | null, concerns: (name: string) => boolean): [number, number][] {
  if (units === null) return [];
  const defined = new Set<string>();
  for (const unit of units) if (unit.code) for (const name of unit.names) defined.add(name);
  for (const m of source.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)/gm)) defined.add(m[1]!);
  const out: [number, number][] = [];
  for (const unit of units) {
    // A small table costs the parser little: not worth reading its names.
    if (!unit.table || !unit.initializers.some(([open, close]) => close - open >= DATA_TABLE_MIN)) continue;
    if ([...unit.names].some((name) => defined.has(name) || concerns(name))) continue;
    for (const [open, close] of unit.initializers) {
      if (close - open > 1) out.push([open + 1, close]);
    }
  }
  return out;
}
