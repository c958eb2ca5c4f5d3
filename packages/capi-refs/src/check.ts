/**
 * The checker: reads C sources with tree-sitter's C grammar (WASM build, no native code), keeps only the `#if`
 * branches compiled for the target Python, runs the ownership analysis (analysis/) on every function and hands
 * what it saw to the rules (rules/), one module each. Findings come with the path that leads to them.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Parser, Point, Range } from 'web-tree-sitter';
import { collectUses, type NameUse, type UseKind } from './analysis/name-uses.ts';
import { assertArgumentRanges, blankInactiveBranches, blankKeepingLines } from './analysis/preprocessor.ts';
import { spellOutObjectHeads } from './analysis/object-types.ts';
import { analyzeUnit } from './analysis/translation-unit.ts';
import { indexTree } from './analysis/tree-index.ts';
import type { RuleSetting } from './config/project-config.ts';
import type { CheckerApi, CheckerIndex } from './checker-facts.ts';
import { getCheckerIndex, loadCombined } from './data.ts';
import { ALL_RULES } from './rules/index.ts';
import type { Level, Rule, RuleContext, RuleFinding, RuleMeta } from './rules/rule.ts';
import { dataTableInsides, planChunks, parsedRanges, topLevelUnits, type Chunk } from './run/chunks.ts';
import { runPool } from './run/pool.ts';
import type { CombinedDataset } from './types.ts';

export type { Level, RuleMeta } from './rules/rule.ts';
export type { UseKind } from './analysis/name-uses.ts';
export { RELEASE_PRIMITIVES } from './analysis/engine.ts';
export { CALL_SCOPED_DEPRECATIONS } from './rules/deprecated-api.ts';

export type RuleId = string;

/** Every rule's documentation: id, level, summary, help and example. */
export const RULES: readonly RuleMeta[] = ALL_RULES.map((r) => r.meta);

/** A position in a checked file: 1-based lines, 1-based columns in UTF-16 code units (SARIF's default). */
export interface Region {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface PathStep extends Region {
  readonly message: string;
}

export interface Finding extends Region {
  readonly ruleId: RuleId;
  readonly level: Level;
  /** The path as given (relative paths stay relative). */
  readonly file: string;
  /** The API the finding is about, if one. */
  readonly api: string | null;
  /** call, macro-definition or reference for the per-name rules; null for the ownership rules. */
  readonly use: UseKind | null;
  readonly message: string;
  /** The replacement usable in the target version, if any. */
  readonly replacement: string | null;
  /** How the code gets there: where the reference was made, the branches taken, where it is lost. */
  readonly path: readonly PathStep[];
  /** Other places where the same problem shows. */
  readonly related: readonly PathStep[];
}

/** Something the checker could not do in a file it checked: a function it skipped, and why. */
export interface Notice {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Why a file has no findings: it could not be read, or the checker failed on it. */
export interface FileError {
  readonly stage: 'read' | 'check';
  readonly message: string;
}

/** One file's part of a run, as checkFilesStreaming yields it. */
export interface FileResult {
  readonly file: string;
  readonly lines: number;
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
  readonly error: FileError | null;
}

export interface CheckResult {
  readonly python: string;
  readonly files: readonly string[];
  readonly lines: number;
  readonly findings: readonly Finding[];
  /** Files that could not be read or checked. */
  readonly errors: readonly ({ readonly file: string } & FileError)[];
  /** What the checker skipped in the files it checked. */
  readonly notices: readonly Notice[];
}

export interface CheckOptions {
  /** Also report the explanation rules (every borrowed return, every steal). */
  readonly explain?: boolean;
  /** Py_LIMITED_API as a version ('3.10'), or null. */
  readonly limitedApi?: string | null;
  readonly gilDisabled?: boolean;
  /**
   * Per rule id: its level for every finding it makes, or 'off'. A level given to an explanation rule turns it on
   * without --explain. The project's capi-refs.toml sets these (config/project-config.ts).
   */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /**
   * Worker threads for checkPaths and checkFilesStreaming; by default one per core the process may use. With 1,
   * or a single file, files are checked in this thread.
   */
  readonly workers?: number;
}

let parserPromise: Promise<Parser> | undefined;

function grammarPath(): string {
  // The build copies the grammar next to the compiled code; from source, use the tree-sitter-c package.
  const bundled = fileURLToPath(new URL('./tree-sitter-c.wasm', import.meta.url));
  return existsSync(bundled) ? bundled : createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
}

export function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(grammarPath()));
    return parser;
  })();
  return parserPromise;
}

/** Everything the rules need about the target version. */
export interface CheckContext {
  readonly python: string;
  readonly index: CheckerIndex;
  readonly combined: CombinedDataset;
  /** Callable names of any version: functions and macros. */
  readonly names: ReadonlySet<string>;
  readonly options: CheckOptions;
  /** The rules the options enable. */
  readonly rules: readonly Rule[];
  /** The names whose uses some enabled rule reads (Rule.watches): the only ones looked up in a file. */
  readonly watched: ReadonlySet<string>;
  /** The C API's macros the target defines, and those only other versions define (for #ifdef). */
  readonly headerMacros: { readonly defined: ReadonlySet<string>; readonly absent: ReadonlySet<string> };
}

/** Macros the docs list that a build or the extension sets, not the headers: never decided. */
const BUILD_SWITCHES = new Set(['Py_DEBUG', 'Py_REF_DEBUG', 'Py_TRACE_REFS', 'Py_GIL_DISABLED', 'Py_LIMITED_API', 'Py_ENABLE_SHARED', 'PY_SSIZE_T_CLEAN', 'Py_BUILD_CORE', 'Py_BUILD_CORE_BUILTIN', 'Py_BUILD_CORE_MODULE', 'Py_STATS']);

export function checkContext(python: string, options: CheckOptions = {}): CheckContext {
  const combined = loadCombined();
  const index = getCheckerIndex(python);
  const names = new Set<string>();
  const defined = new Set<string>();
  const absent = new Set<string>();
  for (const [name, history] of Object.entries(combined.apis)) {
    if (history.kind === 'function' || history.kind === 'macro') names.add(name);
    if (history.kind !== 'macro') continue;
    // Only names the headers declare as macros (documented or not) are decided, never the build's own switches;
    // the Limited API hides some, so with it only absence is decided.
    if (BUILD_SWITCHES.has(name)) continue;
    if (index.apis.get(name)?.header && !options.limitedApi) defined.add(name);
    else if (!index.apis.has(name)) absent.add(name);
  }
  const settings = options.rules ?? {};
  const rules = ALL_RULES.filter((rule) => {
    const setting = settings[rule.meta.id];
    return setting === undefined ? !rule.meta.explainOnly || options.explain : setting !== 'off';
  });
  const watching = rules.filter((rule) => rule.watches !== undefined);
  const target = { python, index, combined };
  const watched = new Set([...names].filter((name) => watching.some((rule) => rule.watches!(name, target))));
  return { python, index, combined, names, options, rules, watched, headerMacros: { defined, absent } };
}

/**
 * The API whose ownership facts a call uses: the target version's, or, for a name the target does not have (code
 * built for other versions, or through a compatibility header), the nearest version's (checker-facts.ts). The
 * removed-api rule says that the name is gone; the ownership rules still know what it did.
 */
function ownershipFacts(name: string, ctx: CheckContext): CheckerApi | undefined {
  return ctx.index.apis.get(name) ?? ctx.index.nearest.get(name);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - starts[lo]! + 1 };
}

/**
 * Macros that open or close a brace they do not show (`Py_BEGIN_ALLOW_THREADS` is `{ PyThreadState *_save; ...`):
 * left in, they unbalance the function body for the parser; and the compiler-pragma macros, written without a
 * semicolon, which the parser would read as the type of the declaration on the next line. They do nothing to
 * references.
 */
const BRACE_MACROS = /\b(_Py_COMP_DIAG_(?:PUSH|POP|IGNORE_DEPR_DECLS)\b|Py_BEGIN_ALLOW_THREADS|Py_END_ALLOW_THREADS|Py_BLOCK_THREADS|Py_UNBLOCK_THREADS|Py_BEGIN_CRITICAL_SECTION2?(?:_MUT)?\s*\([^()\n]*\)|Py_END_CRITICAL_SECTION2?)\b;?/g;

/**
 * The file's own macros whose body opens or closes a brace it does not close or open (`#define
 * PySSL_BEGIN_ALLOW_THREADS { PyThreadState *_save = ...`), like Py_BEGIN_ALLOW_THREADS: their uses are blanked
 * (the definitions stay), so the parser sees balanced code.
 */
function blankBraceMacrosOfFile(text: string): string {
  const unbalanced: string[] = [];
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)((?:[^\n\\]|\\\r?\n|\\)*)/gm)) {
    const body = m[2]!;
    let depth = 0;
    for (const c of body) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    if (depth !== 0) unbalanced.push(m[1]!);
  }
  if (unbalanced.length === 0) return text;
  const use = new RegExp(`^([ \\t]*)(${unbalanced.join('|')})\\b(\\s*\\([^()\\n]*\\))?[ \\t]*;?`, 'gm');
  return text.replace(use, (all, indent: string) => indent + ' '.repeat(all.length - indent.length));
}

/**
 * The trashcan macros also open and close a brace, and are written without a semicolon; they are kept as calls
 * (deprecated-api reports the old ones) but with their arguments blanked and a semicolon, same length.
 */
const TRASHCAN_MACROS = /\b(Py_TRASHCAN_SAFE_BEGIN|Py_TRASHCAN_SAFE_END|Py_TRASHCAN_BEGIN|Py_TRASHCAN_END)(\s*\([^()\n]+\)\s*;?)/g;

function neutralTrashcan(_match: string, name: string, rest: string): string {
  return `${name}();${' '.repeat(rest.length - 3)}`;
}

/**
 * Long runs of numbers (generated tables such as unicodename_db.h): nothing in them is an object, and parsing
 * them is most of the time spent on such files. Blanked, braces kept, so the initializer is an empty list.
 */
const NUMBER_TABLE_MIN = 4096;

/** The characters of a number table: hex digits, integer suffixes (and `x`), commas and whitespace. */
const TABLE_CHARS = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEFxXuUlL, \t\r\n') TABLE_CHARS[c.charCodeAt(0)] = 1;

/**
 * Thirty-two numbers in a row, separated by commas: every generated number table has them, and a regex finds them
 * in a tenth of the time of the loop below, which then runs only on files that have one. (A table it misses is
 * parsed, not blanked: slower, never wrong.) A search starts only at a digit that no word character precedes, and
 * reads each number whole at once (the look-ahead and its back-reference), so that it never tries a number again
 * from inside and stays linear on any input (a megabyte of digits included). Starting with the digit, not with a
 * look-ahead, lets the regex engine skip straight to digits: over CPython's Modules/ the search took 43 ms a pass
 * when it began with the look-ahead, 3 ms now.
 */
const TABLE_SEED = /(?<!\w)[0-9](?=([0-9a-fA-FxXuUlL]*))\1(?:\s*,\s*[0-9](?=([0-9a-fA-FxXuUlL]*))\2){31}/;

/** The text with every run of at least NUMBER_TABLE_MIN table characters blanked (one pass; a regex would backtrack). */
function blankNumberTables(text: string): string {
  if (!TABLE_SEED.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  let runStart = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && TABLE_CHARS[c] === 1) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && i - runStart >= NUMBER_TABLE_MIN) {
      parts.push(text.slice(copied, runStart), blankKeepingLines(text.slice(runStart, i)));
      copied = i;
    }
    runStart = -1;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** An upper-case name, maybe called, alone on an indented line: a statement macro written without its semicolon. */
const BARE_MACRO_LINES = /^([ \t]+)([A-Z][A-Z0-9_]*(?:[ \t]*\([^;{}"\n]*\))?)([ \t]*)$/gm;

/**
 * The nearest line that is not blank among the three before the one starting at `from` (`step` -1), or the three
 * after the one ending at `from` (`step` 1), trimmed; '' when all are blank.
 */
function nearbyLine(text: string, from: number, step: -1 | 1): string {
  let at = from;
  for (let k = 0; k < 3; k++) {
    let line: string;
    if (step === -1) {
      if (at === 0) return '';
      const start = text.lastIndexOf('\n', at - 2) + 1;
      line = text.slice(start, at - 1);
      at = start;
    } else {
      if (at >= text.length) return '';
      const end = text.indexOf('\n', at + 1);
      line = text.slice(at + 1, end === -1 ? text.length : end);
      at = end === -1 ? text.length : end;
    }
    if (line.trim() !== '') return line.trim();
  }
  return '';
}

/**
 * `CHECK_INITIALIZED(self)` alone on a line, with the semicolon inside the macro: the parser would run it into the
 * next statement. It gets a semicolon in place of one character of its indentation (the line keeps its length,
 * every offset after it stays). Lines in an initializer or a macro continuation are left alone.
 */
function terminateBareMacros(text: string): string {
  return text.replace(BARE_MACRO_LINES, (line: string, indent: string, macro: string, trailing: string, offset: number) => {
    if (/(_INIT|_HEAD)\b/.test(macro)) return line;
    const before = nearbyLine(text, offset, -1);
    const after = nearbyLine(text, offset + line.length, 1);
    if (/[,(=\\]$/.test(before) || /^["{),.]/.test(after) || /^(else|[-+*/%&|^?:<>=])/.test(after)) return line;
    return `${indent.slice(1)}${macro};${trailing}`;
  });
}

/**
 * The text the analysis reads: branches not compiled for the target and brace macros blanked, offsets kept.
 * `assert(...)` stays: the ownership analysis takes its condition as a fact; the per-name rules skip its arguments.
 */
export function compiledText(text: string, ctx: CheckContext): string {
  const { text: active } = blankInactiveBranches(text, {
    python: ctx.python,
    limitedApi: ctx.options.limitedApi ?? null,
    gilDisabled: ctx.options.gilDisabled ?? false,
    headerMacros: ctx.headerMacros,
  });
  const neutral = blankBraceMacrosOfFile(active).replace(BRACE_MACROS, blankKeepingLines).replace(TRASHCAN_MACROS, neutralTrashcan);
  return terminateBareMacros(spellOutObjectHeads(blankNumberTables(neutral)));
}

/**
 * A bug in one of the file's macros is one bug, however often the macro is used: one finding per rule and macro,
 * at its first use, saying how many other uses share it.
 */
function onePerMacro(findings: Iterable<RuleFinding>): RuleFinding[] {
  const out: RuleFinding[] = [];
  const first = new Map<string, { index: number; uses: number }>();
  for (const f of findings) {
    const macro = f.span.via;
    const seen = macro === undefined ? undefined : first.get(macro);
    if (seen) {
      seen.uses++;
      continue;
    }
    if (macro !== undefined) first.set(macro, { index: out.length, uses: 1 });
    out.push(f);
  }
  for (const [macro, { index, uses }] of first) {
    if (uses > 1) out[index] = { ...out[index]!, message: `${out[index]!.message} (in the expansion of ${macro}; the same in ${uses - 1} more of its uses)` };
  }
  return out;
}

/** A name of Python's: its C API (Py_, _Py, PY_ prefixes) and the types and objects named like it. */
const PYTHON_NAME = /^(_?Py|PY)/;

/** Tree-sitter's included ranges for [start, end) offsets of the source; rows and columns from `starts`. */
function includedRanges(ranges: Chunk['ranges'], starts: readonly number[]): Range[] {
  const point = (index: number): Point => {
    const { line, column } = position(starts, index);
    return { row: line - 1, column: column - 1 };
  };
  return ranges.map(([start, end]) => ({ startIndex: start, endIndex: end, startPosition: point(start), endPosition: point(end) }));
}

/** Whether `offset` lies in one of the sorted, disjoint [start, end) ranges. */
function inRanges(ranges: Chunk['ranges'], offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Check one C source text: its findings, and notices for the functions it skipped. A text larger than a chunk is
 * analysed chunk by chunk (run/chunks.ts says what that loses); findings in the context all chunks share are kept once.
 */
export async function checkSourceReport(text: string, file: string, ctx: CheckContext): Promise<{ findings: Finding[]; notices: Notice[] }> {
  const parser = await loadParser();
  const source = compiledText(text, ctx);
  const assertRanges = assertArgumentRanges(source);
  const starts = lineStarts(text);
  const region = (span: { start: number; end: number }): Region => {
    const s = position(starts, span.start);
    const e = position(starts, span.end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  const settings = ctx.options.rules ?? {};
  const kept = new Map<Rule, RuleFinding[]>(ctx.rules.map((rule) => [rule, []]));
  const shared = new Set<string>();
  const notices = new Map<number, Notice>();
  // One scan of the top level serves both: where to cut a large file, and which tables to leave out.
  const units = topLevelUnits(source);
  const dataTables = dataTableInsides(source, units, (name) => PYTHON_NAME.test(name) || ctx.names.has(name));
  for (const chunk of planChunks(source, units) ?? [null]) {
    const ranges = parsedRanges(source, chunk?.ranges, dataTables);
    const whole = ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === source.length;
    const tree = whole ? parser.parse(source) : parser.parse(source, null, { includedRanges: includedRanges(ranges, starts) });
    if (!tree) throw new Error('tree-sitter could not parse the file');
    try {
      const index = indexTree(tree.rootNode);
      const unit = analyzeUnit(index, source, (name) => ownershipFacts(name, ctx), parser);
      for (const { name, span, reason } of unit.skipped) {
        notices.set(span.start, { file, line: position(starts, span.start).line, message: `${name} was not checked: ${reason}` });
      }
      const ruleContext: RuleContext = {
        python: ctx.python,
        index: ctx.index,
        combined: ctx.combined,
        source,
        unit,
        uses: ctx.watched.size === 0 ? [] : skipRanges(collectUses(parser, tree.rootNode, index.macros, ctx.watched, source), assertRanges),
        lineOf: (offset) => position(starts, offset).line,
      };
      for (const rule of ctx.rules) {
        const list = kept.get(rule)!;
        for (const f of rule.check(ruleContext)) {
          if (chunk !== null && !inRanges(chunk.owned, f.span.start)) {
            const key = `${rule.meta.id}\0${f.span.start}\0${f.span.end}\0${f.message}`;
            if (shared.has(key)) continue;
            shared.add(key);
          }
          list.push(f);
        }
      }
    } finally {
      tree.delete();
    }
  }
  const findings: Finding[] = [];
  for (const [rule, list] of kept) {
    for (const f of onePerMacro(list)) {
      findings.push({
        ruleId: rule.meta.id,
        level: (settings[rule.meta.id] as Level | undefined) ?? f.level ?? rule.meta.defaultLevel,
        file,
        ...region(f.span),
        api: f.api,
        use: f.use ?? null,
        message: f.message,
        replacement: f.replacement ?? null,
        path: (f.path ?? []).map((step) => ({ ...region(step.span), message: step.message })),
        related: (f.related ?? []).map((step) => ({ ...region(step.span), message: step.message })),
      });
    }
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { findings, notices: [...notices.values()].sort((a, b) => a.line - b.line) };
}

/** The uses outside the given sorted [start, end) ranges (the arguments of assert(), which the per-name rules skip). */
function skipRanges(uses: readonly NameUse[], ranges: Chunk['ranges']): NameUse[] {
  return uses.filter((u) => !inRanges(ranges, u.start));
}

/** Check one C source text. */
export async function checkSource(text: string, file: string, ctx: CheckContext): Promise<Finding[]> {
  return (await checkSourceReport(text, file, ctx)).findings;
}

const C_FILE = /\.(c|h)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.tox', '.venv']);

/**
 * The .c and .h files under the given files and folders, sorted; a file given explicitly is kept whatever its
 * name. Links inside folders are followed to files (a link to a folder is not, so a cycle cannot trap the walk).
 */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  // Every path and folder entry is looked at at once (one lstat after another was most of a large run's start);
  // the lists keep their order, so the name kept for a file reached twice does not depend on timing.
  async function walk(p: string, explicit: boolean): Promise<string[]> {
    const link = await lstat(p);
    const st = link.isSymbolicLink() ? await stat(p) : link;
    if (st.isDirectory() && (explicit || !link.isSymbolicLink())) {
      const entries = (await readdir(p, { withFileTypes: true })).filter((e) => !(e.isDirectory() && SKIP_DIRS.has(e.name)));
      return concat(await inOrder(entries.map((e) => walk(path.join(p, e.name), false))));
    }
    return st.isFile() && (explicit || C_FILE.test(p)) ? [p] : [];
  }
  const out = concat(await inOrder(paths.map((p) => walk(p, true))));
  const reals = await inOrder(out.map((file) => realpath(file)));
  const unique = new Map<string, string>();
  out.forEach((file, i) => {
    if (!unique.has(reals[i]!)) unique.set(reals[i]!, file);
  });
  return [...unique.values()].sort();
}

/** The values of promises that run at once; if some fail, the first failure in their order (not in time) is thrown. */
async function inOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/** The lists one after another (without spreading them into push, which overflows the stack on long lists). */
function concat(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const list of lists) for (const item of list) out.push(item);
  return out;
}

/** Text that is not C source: a NUL byte within the first 8 KiB, as git and grep judge binary files. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\0');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lines as an editor counts them: a last line without its newline counts. */
function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/**
 * Read and check one file. Never rejects: a file that cannot be read, or that the checker fails on, comes back
 * with its error, so that one bad file does not stop a run. `read` reads it: by default without blocking the
 * thread; a worker thread, which has nothing else to do meanwhile, reads it at once (run/worker.ts).
 */
export async function checkFile(file: string, ctx: CheckContext, read: (file: string) => string | Promise<string> = readUtf8): Promise<FileResult> {
  const failed = (stage: FileError['stage'], message: string, lines = 0): FileResult => ({ file, lines, findings: [], notices: [], error: { stage, message } });
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    return failed('read', errorMessage(error));
  }
  // Skipped, not failed: a binary file among the sources (an object file, a picture named .h) is no reason to
  // fail a run, and the note says why it has no findings.
  if (looksBinary(text)) return { file, lines: 0, findings: [], notices: [{ file, line: 1, message: 'skipped: not C source text (it holds NUL bytes)' }], error: null };
  const lines = countLines(text);
  try {
    const { findings, notices } = await checkSourceReport(text, file, ctx);
    return { file, lines, findings, notices, error: null };
  } catch (error) {
    return failed('check', errorMessage(error), lines);
  }
}

function readUtf8(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

/**
 * Check files (as collectFiles lists them), yielding each file's result in the order of `files` as soon as it and
 * those before it are done. Files run on worker threads (options.workers), results in order all the same.
 */
export async function* checkFilesStreaming(files: readonly string[], python: string, options: CheckOptions = {}): AsyncGenerator<FileResult> {
  const workers = Math.min(options.workers ?? availableParallelism(), files.length);
  if (workers > 1) {
    yield* runPool(files, { python, options }, workers);
    return;
  }
  const ctx = checkContext(python, options);
  for (const file of files) yield await checkFile(file, ctx);
}

/** Check files and folders (recursively, .c and .h files). */
export async function checkPaths(paths: readonly string[], python: string, options: CheckOptions = {}): Promise<CheckResult> {
  const files = await collectFiles(paths);
  const findings: Finding[] = [];
  const errors: ({ file: string } & FileError)[] = [];
  const notices: Notice[] = [];
  let lines = 0;
  for await (const result of checkFilesStreaming(files, python, options)) {
    lines += result.lines;
    // One at a time: spreading a file's findings into push() overflows the stack past ~100,000 of them.
    for (const f of result.findings) findings.push(f);
    for (const n of result.notices) notices.push(n);
    if (result.error) errors.push({ file: result.file, ...result.error });
  }
  return { python, files, lines, findings, errors, notices };
}

export function countByRule(findings: readonly Finding[]): Record<RuleId, number> {
  const counts: Record<RuleId, number> = Object.fromEntries(RULES.map((r) => [r.id, 0]));
  for (const f of findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return counts;
}

/** `file:line:column: level [rule] message`, then the path's steps indented beneath. */
export function formatFinding(f: Finding): string {
  const head = `${f.file}:${f.line}:${f.column}: ${f.level} [${f.ruleId}] ${f.message}`;
  const steps = f.path.map((s) => `    ${f.file}:${s.line}:${s.column}: ${s.message}`);
  const related = f.related.map((s) => `    ${f.file}:${s.line}:${s.column}: note: ${s.message}`);
  return [head, ...steps, ...related].join('\n');
}

export function formatText(result: CheckResult): string {
  return result.findings.map(formatFinding).join('\n');
}

/** `counts` (findings by rule) stands for the findings when a streamed run did not keep them. */
export function summaryLine(result: CheckResult, counts = countByRule(result.findings)): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = RULES.filter((r) => counts[r.id]! > 0).map((r) => `${counts[r.id]} ${r.id}`).join(', ');
  return `capi-refs check: ${total} findings in ${result.files.length} files (${result.lines} lines) for Python ${result.python}${parts ? `: ${parts}` : ''}`;
}
