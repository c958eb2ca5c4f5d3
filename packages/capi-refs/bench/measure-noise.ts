/**
 * How much the C checker says about correct code: runs the CLI (JSON format, fresh process per input) over
 *
 *   --modules      CPython 3.11's Modules/ (Debian's bookworm source; vendored code excluded), --python 3.11
 *   --heads DIR    one subfolder per repository (default .cache/checker-bench/heads), newest Python of the data
 *
 * (neither option: both; a missing heads folder is reported and skipped) and prints files, lines, findings by
 * rule and level, and warnings-and-errors per 1,000 lines (notes apart). It writes a reproducible random sample
 * of warnings and errors with code context to .cache/checker-bench/noise-sample.md for a human to judge.
 *
 *   npm run bench:checker-noise
 *   npm run bench:checker-noise -- --modules --seed 7 --sample 50
 *   npm run bench:checker-noise -- --judgements judged.json   # { "<file>:<line>:<ruleId>": true | false }
 *   npm run bench:checker-noise -- --judgements packages/capi-refs/bench/noise-judgements.json   # the committed judgements
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { countLines, cpythonModuleFiles, describeExcluded } from './cpython-modules.ts';
import { BENCH_DIR, REPO_ROOT, runChecker } from './measure-speed.ts';
import { latestVersion } from '../src/data.ts';
import type { Finding, Level } from '../src/check.ts';

const LEVELS: readonly Level[] = ['error', 'warning', 'note'];
const SAMPLE_FILE = path.join(BENCH_DIR, 'noise-sample.md');

interface InputResult {
  input: string;
  python: string;
  files: number;
  lines: number;
  findings: Finding[];
  status: string;
}

function progress(message: string): void {
  process.stderr.write(`measure-noise: ${message}\n`);
}

function display(p: string): string {
  const r = path.relative(REPO_ROOT, p);
  return r.startsWith('..') || path.isAbsolute(r) ? p : r;
}

/** The judgement key of a finding: path as the checker printed it (relative to the repository root when inside it). */
function keyOf(f: Finding): string {
  return `${f.file}:${f.line}:${f.ruleId}`;
}

/**
 * A seeded hash of a finding's judgement key (FNV-1a, then a murmur3 finaliser): its place in the random order.
 * Drawing the findings with the lowest ranks keeps the sample stable while the checker changes: a finding that
 * stays keeps its rank, so only the findings that went away are replaced, and judgements stay useful.
 */
function rank(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A total order on findings (ties of rank), so the sample does not depend on the order the checker reports them in. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.api ?? '', b.api ?? '') ||
    compareStrings(a.message, b.message)
  );
}

function sample(items: readonly Finding[], count: number, seed: number): Finding[] {
  const ranked = items.map((f) => ({ f, r: rank(keyOf(f), seed) }));
  ranked.sort((a, b) => a.r - b.r || compareFindings(a.f, b.f));
  return ranked.slice(0, Math.min(count, ranked.length)).map(({ f }) => f);
}

async function runInput(input: string, paths: readonly string[], python: string, knownLines: number | null): Promise<InputResult> {
  progress(`${input}: checking with --python ${python} ...`);
  const outFile = path.join(BENCH_DIR, 'runs', `noise-${input.replace(/[^\w.-]+/g, '_')}.json`);
  const run = await runChecker(paths, python, outFile);
  if (!run.result) {
    progress(`${input}: ${run.status} (${run.problem ?? ''}) after ${run.seconds.toFixed(1)} s\n${run.stderrTail.replace(/^/gm, '    ')}`);
    return { input, python, files: 0, lines: knownLines ?? 0, findings: [], status: `${run.status}: ${run.problem ?? ''}` };
  }
  let lines = knownLines;
  if (lines === null) {
    lines = 0;
    for (const file of run.result.files) lines += await countLines(path.resolve(REPO_ROOT, file));
  }
  progress(`${input}: ${run.result.files.length} files, ${lines} lines, ${run.result.findings.length} findings in ${run.seconds.toFixed(1)} s`);
  const status = run.result.errors.length > 0 ? `ok (${run.result.errors.length} unreadable files)` : 'ok';
  return { input, python, files: run.result.files.length, lines, findings: [...run.result.findings], status };
}

function perThousand(count: number, lines: number): string {
  return lines > 0 ? ((count * 1000) / lines).toFixed(2) : '–';
}

function summaryTable(results: readonly InputResult[]): string {
  const out = [
    '| input | python | files | lines | errors | warnings | notes | warnings+errors per 1,000 lines | notes per 1,000 lines | status |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const row = (r: InputResult): string => {
    const n = (level: Level): number => r.findings.filter((f) => f.level === level).length;
    return `| ${r.input} | ${r.python} | ${r.files} | ${r.lines.toLocaleString('en-US')} | ${n('error')} | ${n('warning')} | ${n('note')} | ${perThousand(n('error') + n('warning'), r.lines)} | ${perThousand(n('note'), r.lines)} | ${r.status} |`;
  };
  for (const r of results) out.push(row(r));
  if (results.length > 1) {
    out.push(
      row({
        input: '**all**',
        python: [...new Set(results.map((r) => r.python))].join(', '),
        files: results.reduce((s, r) => s + r.files, 0),
        lines: results.reduce((s, r) => s + r.lines, 0),
        findings: results.flatMap((r) => r.findings),
        status: '',
      }),
    );
  }
  return out.join('\n');
}

function ruleTable(results: readonly InputResult[]): string {
  const findings = results.flatMap((r) => r.findings);
  const rules = [...new Set(findings.map((f) => f.ruleId))].sort();
  const out = ['| rule | error | warning | note | total |', '|---|---:|---:|---:|---:|'];
  for (const rule of rules) {
    const of = findings.filter((f) => f.ruleId === rule);
    out.push(`| ${rule} | ${LEVELS.map((l) => of.filter((f) => f.level === l).length).join(' | ')} | ${of.length} |`);
  }
  if (rules.length === 0) out.push('| (no findings) | 0 | 0 | 0 | 0 |');
  return out.join('\n');
}

async function context(file: string, line: number, around: number): Promise<string> {
  let text: string;
  try {
    text = await readFile(path.resolve(REPO_ROOT, file), 'utf8');
  } catch (error) {
    return `(cannot read ${file}: ${(error as Error).message})`;
  }
  const lines = text.split('\n');
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, line + around);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  return out.join('\n');
}

async function writeSample(picked: readonly Finding[], poolSize: number, seed: number, results: readonly InputResult[]): Promise<void> {
  const out = [
    '# Checker noise sample',
    '',
    `${picked.length} of ${poolSize} warnings and errors (notes left out), drawn with seed ${seed} from: ${results.map((r) => `${r.input} (Python ${r.python})`).join(', ')}.`,
    'Each finding is on the line marked `>`. Judge each: true when the finding points at a real problem or a use worth changing, false when it is noise.',
    '',
  ];
  let i = 0;
  for (const f of [...picked].sort(compareFindings)) {
    i++;
    out.push(`## ${i}. \`${keyOf(f)}\``, '', `${f.level} [${f.ruleId}]${f.api ? ` ${f.api}` : ''}${f.use ? ` (${f.use})` : ''}, column ${f.column}: ${f.message}`, '', '```c', await context(f.file, f.line, 3), '```', '');
    // Older checkers have no path; newer ones explain how the code reaches the finding.
    const steps = (f as { path?: readonly { line: number; message: string }[] }).path ?? [];
    if (steps.length > 0) out.push('Path:', '', ...steps.map((s) => `- line ${s.line}: ${s.message}`), '');
  }
  const skeleton = Object.fromEntries([...picked].sort(compareFindings).map((f) => [keyOf(f), null]));
  out.push(
    '## Judgements',
    '',
    'Copy this into a file, replace each null by true or false, and pass it with `--judgements FILE` (null entries count as not judged).',
    '',
    '```json',
    JSON.stringify(skeleton, null, 2),
    '```',
    '',
  );
  await writeFile(SAMPLE_FILE, out.join('\n'));
}

/**
 * The judged share of the sample, finding by finding: a judgement is kept per key (file, line, rule), and applies to
 * every sampled finding with that key. Judged keys no longer sampled are counted apart, as stale.
 */
async function reportJudgements(file: string, picked: readonly Finding[]): Promise<string> {
  // Either { key: true | false } or the committed form { description, judgements: { key: { true, why } } }.
  const raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const entries = (typeof raw['judgements'] === 'object' && raw['judgements'] !== null ? raw['judgements'] : raw) as Record<string, unknown>;
  const judged = new Map(
    Object.entries(entries).map(([key, v]) => [key, typeof v === 'object' && v !== null ? (v as { true?: unknown }).true : v]),
  );
  let yes = 0;
  let no = 0;
  const unjudged = new Set<string>();
  const byRule = new Map<string, { yes: number; no: number }>();
  for (const finding of picked) {
    const value = judged.get(keyOf(finding));
    if (typeof value !== 'boolean') {
      unjudged.add(keyOf(finding));
      continue;
    }
    if (value) yes++;
    else no++;
    const r = byRule.get(finding.ruleId) ?? { yes: 0, no: 0 };
    if (value) r.yes++;
    else r.no++;
    byRule.set(finding.ruleId, r);
  }
  const sampled = new Set(picked.map(keyOf));
  const stale = [...judged.keys()].filter((key) => !sampled.has(key)).length;
  const total = yes + no;
  const lines = [
    `Judgements (${file}): ${yes} of ${total} judged sampled findings true (${total ? ((100 * yes) / total).toFixed(0) : '-'}%), ${no} judged noise.` +
      (unjudged.size ? ` ${unjudged.size} sampled keys have no judgement yet: ${[...unjudged].join(', ')}.` : '') +
      (stale ? ` ${stale} judged keys are no longer sampled (the checker or the code changed).` : ''),
  ];
  for (const [rule, r] of [...byRule].sort()) lines.push(`  ${rule}: ${r.yes} of ${r.yes + r.no} true`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      modules: { type: 'boolean', default: false },
      heads: { type: 'string' },
      seed: { type: 'string', default: '1' },
      sample: { type: 'string', default: '30' },
      judgements: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const sampleSize = Number(values.sample);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (got ${values.seed})`);
  if (!Number.isInteger(sampleSize) || sampleSize < 0) throw new Error(`--sample must be a non-negative integer (got ${values.sample})`);
  const both = !values.modules && values.heads === undefined;
  await mkdir(BENCH_DIR, { recursive: true });
  const results: InputResult[] = [];
  const notes: string[] = [];

  if (values.modules || both) {
    const selection = await cpythonModuleFiles();
    notes.push(`modules: ${display(selection.dir)} (Debian ${selection.source.package} ${selection.source.version}); vendored code excluded: ${describeExcluded(selection.excluded)}.`);
    results.push(await runInput('cpython-3.11-modules', selection.files, '3.11', selection.lines));
  }
  if (values.heads !== undefined || both) {
    const headsDir = path.resolve(REPO_ROOT, values.heads ?? path.join(BENCH_DIR, 'heads'));
    if (!existsSync(headsDir)) {
      const message = `heads: ${display(headsDir)} does not exist; skipped (put one folder per repository there, or pass --heads DIR).`;
      progress(message);
      notes.push(message);
    } else {
      const python = latestVersion();
      const repos = (await readdir(headsDir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
      if (repos.length === 0) notes.push(`heads: ${display(headsDir)} has no repository folders; skipped.`);
      for (const repo of repos) results.push(await runInput(`heads/${repo}`, [path.join(headsDir, repo)], python, null));
    }
  }
  if (results.length === 0) {
    process.stdout.write(notes.join('\n') + '\nNothing to measure.\n');
    return;
  }

  const warningsAndErrors = results.flatMap((r) => r.findings).filter((f) => f.level !== 'note');
  const pool = [...warningsAndErrors].sort(compareFindings);
  const picked = sample(pool, sampleSize, seed);
  await writeSample(picked, pool.length, seed, results);

  const out = ['Checker noise on correct code', '', summaryTable(results), '', 'Findings by rule and level:', '', ruleTable(results), ''];
  out.push(...notes);
  out.push(`Sample: ${picked.length} of ${pool.length} warnings and errors (seed ${seed}) in ${display(SAMPLE_FILE)}.`);
  if (values.judgements !== undefined) out.push('', await reportJudgements(values.judgements, picked));
  process.stdout.write(out.join('\n') + '\n');
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`measure-noise: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
