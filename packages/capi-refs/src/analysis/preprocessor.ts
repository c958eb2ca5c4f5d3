/**
 * Just enough of the C preprocessor for the checker: which `#if` branches are compiled for the target Python, and
 * where the arguments of `assert(...)` are. Nothing here expands macros in C code or reads headers: a condition is
 * decided only from what the target fixes (the Python version, the Limited API, the free-threaded build) and from
 * the `#define`s of the file itself; everything else is unknown, and a branch whose condition is unknown is kept.
 *
 * Offsets are string indices (UTF-16 code units), like every position the checker handles.
 *
 * Every scan here is a single forward pass, and conditions are evaluated without recursion, so a huge input (or a
 * `#if` with 100k nested parentheses) costs time in proportion to its size and never overflows the stack.
 */
import { memoized } from './memo.ts';

export interface PreprocessorTarget {
  /** e.g. '3.13' ('3.13.2' fixes the micro version too) */
  readonly python: string;
  /** Py_LIMITED_API value as a version ('3.10') or null when the Limited API is not targeted. */
  readonly limitedApi: string | null;
  readonly gilDisabled: boolean;
  /**
   * The C API's own macros: those the target version's headers define (`#ifndef Py_TRASHCAN_BEGIN` is decided),
   * and those that other versions define but the target does not. Their values stay unknown.
   */
  readonly headerMacros?: { readonly defined: ReadonlySet<string>; readonly absent: ReadonlySet<string> };
}

// ---------------------------------------------------------------------------------------------------------------
// Scanning: comments, literals and line splices

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const TAB = 9;
const VERTICAL_TAB = 11;
const FORM_FEED = 12;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const SINGLE_QUOTE = 39;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const STAR = 42;
const SLASH = 47;
const BACKSLASH = 92;

function isHorizontalSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CARRIAGE_RETURN || c === VERTICAL_TAB || c === FORM_FEED;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

/** Length of the line splice (backslash, newline) at `i`; 0 when there is none. */
function spliceLength(s: string, i: number): number {
  if (s.charCodeAt(i) !== BACKSLASH) return 0;
  const next = s.charCodeAt(i + 1);
  if (next === NEWLINE) return 2;
  if (next === CARRIAGE_RETURN && s.charCodeAt(i + 2) === NEWLINE) return 3;
  return 0;
}

/** `i` moved past any line splices: the compiler joins the lines before it sees comments or tokens. */
function skipSplices(s: string, i: number): number {
  for (let length = spliceLength(s, i); length > 0; length = spliceLength(s, i)) i += length;
  return i;
}

/**
 * When a comment starts at `i` (a '/'), the offset just after it: after the closing `*` `/`, or at the newline that
 * ends a `//` comment (which a splice can continue onto the next line). -1 when no comment starts at `i`.
 */
function commentEnd(s: string, i: number): number {
  const second = skipSplices(s, i + 1);
  const kind = s.charCodeAt(second);
  if (kind === STAR) {
    let j = second + 1;
    while (j < s.length) {
      if (s.charCodeAt(j) === STAR) {
        const next = skipSplices(s, j + 1);
        if (s.charCodeAt(next) === SLASH) return next + 1;
        j = next;
      } else {
        j++;
      }
    }
    return s.length;
  }
  if (kind === SLASH) {
    let j = second + 1;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === NEWLINE) return j;
      const splice = spliceLength(s, j);
      j += splice > 0 ? splice : 1;
    }
    return s.length;
  }
  return -1;
}

/**
 * The offset just after a string or character literal whose opening quote is at `open`. An unterminated literal
 * ends before the newline, as compilers recover (an apostrophe in `#error don't` or in skipped prose must not
 * swallow the rest of the file).
 */
function literalEnd(s: string, open: number): number {
  const quote = s.charCodeAt(open);
  let j = open + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === quote) return j + 1;
    if (c === NEWLINE) return j;
    if (c === BACKSLASH) {
      const splice = spliceLength(s, j);
      // An escape: the backslash and the character after it (itself possibly behind a splice).
      j = splice > 0 ? j + splice : skipSplices(s, j + 1) + 1;
    } else {
      j++;
    }
  }
  return s.length;
}

interface Directive {
  /** Start of the physical line that holds the '#', so blanking the directive blanks its whole line. */
  readonly lineStart: number;
  /** End of the logical line: the offset of the newline that ends it, or the source's length. */
  readonly end: number;
  /** e.g. 'if', 'ifdef', 'define'; '' for a null directive or a non-identifier. */
  readonly keyword: string;
  /** The text after the keyword, splices removed and each comment replaced by a space. */
  readonly rest: string;
}

/** Reads the directive whose '#' is at `hash`. */
function readDirective(s: string, lineStart: number, hash: number): Directive {
  const parts: string[] = [];
  let segmentStart = hash + 1;
  let i = hash + 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === NEWLINE) break;
    if (c === BACKSLASH) {
      const splice = spliceLength(s, i);
      if (splice > 0) {
        parts.push(s.slice(segmentStart, i));
        i += splice;
        segmentStart = i;
        continue;
      }
    } else if (c === SLASH) {
      const after = commentEnd(s, i);
      if (after >= 0) {
        parts.push(s.slice(segmentStart, i), ' ');
        i = after;
        segmentStart = i;
        continue;
      }
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      i = literalEnd(s, i);
      continue;
    }
    i++;
  }
  parts.push(s.slice(segmentStart, i));
  const text = parts.join('');
  let k = 0;
  while (k < text.length && isHorizontalSpace(text.charCodeAt(k))) k++;
  const keywordStart = k;
  while (k < text.length && isIdentifierChar(text.charCodeAt(k))) k++;
  return { lineStart, end: i, keyword: text.slice(keywordStart, k), rest: text.slice(k) };
}

/**
 * Where the directive scan stops: line ends, and what may start a line splice, a comment, a literal or a directive.
 * The regex engine skips everything else itself, which a loop over every character did in about twice the time.
 */
const DIRECTIVE_SCAN_STOPS = /[\n\\/"'#]/g;

/** Only horizontal space in s[from, to). */
function onlyHorizontalSpace(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isHorizontalSpace(s.charCodeAt(i))) return false;
  return true;
}

/** Every preprocessor directive of the source, in order; '#' inside comments and literals is not one. */
function findDirectives(s: string): Directive[] {
  const directives: Directive[] = [];
  const stops = new RegExp(DIRECTIVE_SCAN_STOPS);
  let lineStart = 0;
  // Only whitespace, comments and splices so far on this logical line (checked up to `checkedTo`): a '#' here
  // starts a directive.
  let atLineStart = true;
  let checkedTo = 0;
  for (let stop = stops.exec(s); stop !== null; stop = stops.exec(s)) {
    const i = stop.index;
    const c = s.charCodeAt(i);
    if (c === NEWLINE) {
      lineStart = i + 1;
      atLineStart = true;
      checkedTo = lineStart;
      continue;
    }
    if (atLineStart && !onlyHorizontalSpace(s, checkedTo, i)) atLineStart = false;
    if (c === BACKSLASH) {
      const splice = spliceLength(s, i);
      if (splice > 0) {
        stops.lastIndex = checkedTo = i + splice;
        continue;
      }
    } else if (c === SLASH) {
      const after = commentEnd(s, i);
      if (after >= 0) {
        stops.lastIndex = checkedTo = after;
        continue;
      }
    } else if (c === HASH && atLineStart) {
      const directive = readDirective(s, lineStart, i);
      directives.push(directive);
      stops.lastIndex = directive.end;
      atLineStart = false;
      continue;
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      stops.lastIndex = literalEnd(s, i);
    }
    atLineStart = false;
  }
  return directives;
}

// ---------------------------------------------------------------------------------------------------------------
// Values: what is known about an integer in a #if, as an interval

/**
 * Every value the expression may have lies in [lo, hi]; `unsigned` is its C type (uintmax_t rather than intmax_t).
 * null: nothing is known. Whenever C would wrap, overflow or mix signs in a way the interval cannot follow, the
 * result is null: unknown, never a guess.
 */
interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly unsigned: boolean;
}
type Value = Interval | null;

const INTMAX_MIN = -(1n << 63n);
const INTMAX_MAX = (1n << 63n) - 1n;
const UINTMAX_MAX = (1n << 64n) - 1n;
const TWO_TO_64 = 1n << 64n;

function exact(value: bigint, unsigned = false): Interval {
  return { lo: value, hi: value, unsigned };
}

/** The interval when C's result is representable; an exact unsigned result wraps as C defines. */
function interval(lo: bigint, hi: bigint, unsigned: boolean): Value {
  if (unsigned) {
    if (lo === hi) return exact(((lo % TWO_TO_64) + TWO_TO_64) % TWO_TO_64, true);
    return lo >= 0n && hi <= UINTMAX_MAX ? { lo, hi, unsigned } : null;
  }
  return lo >= INTMAX_MIN && hi <= INTMAX_MAX ? { lo, hi, unsigned } : null;
}

const FALSE = exact(0n);
const TRUE = exact(1n);
const EITHER = { lo: 0n, hi: 1n, unsigned: false } as const satisfies Interval;

/** true, false, or null when the interval holds both zero and non-zero values. */
function truth(v: Value): boolean | null {
  if (v === null) return null;
  if (v.lo > 0n || v.hi < 0n) return true;
  if (v.lo === 0n && v.hi === 0n) return false;
  return null;
}

function fromTruth(t: boolean | null): Interval {
  return t === null ? EITHER : t ? TRUE : FALSE;
}

/** The value converted to uintmax_t, as C's usual arithmetic conversions do when the other operand is unsigned. */
function toUnsigned(v: Interval): Value {
  if (v.unsigned) return v;
  if (v.lo >= 0n) return { ...v, unsigned: true };
  if (v.hi < 0n) return { lo: v.lo + TWO_TO_64, hi: v.hi + TWO_TO_64, unsigned: true };
  return null; // crosses zero: the converted values are not one interval
}

function commonType(a: Interval, b: Interval): [Interval, Interval] | null {
  if (!a.unsigned && !b.unsigned) return [a, b];
  const ua = toUnsigned(a);
  const ub = toUnsigned(b);
  return ua && ub ? [ua, ub] : null;
}

function minOf(values: readonly bigint[]): bigint {
  return values.reduce((m, v) => (v < m ? v : m));
}

function maxOf(values: readonly bigint[]): bigint {
  return values.reduce((m, v) => (v > m ? v : m));
}

/** All ones up to the highest bit of `v` (v >= 0): a bound for | and ^ of non-negative values. */
function bitCeilingMask(v: bigint): bigint {
  return (1n << BigInt(v.toString(2).length)) - 1n;
}

function unaryOp(op: string, a: Value): Value {
  if (op === '!') return fromTruth(truth(a) === null ? null : !truth(a));
  if (a === null) return null;
  if (op === '+') return a;
  if (op === '-') {
    if (a.unsigned) return a.lo === a.hi ? interval(-a.lo, -a.lo, true) : null;
    return interval(-a.hi, -a.lo, false);
  }
  // '~'
  if (a.unsigned) return interval(UINTMAX_MAX - a.hi, UINTMAX_MAX - a.lo, true);
  return interval(~a.hi, ~a.lo, false);
}

function compare(op: string, a: Interval, b: Interval): boolean | null {
  switch (op) {
    case '<':
      return a.hi < b.lo ? true : a.lo >= b.hi ? false : null;
    case '<=':
      return a.hi <= b.lo ? true : a.lo > b.hi ? false : null;
    case '>':
      return a.lo > b.hi ? true : a.hi <= b.lo ? false : null;
    case '>=':
      return a.lo >= b.hi ? true : a.hi < b.lo ? false : null;
    case '==':
      if (a.lo === a.hi && b.lo === b.hi && a.lo === b.lo) return true;
      return a.hi < b.lo || b.hi < a.lo ? false : null;
    default: // '!='
      if (a.lo === a.hi && b.lo === b.hi && a.lo === b.lo) return false;
      return a.hi < b.lo || b.hi < a.lo ? true : null;
  }
}

function shift(op: string, a: Interval, count: Interval): Value {
  // A negative count, a count past the width, or a negative left operand is undefined or implementation-defined.
  if (count.lo < 0n || count.hi > 63n || a.lo < 0n) return null;
  if (op === '<<') return interval(a.lo << count.lo, a.hi << count.hi, a.unsigned);
  return interval(a.lo >> count.hi, a.hi >> count.lo, a.unsigned);
}

function binaryOp(op: string, left: Value, right: Value): Value {
  if (op === '&&') {
    const l = truth(left);
    const r = truth(right);
    if (l === false || r === false) return FALSE;
    return l === true && r === true ? TRUE : EITHER;
  }
  if (op === '||') {
    const l = truth(left);
    const r = truth(right);
    if (l === true || r === true) return TRUE;
    return l === false && r === false ? FALSE : EITHER;
  }
  const isComparison = op === '<' || op === '<=' || op === '>' || op === '>=' || op === '==' || op === '!=';
  if (left === null || right === null) return isComparison ? EITHER : null;
  if (op === '<<' || op === '>>') return shift(op, left, right);
  const converted = commonType(left, right);
  if (converted === null) return isComparison ? EITHER : null;
  const [a, b] = converted;
  const unsigned = a.unsigned;
  if (isComparison) return fromTruth(compare(op, a, b));
  switch (op) {
    case '+':
      return interval(a.lo + b.lo, a.hi + b.hi, unsigned);
    case '-':
      return interval(a.lo - b.hi, a.hi - b.lo, unsigned);
    case '*': {
      const corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
      return interval(minOf(corners), maxOf(corners), unsigned);
    }
    case '/': {
      if (b.lo <= 0n && b.hi >= 0n) return null; // may divide by zero
      // BigInt division truncates toward zero like C's; over a divisor of one sign it is monotone in each operand.
      const corners = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
      return interval(minOf(corners), maxOf(corners), unsigned);
    }
    case '%': {
      if (b.lo <= 0n && b.hi >= 0n) return null;
      if (a.lo === a.hi && b.lo === b.hi) return interval(a.lo % b.lo, a.lo % b.lo, unsigned);
      if (a.lo >= 0n && b.lo > 0n) return interval(0n, a.hi < b.hi - 1n ? a.hi : b.hi - 1n, unsigned);
      return null;
    }
    case '&':
    case '|':
    case '^': {
      if (a.lo === a.hi && b.lo === b.hi) {
        const v = op === '&' ? a.lo & b.lo : op === '|' ? a.lo | b.lo : a.lo ^ b.lo;
        return interval(v, v, unsigned);
      }
      if (a.lo < 0n || b.lo < 0n) return null;
      const larger = a.hi > b.hi ? a.hi : b.hi;
      if (op === '&') return interval(0n, a.hi < b.hi ? a.hi : b.hi, unsigned);
      if (op === '|') return interval(a.lo > b.lo ? a.lo : b.lo, bitCeilingMask(larger), unsigned);
      return interval(0n, bitCeilingMask(larger), unsigned);
    }
    default:
      return null;
  }
}

function conditional(condition: Value, whenTrue: Value, whenFalse: Value): Value {
  const t = truth(condition);
  // C gives the result the common type of both arms, even of the arm not taken.
  if (whenTrue !== null && whenFalse !== null) {
    const converted = commonType(whenTrue, whenFalse);
    if (converted === null) return null;
    const [a, b] = converted;
    if (t === true) return a;
    if (t === false) return b;
    return interval(a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi, a.unsigned);
  }
  const chosen = t === true ? whenTrue : t === false ? whenFalse : null;
  // The unknown arm may be unsigned, which would turn a negative value into a large one.
  return chosen !== null && chosen.lo >= 0n ? chosen : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions: tokens, then an operator-precedence (shunting-yard) evaluation with explicit stacks

type Token =
  | { readonly kind: 'number'; readonly value: Value }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'punctuator'; readonly text: string }
  | { readonly kind: 'literal' }
  | { readonly kind: 'other' };

const PUNCTUATORS_2 = new Set(['<<', '>>', '<=', '>=', '==', '!=', '&&', '||']);
const PUNCTUATORS_1 = new Set(['(', ')', '!', '~', '-', '+', '*', '/', '%', '<', '>', '&', '^', '|', '?', ':', ',']);

/** An integer constant (decimal, octal, hex or binary, with u/l suffixes); null when it is not one. */
function integerConstant(text: string): Value {
  const spelled = text.replaceAll("'", ''); // C23 digit separators
  const match = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/.exec(spelled);
  if (!match) return null;
  const digits = match[1]!;
  const value = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (value > UINTMAX_MAX) return null;
  // Too large for intmax_t: the constant is unsigned (gcc and clang do this for decimal ones too, with a warning).
  const unsigned = /[uU]/.test(match[2] ?? '') || value > INTMAX_MAX;
  return exact(value, unsigned);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isHorizontalSpace(c) || c === NEWLINE) {
      i++;
      continue;
    }
    const start = i;
    const isDigit = c >= 48 && c <= 57;
    if (isDigit || (c === 46 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)) {
      // A preprocessing number: digits, letters, '.', exponent signs and digit separators.
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        const previous = text.charCodeAt(i - 1) | 32;
        if (isIdentifierChar(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && (previous === 101 || previous === 112)) i++;
        else if (d === SINGLE_QUOTE && isIdentifierChar(text.charCodeAt(i + 1))) i++;
        else break;
      }
      const value = integerConstant(text.slice(start, i));
      tokens.push(value === null ? { kind: 'other' } : { kind: 'number', value });
      continue;
    }
    if (isIdentifierStart(c)) {
      while (i < text.length && isIdentifierChar(text.charCodeAt(i))) i++;
      // A prefixed literal (L'x', u8"x") is a literal, not an identifier.
      const next = text.charCodeAt(i);
      if ((next === SINGLE_QUOTE || next === DOUBLE_QUOTE) && /^(?:L|u|U|u8)$/.test(text.slice(start, i))) {
        i = literalEnd(text, i);
        tokens.push({ kind: 'literal' });
      } else {
        tokens.push({ kind: 'identifier', name: text.slice(start, i) });
      }
      continue;
    }
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      i = literalEnd(text, i);
      tokens.push({ kind: 'literal' });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCTUATORS_2.has(two)) {
      tokens.push({ kind: 'punctuator', text: two });
      i += 2;
      continue;
    }
    const one = text[i]!;
    tokens.push(PUNCTUATORS_1.has(one) ? { kind: 'punctuator', text: one } : { kind: 'other' });
    i++;
  }
  return tokens;
}

/** What the evaluator reads: operands already resolved (macros, `defined`, calls), then punctuators. */
type Item = { readonly kind: 'operand'; readonly value: Value } | { readonly kind: 'punctuator'; readonly text: string };

const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ['*', 13],
  ['/', 13],
  ['%', 13],
  ['+', 12],
  ['-', 12],
  ['<<', 11],
  ['>>', 11],
  ['<', 10],
  ['<=', 10],
  ['>', 10],
  ['>=', 10],
  ['==', 9],
  ['!=', 9],
  ['&', 8],
  ['^', 7],
  ['|', 6],
  ['&&', 5],
  ['||', 4],
]);
const UNARY_PRECEDENCE = 14;
const CONDITIONAL_PRECEDENCE = 3;
const UNARY_OPERATORS = new Set(['!', '~', '-', '+']);

/** An entry of the operator stack. 'question' is a `?` whose `:` has not come yet; 'conditional' has both. */
interface PendingOperator {
  readonly kind: 'unary' | 'binary' | 'question' | 'conditional' | 'paren';
  readonly text: string;
  readonly precedence: number;
}

class SyntaxFailure extends Error {}

/**
 * Evaluates a constant expression whose identifiers are already resolved. Any syntax error (which a compiler
 * would reject) makes the whole expression unknown, even where a short circuit would hide it.
 */
function evaluateItems(items: readonly Item[]): Value {
  const operands: Value[] = [];
  const operators: PendingOperator[] = [];
  const pop = (): Value => {
    if (operands.length === 0) throw new SyntaxFailure();
    return operands.pop()!;
  };
  const apply = (operator: PendingOperator): void => {
    if (operator.kind === 'unary') {
      operands.push(unaryOp(operator.text, pop()));
    } else if (operator.kind === 'binary') {
      const right = pop();
      operands.push(binaryOp(operator.text, pop(), right));
    } else if (operator.kind === 'conditional') {
      const whenFalse = pop();
      const whenTrue = pop();
      operands.push(conditional(pop(), whenTrue, whenFalse));
    } else {
      throw new SyntaxFailure(); // an unclosed '(' or a '?' without ':'
    }
  };
  try {
    let expectOperand = true;
    for (const item of items) {
      if (expectOperand) {
        if (item.kind === 'operand') {
          operands.push(item.value);
          expectOperand = false;
        } else if (item.text === '(') {
          operators.push({ kind: 'paren', text: '(', precedence: -1 });
        } else if (UNARY_OPERATORS.has(item.text)) {
          // Prefix operators bind to what follows: nothing is applied before pushing them.
          operators.push({ kind: 'unary', text: item.text, precedence: UNARY_PRECEDENCE });
        } else {
          return null;
        }
        continue;
      }
      if (item.kind === 'operand') return null;
      const text = item.text;
      if (text === ')') {
        for (let top = operators.pop(); top?.kind !== 'paren'; top = operators.pop()) {
          if (top === undefined) return null;
          apply(top);
        }
        continue;
      }
      if (text === '?') {
        while (operators.length > 0 && operators.at(-1)!.precedence > CONDITIONAL_PRECEDENCE) apply(operators.pop()!);
        operators.push({ kind: 'question', text, precedence: CONDITIONAL_PRECEDENCE });
      } else if (text === ':') {
        while (operators.length > 0 && operators.at(-1)!.kind !== 'question' && operators.at(-1)!.kind !== 'paren') {
          apply(operators.pop()!);
        }
        if (operators.at(-1)?.kind !== 'question') return null;
        operators.pop();
        operators.push({ kind: 'conditional', text, precedence: CONDITIONAL_PRECEDENCE });
      } else {
        const precedence = BINARY_PRECEDENCE.get(text);
        if (precedence === undefined) return null; // ',' and anything else a #if may not hold
        // Left-associative: apply what binds at least as tightly.
        while (operators.length > 0 && operators.at(-1)!.precedence >= precedence) apply(operators.pop()!);
        operators.push({ kind: 'binary', text, precedence });
      }
      expectOperand = true;
    }
    if (expectOperand) return null;
    while (operators.length > 0) apply(operators.pop()!);
    return operands.length === 1 ? operands[0]! : null;
  } catch (error) {
    if (error instanceof SyntaxFailure) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Macros

type MacroState =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'defined'; readonly value: Value }
  | { readonly kind: 'unknown' }; // may or may not be defined (headers, the command line, an undecided branch)

const UNKNOWN_MACRO: MacroState = { kind: 'unknown' };
const UNDEFINED_MACRO: MacroState = { kind: 'undefined' };

function parseVersion(version: string): { major: number; minor: number; micro: number | null } | null {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), micro: match[3] === undefined ? null : Number(match[3]) };
}

/**
 * What the target fixes. The target names final releases: '3.13' is any of 3.13.0 to 3.13.255, so a test against a
 * 3.13 alpha or beta (`PY_VERSION_HEX >= 0x030D00A4`) is true, and one against a patch level (`>= 0x030D0200`) is
 * undecided.
 */
function targetMacros(target: PreprocessorTarget): Map<string, MacroState> {
  const version = parseVersion(target.python);
  if (version === null) throw new RangeError(`Not a Python version: ${JSON.stringify(target.python)}`);
  const defined = (value: Value): MacroState => ({ kind: 'defined', value });
  const base = (BigInt(version.major) << 24n) | (BigInt(version.minor) << 16n) | 0xf0n;
  const lowestMicro = BigInt(version.micro ?? 0);
  const highestMicro = BigInt(version.micro ?? 255);
  const macros = new Map<string, MacroState>([
    ['PY_MAJOR_VERSION', defined(exact(BigInt(version.major)))],
    ['PY_MINOR_VERSION', defined(exact(BigInt(version.minor)))],
    ['PY_MICRO_VERSION', defined({ lo: lowestMicro, hi: highestMicro, unsigned: false })],
    ['PY_RELEASE_LEVEL', defined(exact(0xfn))],
    ['PY_RELEASE_SERIAL', defined(exact(0n))],
    ['PY_RELEASE_LEVEL_ALPHA', defined(exact(0xan))],
    ['PY_RELEASE_LEVEL_BETA', defined(exact(0xbn))],
    ['PY_RELEASE_LEVEL_GAMMA', defined(exact(0xcn))],
    ['PY_RELEASE_LEVEL_FINAL', defined(exact(0xfn))],
    ['PY_VERSION_HEX', defined({ lo: base | (lowestMicro << 8n), hi: base | (highestMicro << 8n), unsigned: false })],
    ['Py_GIL_DISABLED', target.gilDisabled ? defined(exact(1n)) : UNDEFINED_MACRO],
  ]);
  for (const name of target.headerMacros?.defined ?? []) if (!macros.has(name)) macros.set(name, defined(null));
  for (const name of target.headerMacros?.absent ?? []) if (!macros.has(name)) macros.set(name, UNDEFINED_MACRO);
  if (target.limitedApi === null) {
    macros.set('Py_LIMITED_API', UNDEFINED_MACRO);
  } else {
    const limited = parseVersion(target.limitedApi);
    const value = limited === null ? null : exact((BigInt(limited.major) << 24n) | (BigInt(limited.minor) << 16n));
    macros.set('Py_LIMITED_API', defined(value));
  }
  return macros;
}

/** targetMacros by target, made once: each file of a run starts from them (the header macros are a thousand). */
const BASE_MACROS = new WeakMap<object, Map<string, Map<string, MacroState>>>();
const NO_HEADER_MACROS = {};

function baseMacros(target: PreprocessorTarget): ReadonlyMap<string, MacroState> {
  const byTarget = memoized(BASE_MACROS, target.headerMacros ?? NO_HEADER_MACROS, () => new Map<string, Map<string, MacroState>>());
  return memoized(byTarget, `${target.python}\0${target.limitedApi}\0${target.gilDisabled}`, () => targetMacros(target));
}

/**
 * The macros as far as known at the current point of the file. A macro the file defines gets the value of its body
 * evaluated at the #define (a cheap stand-in for C's expansion at each use); so that a later change to a name the
 * body used cannot leave a stale value behind, that change makes the value unknown.
 */
class MacroTable {
  readonly #states: Map<string, MacroState>;
  /** name → the macros whose value was computed from it. */
  readonly #dependents = new Map<string, Set<string>>();

  constructor(target: PreprocessorTarget) {
    // A copy: the file's own #defines change it. (The states themselves are replaced, never changed.)
    this.#states = new Map(baseMacros(target));
  }

  get(name: string): MacroState {
    return this.#states.get(name) ?? UNKNOWN_MACRO;
  }

  /** `#define name` with the value of its body (`names`: the identifiers the body used). */
  define(name: string, value: Value, names: ReadonlySet<string>): void {
    this.set(name, { kind: 'defined', value });
    for (const used of names) {
      memoized(this.#dependents, used, () => new Set<string>()).add(name);
    }
  }

  set(name: string, state: MacroState): void {
    this.#invalidateDependents(name);
    this.#states.set(name, state);
  }

  /** Each dependency edge is walked once (then dropped), so this stays linear over the whole file. */
  #invalidateDependents(name: string): void {
    const pending = [name];
    for (let changed = pending.pop(); changed !== undefined; changed = pending.pop()) {
      const dependents = this.#dependents.get(changed);
      if (dependents === undefined) continue;
      this.#dependents.delete(changed);
      for (const dependent of dependents) {
        const state = this.#states.get(dependent);
        if (state?.kind === 'defined' && state.value !== null) {
          this.#states.set(dependent, { kind: 'defined', value: null });
          pending.push(dependent);
        }
      }
    }
  }
}

/**
 * The items of an expression, with `defined X`, `defined(X)`, known macros and calls (`F(...)`, `__has_include(...)`:
 * unknown) resolved. null on a syntax error. `used` collects every identifier looked at.
 */
function resolve(tokens: readonly Token[], macros: MacroTable, used: Set<string>): Item[] | null {
  const items: Item[] = [];
  const isPunctuator = (token: Token | undefined, text: string): boolean => token?.kind === 'punctuator' && token.text === text;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'number') {
      items.push({ kind: 'operand', value: token.value });
    } else if (token.kind === 'punctuator') {
      items.push(token);
    } else if (token.kind === 'literal') {
      items.push({ kind: 'operand', value: null }); // a character constant: its value depends on the charset
    } else if (token.kind === 'other') {
      return null;
    } else if (token.name === 'defined') {
      const parenthesized = isPunctuator(tokens[i + 1], '(');
      const nameToken = tokens[parenthesized ? i + 2 : i + 1];
      if (nameToken?.kind !== 'identifier') return null;
      if (parenthesized && !isPunctuator(tokens[i + 3], ')')) return null;
      i += parenthesized ? 3 : 1;
      used.add(nameToken.name);
      const state = macros.get(nameToken.name);
      items.push({ kind: 'operand', value: state.kind === 'unknown' ? EITHER : state.kind === 'defined' ? TRUE : FALSE });
    } else if (isPunctuator(tokens[i + 1], '(')) {
      // A function-like macro or an operator such as __has_include: its value is not known here.
      used.add(token.name);
      let depth = 0;
      let j = i + 1;
      for (; j < tokens.length; j++) {
        const inner = tokens[j]!;
        if (isPunctuator(inner, '(')) depth++;
        else if (isPunctuator(inner, ')') && --depth === 0) break;
      }
      if (j >= tokens.length) return null;
      i = j;
      items.push({ kind: 'operand', value: null });
    } else {
      used.add(token.name);
      const state = macros.get(token.name);
      // An identifier that is not a macro is 0 in #if; one that may be a macro is unknown.
      items.push({ kind: 'operand', value: state.kind === 'undefined' ? FALSE : state.kind === 'defined' ? state.value : null });
    }
  }
  return items;
}

function evaluate(text: string, macros: MacroTable, used = new Set<string>()): Value {
  const items = resolve(tokenize(text), macros, used);
  return items === null ? null : evaluateItems(items);
}

/** The macro an #ifdef, #ifndef, #undef or #define names; null when the directive names none. */
function leadingIdentifier(rest: string): { name: string; after: number } | null {
  const match = /^[ \t\r\v\f]*([A-Za-z_$][A-Za-z0-9_$]*)/.exec(rest);
  return match ? { name: match[1]!, after: match[0].length } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditional groups

/** Whether code is compiled: certainly, certainly not, or depending on what cannot be known here. */
type Compiled = 'yes' | 'no' | 'maybe';

function compiledFrom(t: boolean | null): Compiled {
  return t === null ? 'maybe' : t ? 'yes' : 'no';
}

function within(parent: Compiled, branch: Compiled): Compiled {
  if (parent === 'no' || branch === 'no') return 'no';
  return parent === 'yes' && branch === 'yes' ? 'yes' : 'maybe';
}

function and3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : null;
}

function or3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : null;
}

interface Group {
  /** Whether the code around the group is compiled. */
  readonly parent: Compiled;
  /** Whether an earlier branch of the group was taken. */
  taken: boolean | null;
  /** Whether the current branch is compiled (within the parent). */
  current: Compiled;
  /** Where the current branch's lines begin. */
  branchStart: number;
  /** Every branch so far is certainly compiled or certainly not. */
  decided: boolean;
  /** The #if, #elif, #else and #endif lines, blanked with the group when it is decided. */
  readonly directiveRanges: [number, number][];
}

const IF_KEYWORDS = new Set(['if', 'ifdef', 'ifndef']);
const ELIF_KEYWORDS = new Set(['elif', 'elifdef', 'elifndef', 'else']);

/** The condition of an #if-family directive: true, false, or null when it cannot be decided. */
function condition(directive: Directive, macros: MacroTable): boolean | null {
  switch (directive.keyword) {
    case 'else':
      return true;
    case 'if':
    case 'elif':
      return truth(evaluate(directive.rest, macros));
    default: {
      const named = leadingIdentifier(directive.rest);
      if (named === null) return null;
      const state = macros.get(named.name);
      const defined = state.kind === 'unknown' ? null : state.kind === 'defined';
      return directive.keyword.endsWith('ndef') ? (defined === null ? null : !defined) : defined;
    }
  }
}

function applyDefinition(directive: Directive, compiled: Compiled, macros: MacroTable): void {
  const named = leadingIdentifier(directive.rest);
  if (named === null) return;
  if (compiled === 'maybe') {
    macros.set(named.name, UNKNOWN_MACRO); // defined or undefined depending on a branch we cannot decide
  } else if (directive.keyword === 'undef') {
    macros.set(named.name, UNDEFINED_MACRO);
  } else if (directive.rest.charCodeAt(named.after) === OPEN_PAREN) {
    macros.set(named.name, { kind: 'defined', value: null }); // function-like: no value of its own
  } else {
    const body = directive.rest.slice(named.after);
    const used = new Set<string>();
    // An empty body counts as 1, as for -DNAME: `#ifdef IS_PY3K` and `#if IS_PY3K` agree.
    const value = body.trim() === '' ? TRUE : evaluate(body, macros, used);
    // A body that names its own macro sees that name unexpanded in C, not its old value.
    macros.define(named.name, used.has(named.name) ? null : value, used);
  }
}

/** Sorted, merged copies of the ranges. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = ranges.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * The source with every line of a branch that is not compiled for the target blanked (each character but newlines
 * replaced by a space, so offsets, lines and columns stay); directives themselves are blanked too when their whole
 * group is decided. Undecidable conditions keep every branch. `inactiveRanges` are the blanked [start, end) ranges,
 * sorted and disjoint: `text` is the source with exactly those ranges blanked ('\r' and '\n' kept).
 *
 * Decided: the version macros (PY_VERSION_HEX as an interval over the minor's final releases, PY_MAJOR_VERSION,
 * PY_MINOR_VERSION, ...), Py_LIMITED_API, Py_GIL_DISABLED, and macros the file #defines or #undefs in code compiled
 * for certain. Unknown: every other name (Py_DEBUG, PY_SSIZE_T_CLEAN, _WIN32...), function-like macros and
 * __has_include, since headers and the command line may define them.
 */
export function blankInactiveBranches(
  source: string,
  target: PreprocessorTarget,
): { text: string; inactiveRanges: readonly [number, number][] } {
  const macros = new MacroTable(target);
  const groups: Group[] = [];
  const blanked: [number, number][] = [];
  const compiledHere = (): Compiled => groups.at(-1)?.current ?? 'yes';

  // Closes the current branch of `group` at `end`, blanking its lines when it is certainly not compiled.
  const closeBranch = (group: Group, end: number): void => {
    if (group.current === 'no' && group.parent !== 'no') blanked.push([group.branchStart, end]);
  };

  for (const directive of findDirectives(source)) {
    const keyword = directive.keyword;
    if (IF_KEYWORDS.has(keyword)) {
      const parent = compiledHere();
      // Inside code that is not compiled, a group is not compiled whatever it says, and is not evaluated.
      const test = parent === 'no' ? false : condition(directive, macros);
      groups.push({
        parent,
        taken: test,
        current: within(parent, compiledFrom(test)),
        branchStart: directive.end,
        decided: test !== null,
        directiveRanges: [[directive.lineStart, directive.end]],
      });
    } else if (ELIF_KEYWORDS.has(keyword)) {
      const group = groups.at(-1);
      if (group === undefined) continue; // a stray #elif or #else: the compiler rejects the file
      closeBranch(group, directive.lineStart);
      // Once a branch was certainly taken, later conditions are not evaluated (they may even be invalid).
      const test = group.parent === 'no' || group.taken === true ? false : condition(directive, macros);
      const branch = and3(group.taken === null ? null : !group.taken, test);
      group.taken = or3(group.taken, test);
      group.current = within(group.parent, compiledFrom(branch));
      group.decided &&= branch !== null;
      group.branchStart = directive.end;
      group.directiveRanges.push([directive.lineStart, directive.end]);
    } else if (keyword === 'endif') {
      const group = groups.pop();
      if (group === undefined) continue;
      closeBranch(group, directive.lineStart);
      if (group.decided && group.parent !== 'no') blanked.push(...group.directiveRanges, [directive.lineStart, directive.end]);
    } else if (keyword === 'define' || keyword === 'undef') {
      const compiled = compiledHere();
      if (compiled !== 'no') applyDefinition(directive, compiled, macros);
    }
  }
  // Groups left open at the end of the file: their branches run to the end; their directives stay.
  for (let group = groups.pop(); group !== undefined; group = groups.pop()) closeBranch(group, source.length);

  const inactiveRanges = mergeRanges(blanked);
  const parts: string[] = [];
  let copied = 0;
  for (const [start, end] of inactiveRanges) {
    parts.push(source.slice(copied, start));
    blankInto(parts, source, start, end);
    copied = end;
  }
  parts.push(source.slice(copied));
  return { text: parts.join(''), inactiveRanges };
}

/**
 * The text with every character but '\r' and '\n' made a space, so every offset and line stays where it was.
 * Run by run: a regex replacing one character at a time takes half a second on a 2 MB table.
 */
export function blankKeepingLines(text: string): string {
  const parts: string[] = [];
  blankInto(parts, text, 0, text.length);
  return parts.join('');
}

/** Pushes source[start, end) with every character but '\r' and '\n' made a space. */
function blankInto(parts: string[], source: string, start: number, end: number): void {
  parts.push(source.slice(start, end).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)));
}

// ---------------------------------------------------------------------------------------------------------------
// assert(...)

/** Calls whose arguments are only evaluated in debug builds (or never at run time). */
const ASSERT_NAMES: ReadonlySet<string> = new Set([
  'assert',
  '_PyObject_ASSERT',
  '_PyObject_ASSERT_WITH_MSG',
  '_PyObject_ASSERT_FROM',
  'static_assert',
  '_Static_assert',
  'Py_BUILD_ASSERT',
  'Py_BUILD_ASSERT_EXPR',
]);

/**
 * Where the assert scan stops: a comment or literal may start at each '/', '"' and "'", and each name of
 * ASSERT_NAMES that is not part of a longer identifier may be an assert. The regex engine skips everything else
 * itself, which a loop over every character did in four times the time (61 against 14 ms a pass over CPython's
 * Modules/).
 */
const ASSERT_SCAN_STOPS = new RegExp(`[/"']|(?<![\\w$])(?:${[...ASSERT_NAMES].join('|')})(?![\\w$])`, 'g');

/**
 * When an unclosed literal or comment starts at `i`, the offset after it; otherwise -1. Shared by the assert scan's
 * outer and inner loops so both skip the same things.
 */
function skipCommentOrLiteral(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === SLASH) return commentEnd(s, i);
  if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) return literalEnd(s, i);
  return -1;
}

/**
 * Byte ranges of the argument lists of assert(...) calls (and Py_ALWAYS_INLINE-free variants: assert,
 * _PyObject_ASSERT, Py_DEBUG-only helpers `_PyObject_ASSERT_WITH_MSG`), outside comments and strings, for the
 * checker to skip.
 *
 * Each range is [just after the '(', the offset of the matching ')'), in string indices; nested asserts are
 * inside their outer range and not listed apart. An assert whose ')' never comes gives no range, and ends the scan.
 */
export function assertArgumentRanges(source: string): readonly [number, number][] {
  const ranges: [number, number][] = [];
  const stops = new RegExp(ASSERT_SCAN_STOPS);
  for (let stop = stops.exec(source); stop !== null; stop = stops.exec(source)) {
    const i = stop.index;
    const skipped = skipCommentOrLiteral(source, i);
    if (skipped >= 0) {
      stops.lastIndex = skipped;
      continue;
    }
    // A '/' that starts no comment, or an assert's name.
    if (stop[0].length === 1) continue;
    let open = i + stop[0].length;
    for (;;) {
      const d = source.charCodeAt(open);
      if (isHorizontalSpace(d) || d === NEWLINE) open++;
      else if (d === BACKSLASH && spliceLength(source, open) > 0) open += spliceLength(source, open);
      else if (d === SLASH && commentEnd(source, open) >= 0) open = commentEnd(source, open);
      else break;
    }
    if (source.charCodeAt(open) !== OPEN_PAREN) continue;
    let depth = 1;
    let j = open + 1;
    while (j < source.length) {
      const inner = skipCommentOrLiteral(source, j);
      if (inner >= 0) {
        j = inner;
        continue;
      }
      const d = source.charCodeAt(j);
      if (d === OPEN_PAREN) depth++;
      else if (d === CLOSE_PAREN && --depth === 0) break;
      j++;
    }
    // Unclosed: the file's parentheses do not balance (it would not compile). Stop rather than let every later
    // assert rescan to the end, which would be quadratic.
    if (depth !== 0) break;
    ranges.push([open + 1, j]);
    stops.lastIndex = j + 1;
  }
  return ranges;
}
