/**
 * The checker: reads C sources with tree-sitter's C grammar (WASM build, no native code), keeps only the `#if`
 * branches compiled for the target Python, runs the ownership analysis (analysis/) on every function and hands
 * what it saw to the rules (rules/), one module each. Findings come with the path that leads to them.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import { collectUses, type UseKind } from './analysis/name-uses.ts';
import { assertArgumentRanges, blankInactiveBranches } from './analysis/preprocessor.ts';
import { spellOutObjectHeads } from './analysis/object-types.ts';
import { analyzeUnit } from './analysis/translation-unit.ts';
import { getVersion, loadCombined } from './data.ts';
import type { VersionIndex } from './query.ts';
import { ALL_RULES } from './rules/index.ts';
import type { Level, RuleContext, RuleFinding, RuleMeta } from './rules/rule.ts';
import type { CombinedDataset } from './types.ts';

export type { Level, RuleMeta } from './rules/rule.ts';
export type { UseKind } from './analysis/name-uses.ts';
export { RELEASE_PRIMITIVES } from './rules/steals-argument.ts';
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
}

export interface CheckResult {
  readonly python: string;
  readonly files: readonly string[];
  readonly lines: number;
  readonly findings: readonly Finding[];
  /** Files that could not be read or checked. */
  readonly errors: readonly { readonly file: string; readonly message: string }[];
}

export interface CheckOptions {
  /** Also report the explanation rules (every borrowed return, every steal). */
  readonly explain?: boolean;
  /** Py_LIMITED_API as a version ('3.10'), or null. */
  readonly limitedApi?: string | null;
  readonly gilDisabled?: boolean;
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
  readonly index: VersionIndex;
  readonly combined: CombinedDataset;
  /** Callable names of any version: functions and macros. */
  readonly names: ReadonlySet<string>;
  readonly options: CheckOptions;
}

export function checkContext(python: string, options: CheckOptions = {}): CheckContext {
  const combined = loadCombined();
  const index = getVersion(python);
  const names = new Set<string>();
  for (const [name, history] of Object.entries(combined.apis)) {
    if (history.kind === 'function' || history.kind === 'macro') names.add(name);
  }
  return { python, index, combined, names, options };
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
 * left in, they unbalance the function body for the parser. They do nothing to references.
 */
const BRACE_MACROS = /\b(Py_BEGIN_ALLOW_THREADS|Py_END_ALLOW_THREADS|Py_BLOCK_THREADS|Py_UNBLOCK_THREADS|Py_BEGIN_CRITICAL_SECTION2?(?:_MUT)?\s*\([^()\n]*\)|Py_END_CRITICAL_SECTION2?)\b;?/g;

/** The text the analysis reads: branches not compiled for the target, `assert` arguments and brace macros blanked, offsets kept. */
export function compiledText(text: string, ctx: CheckContext): string {
  const { text: active } = blankInactiveBranches(text, { python: ctx.python, limitedApi: ctx.options.limitedApi ?? null, gilDisabled: ctx.options.gilDisabled ?? false });
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of assertArgumentRanges(active)) {
    parts.push(active.slice(at, start), blank(active.slice(start, end)));
    at = end;
  }
  parts.push(active.slice(at));
  return spellOutObjectHeads(parts.join('').replace(BRACE_MACROS, blank));
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

/** Check one C source text. */
export async function checkSource(text: string, file: string, ctx: CheckContext): Promise<Finding[]> {
  const parser = await loadParser();
  const source = compiledText(text, ctx);
  const tree = parser.parse(source);
  if (!tree) throw new Error(`${file}: tree-sitter could not parse the file`);
  const starts = lineStarts(text);
  const region = (span: { start: number; end: number }): Region => {
    const s = position(starts, span.start);
    const e = position(starts, span.end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  const findings: Finding[] = [];
  try {
    const ruleContext: RuleContext = {
      python: ctx.python,
      index: ctx.index,
      combined: ctx.combined,
      source,
      unit: analyzeUnit(tree.rootNode, source, (name) => ctx.index.apis.get(name), parser),
      uses: collectUses(parser, tree.rootNode, ctx.names),
      lineOf: (offset) => position(starts, offset).line,
    };
    for (const rule of ALL_RULES) {
      if (rule.meta.explainOnly && !ctx.options.explain) continue;
      for (const f of onePerMacro(rule.check(ruleContext))) {
        findings.push({
          ruleId: rule.meta.id,
          level: f.level ?? rule.meta.defaultLevel,
          file,
          ...region(f.span),
          api: f.api,
          use: f.use ?? null,
          message: f.message,
          replacement: f.replacement ?? null,
          path: (f.path ?? []).map((step) => ({ ...region(step.span), message: step.message })),
        });
      }
    }
  } finally {
    tree.delete();
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

const C_FILE = /\.(c|h)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.tox', '.venv']);

/**
 * The .c and .h files under the given files and folders, sorted; a file given explicitly is kept whatever its
 * name. Links inside folders are followed to files (a link to a folder is not, so a cycle cannot trap the walk).
 */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  async function walk(p: string, explicit: boolean): Promise<void> {
    const link = await lstat(p);
    const st = link.isSymbolicLink() ? await stat(p) : link;
    if (st.isDirectory() && (explicit || !link.isSymbolicLink())) {
      const entries = await readdir(p, { withFileTypes: true });
      for (const e of entries) {
        if (e.isDirectory() && SKIP_DIRS.has(e.name)) continue;
        await walk(path.join(p, e.name), false);
      }
    } else if (st.isFile() && (explicit || C_FILE.test(p))) {
      out.push(p);
    }
  }
  for (const p of paths) await walk(p, true);
  const unique = new Map<string, string>();
  for (const file of out) {
    const real = await realpath(file);
    if (!unique.has(real)) unique.set(real, file);
  }
  return [...unique.values()].sort();
}

/** Text that is not C source: a NUL byte within the first 8 KiB, as git and grep judge binary files. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\0');
}

/** Check files and folders (recursively, .c and .h files). */
export async function checkPaths(paths: readonly string[], python: string, options: CheckOptions = {}): Promise<CheckResult> {
  const ctx = checkContext(python, options);
  const files = await collectFiles(paths);
  const findings: Finding[] = [];
  const errors: { file: string; message: string }[] = [];
  let lines = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      errors.push({ file, message: (error as Error).message });
      continue;
    }
    if (looksBinary(text)) {
      errors.push({ file, message: 'not C source text (it holds NUL bytes)' });
      continue;
    }
    lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    for (const f of await checkSource(text, file, ctx)) findings.push(f);
  }
  return { python, files, lines, findings, errors };
}

export function countByRule(findings: readonly Finding[]): Record<RuleId, number> {
  const counts: Record<RuleId, number> = Object.fromEntries(RULES.map((r) => [r.id, 0]));
  for (const f of findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return counts;
}

/** `file:line:column: level [rule] message`, then the path's steps indented beneath. */
export function formatFinding(f: Finding): string {
  const head = `${f.file}:${f.line}:${f.column}: ${f.level} [${f.ruleId}] ${f.message}`;
  return [head, ...f.path.map((s) => `    ${f.file}:${s.line}:${s.column}: ${s.message}`)].join('\n');
}

export function formatText(result: CheckResult): string {
  return result.findings.map(formatFinding).join('\n');
}

export function summaryLine(result: CheckResult): string {
  const counts = countByRule(result.findings);
  const parts = RULES.filter((r) => counts[r.id]! > 0).map((r) => `${counts[r.id]} ${r.id}`).join(', ');
  return `capi-refs check: ${result.findings.length} findings in ${result.files.length} files (${result.lines} lines) for Python ${result.python}${parts ? `: ${parts}` : ''}`;
}
