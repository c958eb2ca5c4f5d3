/**
 * The checker: finds, in C sources, uses of C-API functions and macros that return borrowed references, steal an
 * argument, or are deprecated or removed in the target Python version. Calls are found with tree-sitter's C
 * grammar (WASM build, no native code): comments and strings never match, calls nested in arguments and in #if
 * branches are found, and the bodies of macro definitions are parsed as C too, so a call hidden behind a macro is
 * reported where the macro is defined.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node as TsNode, Parser } from 'web-tree-sitter';
import { alternativesFor, describeAlternative } from './alternatives.ts';
import { getApi, getVersion, loadCombined } from './data.ts';
import { isDeprecated, isRemoved, type VersionIndex } from './query.ts';
import type { Api, CombinedDataset } from './types.ts';
import { compareVersions } from './versions.ts';

export type RuleId = 'borrowed-return' | 'steals-argument' | 'deprecated-api' | 'removed-api';
export type Level = 'error' | 'warning' | 'note';

export interface Rule {
  readonly id: RuleId;
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly defaultLevel: Level;
}

export const RULES: readonly Rule[] = [
  {
    id: 'borrowed-return',
    name: 'BorrowedReturn',
    summary: 'Call to an API that returns a borrowed reference',
    help:
      'The returned reference is not yours: do not Py_DECREF it, and take a strong reference (Py_NewRef) before calling anything that may ' +
      'release its owner. Where the target version has an API returning a strong reference, prefer it (warning); otherwise this is a note.',
    defaultLevel: 'warning',
  },
  {
    id: 'steals-argument',
    name: 'StealsArgument',
    summary: 'Call to an API that steals a reference to an argument',
    help:
      'The call takes over the reference passed in: do not release it afterwards. An API that steals only on success (warning) leaves the ' +
      'reference with you when it fails: release it on the error path.',
    defaultLevel: 'note',
  },
  {
    id: 'deprecated-api',
    name: 'DeprecatedApi',
    summary: 'Use of an API that is deprecated in the target version',
    help: 'The docs of the target version deprecate this API (soft deprecations are notes). Use the alternative given.',
    defaultLevel: 'warning',
  },
  {
    id: 'removed-api',
    name: 'RemovedApi',
    summary: 'Use of an API that is removed in the target version',
    help: 'The target version removed this API, or no longer documents it although an earlier version did.',
    defaultLevel: 'error',
  },
];

export type UseKind = 'call' | 'macro-definition' | 'reference';

export interface Finding {
  readonly ruleId: RuleId;
  readonly level: Level;
  /** The path as given (relative paths stay relative). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (SARIF's default column kind). */
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly api: string;
  /** call: a call; macro-definition: a use inside a #define body; reference: the name used as a value (function pointer). */
  readonly use: UseKind;
  readonly message: string;
  /** The strong-reference or non-deprecated replacement usable in the target version, if any. */
  readonly replacement: string | null;
}

export interface CheckResult {
  readonly python: string;
  readonly files: readonly string[];
  readonly lines: number;
  readonly findings: readonly Finding[];
  /** Files that could not be read. */
  readonly errors: readonly { readonly file: string; readonly message: string }[];
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
}

export function checkContext(python: string): CheckContext {
  const combined = loadCombined();
  const index = getVersion(python);
  const names = new Set<string>();
  for (const [name, history] of Object.entries(combined.apis)) {
    if (history.kind === 'function' || history.kind === 'macro') names.add(name);
  }
  return { python, index, combined, names };
}

interface Use {
  readonly name: string;
  readonly use: UseKind;
  readonly start: number;
  readonly end: number;
  /** Argument texts, for a call. */
  readonly args: readonly string[] | null;
  /** Why a borrowed return is harmless here (the result is only tested, dereferenced at once, or made strong at once), or null. */
  readonly borrowSafe: string | null;
  /** The call is the test of an `if` whose branch releases these argument texts (the failure path of a steal-on-success). */
  readonly releasedInBranch: ReadonlySet<string>;
}

/**
 * Reference-release primitives: the data records their parameter as stolen (they release it), which is what they
 * are for, so a call to one of them is not reported as a steal.
 */
export const RELEASE_PRIMITIVES: ReadonlySet<string> = new Set(['Py_DECREF', 'Py_XDECREF', 'Py_CLEAR', 'Py_DecRef', 'Py_XDecRef', 'Py_SETREF', 'Py_XSETREF']);

/** Calls that turn a borrowed reference into a strong one at once. */
const MAKES_STRONG: ReadonlySet<string> = new Set(['Py_NewRef', 'Py_XNewRef', 'Py_INCREF', 'Py_XINCREF', 'Py_IncRef', 'Py_XIncRef']);

/** Skip parentheses and casts upwards. */
function outer(node: TsNode): { node: TsNode; parent: TsNode | null } {
  let cur = node;
  while (cur.parent && (cur.parent.type === 'parenthesized_expression' || cur.parent.type === 'cast_expression')) cur = cur.parent;
  return { node: cur, parent: cur.parent };
}

function borrowSafety(call: TsNode): string | null {
  const { node, parent } = outer(call);
  if (!parent) return null;
  const t = parent.type;
  if (t === 'field_expression' && parent.childForFieldName('argument')?.startIndex === node.startIndex) return 'dereferenced at once';
  if ((t === 'if_statement' || t === 'while_statement' || t === 'do_statement') && parent.childForFieldName('condition')?.startIndex === node.startIndex) {
    return 'only tested';
  }
  if (t === 'conditional_expression' && parent.childForFieldName('condition')?.startIndex === node.startIndex) return 'only tested';
  if (t === 'unary_expression' && parent.childForFieldName('operator')?.text === '!') return 'only tested';
  if (t === 'binary_expression') {
    const op = parent.childForFieldName('operator')?.text;
    if (op === '&&' || op === '||') return 'only tested';
    // A pointer comparison (with NULL or another object) needs no reference.
    if (op === '==' || op === '!=') return 'only compared';
  }
  if (t === 'argument_list' && parent.parent?.type === 'call_expression') {
    const fn = parent.parent.childForFieldName('function')?.text ?? '';
    if (MAKES_STRONG.has(fn)) return `made strong at once by ${fn}`;
  }
  return null;
}

/** The argument texts that the branch of the `if` testing this call releases (Py_DECREF / Py_XDECREF / Py_CLEAR). */
function releasedInBranch(call: TsNode, args: readonly string[]): Set<string> {
  const released = new Set<string>();
  let cur: TsNode = call;
  while (cur.parent && /expression$/.test(cur.parent.type)) cur = cur.parent;
  const stmt = cur.parent;
  if (stmt?.type !== 'if_statement' || stmt.childForFieldName('condition')?.startIndex !== cur.startIndex) return released;
  const branch = stmt.childForFieldName('consequence')?.text ?? '';
  for (const arg of args) {
    const escaped = arg.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`\\b(Py_X?DECREF|Py_CLEAR|Py_DecRef|Py_XDecRef)\\s*\\(\\s*(\\(\\s*PyObject\\s*\\*\\s*\\)\\s*)?${escaped}\\s*\\)`).test(branch)) {
      released.add(arg);
    }
  }
  return released;
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

const MACRO_PREFIX = 'void capi_refs_macro_body(void) {\n';

/** The uses of known names in one piece of C; `offset` shifts positions (for macro bodies parsed apart). */
function collectUses(parser: Parser, text: string, names: ReadonlySet<string>, offset: number, inMacro: boolean, out: Use[]): void {
  const tree = parser.parse(text);
  if (!tree) return;
  try {
    for (const node of tree.rootNode.descendantsOfType(['identifier', 'preproc_arg'])) {
      if (!node) continue;
      if (node.type === 'preproc_arg') {
        const parent = node.parent;
        if (parent?.type !== 'preproc_def' && parent?.type !== 'preproc_function_def') continue;
        // Parse the macro body as the body of a function; line continuations become spaces (same length).
        const body = node.text.replace(/\\(\r?\n)/g, ' $1');
        const shift = node.startIndex - MACRO_PREFIX.length;
        collectUses(parser, `${MACRO_PREFIX}${body}\n;}\n`, names, offset + shift, true, out);
        continue;
      }
      const name = node.text;
      if (!names.has(name)) continue;
      const use = classify(node, inMacro);
      if (use === null) continue;
      const start = node.startIndex + offset;
      if (inMacro && node.startIndex < MACRO_PREFIX.length) continue;
      let args: string[] | null = null;
      let borrowSafe: string | null = null;
      let released: ReadonlySet<string> = new Set();
      if (use !== 'reference' && node.parent?.type === 'call_expression') {
        const list = node.parent.childForFieldName('arguments');
        args = list ? list.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment').map((c) => c.text) : null;
        borrowSafe = borrowSafety(node.parent);
        released = releasedInBranch(node.parent, args ?? []);
      }
      out.push({ name, use, start, end: node.endIndex + offset, args, borrowSafe, releasedInBranch: released });
    }
  } finally {
    tree.delete();
  }
}

/** How a name is used, or null when it is not a use (a declaration, a #ifdef test, a member name...). */
function classify(node: TsNode, inMacro: boolean): UseKind | null {
  const parent = node.parent;
  if (!parent) return null;
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.startIndex === node.startIndex) {
    return inMacro ? 'macro-definition' : 'call';
  }
  // Declarations and definitions of the name itself (prototypes, compat shims), preprocessor tests and names.
  if (parent.type === 'init_declarator' || parent.type === 'declaration') {
    // `T *p = PyDict_GetItem;` uses the name as a value; `T PyDict_GetItem;` declares it.
    if (parent.childForFieldName('declarator')?.startIndex === node.startIndex) return null;
    return inMacro ? 'macro-definition' : 'reference';
  }
  if (parent.type === 'function_declarator') return null;
  if (parent.type.startsWith('preproc_') || parent.type === 'parameter_declaration' || parent.type === 'field_identifier') return null;
  if (parent.type === 'pointer_declarator' || parent.type === 'array_declarator' || parent.type === 'parenthesized_declarator') return null;
  if (parent.type === 'argument_list' && parent.parent?.type === 'call_expression') {
    // `defined(X)` in #if conditions is parsed as a call.
    const fn = parent.parent.childForFieldName('function');
    if (fn?.text === 'defined') return null;
  }
  return inMacro ? 'macro-definition' : 'reference';
}

function where(use: UseKind): string {
  return use === 'call' ? '' : use === 'macro-definition' ? ' (in a macro definition)' : ' (used as a function pointer)';
}

/**
 * Deprecations that the docs scope to one way of calling an API, where the data can only say "deprecated": a call
 * whose arguments show the other way is not reported. Uses that are not calls are reported.
 */
export const CALL_SCOPED_DEPRECATIONS: Readonly<Record<string, (args: readonly string[]) => boolean>> = {
  // 3.15: "Use the PyBytesWriter API instead of PyBytes_FromStringAndSize(NULL, len)."
  PyBytes_FromStringAndSize: (args) => args[0]?.trim() === 'NULL',
};

function deprecationApplies(use: Use): boolean {
  const applies = CALL_SCOPED_DEPRECATIONS[use.name];
  return !applies || use.args === null || applies(use.args);
}

/** The findings for one use, following the rules. */
function judge(use: Use, ctx: CheckContext): Omit<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>[] {
  const out: Omit<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>[] = [];
  const api: Api | undefined = ctx.index.apis.get(use.name);
  const base = { api: use.name, use: use.use };
  // An API gone from the target version is still described by the last version that had it.
  const lastSeen = api ? undefined : ctx.combined.apis[use.name]?.lastSeen;
  const alternatives = alternativesFor(use.name, ctx.index.apis, ctx.python, lastSeen ? getApi(use.name, lastSeen)?.replacements : undefined);
  const usable = alternatives.find((a) => a.available) ?? null;
  const later = alternatives.find((a) => !a.available) ?? null;
  const altText = usable
    ? ` Use ${describeAlternative(usable)}.`
    : later
      ? ` (${later.replacement} needs Python ${later.since ?? 'a later version'}.)`
      : '';
  const w = where(use.use);
  if (!api) {
    const history = ctx.combined.apis[use.name];
    if (history && compareVersions(history.lastSeen, ctx.python) < 0) {
      out.push({
        ...base,
        ruleId: 'removed-api',
        level: 'error',
        message: `${use.name}${w} is not in the Python ${ctx.python} C API: its docs list it last in ${history.lastSeen}.${altText}`,
        replacement: usable?.replacement ?? null,
      });
    }
    return out;
  }
  if (isRemoved(api, ctx.python)) {
    out.push({
      ...base,
      ruleId: 'removed-api',
      level: 'error',
      message: `${use.name}${w} was removed in Python ${api.removed!.version}.${altText}`,
      replacement: usable?.replacement ?? null,
    });
  } else if (isDeprecated(api, ctx.python) && deprecationApplies(use)) {
    const d = api.deprecated!;
    const removal = d.removalPlanned ? `, removal planned in ${d.removalPlanned}` : '';
    out.push({
      ...base,
      ruleId: 'deprecated-api',
      level: d.soft ? 'note' : 'warning',
      message: `${use.name}${w} is ${d.soft ? 'soft-deprecated' : 'deprecated'} since Python ${d.version}${removal}.${altText}`,
      replacement: usable?.replacement ?? null,
    });
  }
  if (api.returns?.ownership === 'borrowed' && use.borrowSafe === null) {
    out.push({
      ...base,
      ruleId: 'borrowed-return',
      level: usable ? 'warning' : 'note',
      message: `${use.name}${w} returns a borrowed reference: do not Py_DECREF it, and take Py_NewRef before anything can release its owner.${altText}`,
      replacement: usable?.replacement ?? null,
    });
  }
  api.params.forEach((p, i) => {
    if (p.ownership !== 'stolen' && p.ownership !== 'stolen-on-success') return;
    if (RELEASE_PRIMITIVES.has(use.name)) return;
    const arg = use.args?.[i];
    const what = arg === undefined ? `its argument ${i + 1} (${p.name})` : `\`${arg.length > 60 ? arg.slice(0, 57) + '...' : arg}\` (argument ${i + 1}, ${p.name})`;
    const onSuccess = p.ownership === 'stolen-on-success';
    const handled = onSuccess && arg !== undefined && use.releasedInBranch.has(arg);
    out.push({
      ...base,
      ruleId: 'steals-argument',
      level: onSuccess && !handled ? 'warning' : 'note',
      message: onSuccess
        ? `${use.name}${w} steals ${what} only when it succeeds: on failure you still own it and must release it${handled ? ' (the failure branch here does)' : ''}.${altText}`
        : `${use.name}${w} steals ${what}, even when it fails: do not release it afterwards.`,
      replacement: onSuccess ? (usable?.replacement ?? null) : null,
    });
  });
  return out;
}

/** Check one C source text. */
export async function checkSource(text: string, file: string, ctx: CheckContext): Promise<Finding[]> {
  const parser = await loadParser();
  const uses: Use[] = [];
  collectUses(parser, text, ctx.names, 0, false, uses);
  const starts = lineStarts(text);
  const findings: Finding[] = [];
  for (const use of uses.sort((a, b) => a.start - b.start)) {
    const s = position(starts, use.start);
    const e = position(starts, use.end);
    for (const f of judge(use, ctx)) findings.push({ ...f, file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column });
  }
  return findings;
}

const C_FILE = /\.(c|h)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.tox', '.venv']);

/** The .c and .h files under the given files and folders, sorted; a file given explicitly is kept whatever its name. */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  async function walk(p: string, explicit: boolean): Promise<void> {
    const st = await stat(p);
    if (st.isDirectory()) {
      const entries = await readdir(p, { withFileTypes: true });
      for (const e of entries) {
        if (e.isDirectory() && SKIP_DIRS.has(e.name)) continue;
        if (e.isDirectory() || e.isFile()) await walk(path.join(p, e.name), false);
      }
    } else if (st.isFile() && (explicit || C_FILE.test(p))) {
      out.push(p);
    }
  }
  for (const p of paths) await walk(p, true);
  return [...new Set(out)].sort();
}

/** Check files and folders (recursively, .c and .h files). */
export async function checkPaths(paths: readonly string[], python: string): Promise<CheckResult> {
  const ctx = checkContext(python);
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
    lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    findings.push(...(await checkSource(text, file, ctx)));
  }
  return { python, files, lines, findings, errors };
}

export function countByRule(findings: readonly Finding[]): Record<RuleId, number> {
  const counts = Object.fromEntries(RULES.map((r) => [r.id, 0])) as Record<RuleId, number>;
  for (const f of findings) counts[f.ruleId]++;
  return counts;
}

export function formatText(result: CheckResult): string {
  const lines = result.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.level} [${f.ruleId}] ${f.message}`);
  return lines.join('\n');
}

export function summaryLine(result: CheckResult): string {
  const counts = countByRule(result.findings);
  const parts = RULES.map((r) => `${counts[r.id]} ${r.id}`).join(', ');
  return `capi-refs check: ${result.findings.length} findings in ${result.files.length} files (${result.lines} lines) for Python ${result.python}: ${parts}`;
}
