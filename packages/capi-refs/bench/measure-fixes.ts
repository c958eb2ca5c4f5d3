/**
 * Measures the checker on the real fixes of fixes.json: a fix is caught when, on the file before the fix, a
 * warning or error stands within WINDOW lines of what the fix changed (its own line, a step of its path, or a
 * related location: the other places where the same reference is lost), and
 * no finding of the same rule about the same API stands near the change after the fix.
 *
 *   node packages/capi-refs/bench/rebuild-fixes.ts      # first: the before/after files from local clones
 *   npm run bench:checker-fixes [-- --python 3.11] [--verbose] [--strict]   (--strict: the reported line only)
 *
 * Prints the caught share by kind and lists every miss; writes .cache/checker-bench/fixes.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkContext, checkSource, type Finding } from '../src/check.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WINDOW = 3;

interface Fix {
  readonly id: string;
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  readonly changedLines: { readonly before: readonly [number, number][]; readonly after: readonly [number, number][] };
  readonly kind: string;
  readonly bug: string;
}

const { values } = parseArgs({
  options: {
    python: { type: 'string', default: '3.11' },
    fixes: { type: 'string', default: path.join(ROOT, '.cache/checker-bench/fixes') },
    verbose: { type: 'boolean', default: false },
    // Count only the line a finding is reported on, not its path or related locations.
    strict: { type: 'boolean', default: false },
  },
});

function near(f: Finding, ranges: readonly [number, number][]): boolean {
  const lines = values.strict ? [f.line] : [f.line, ...f.path.map((s) => s.line), ...f.related.map((s) => s.line)];
  return ranges.some(([a, b]) => lines.some((l) => l >= a - WINDOW && l <= b + WINDOW));
}

const isProblem = (f: Finding): boolean => f.level !== 'note' && f.ruleId !== 'deprecated-api' && f.ruleId !== 'removed-api';
const key = (f: Finding): string => `${f.ruleId}:${f.api ?? ''}`;

const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixes.json'), 'utf8')) as { fixes: Fix[] };
const ctx = checkContext(values.python!);
const rows: { fix: Fix; caught: boolean; before: Finding[]; after: Finding[] }[] = [];
for (const fix of manifest.fixes) {
  const dir = path.join(values.fixes!, fix.id);
  if (!existsSync(path.join(dir, 'before.c'))) {
    console.error(`measure-fixes: ${dir}/before.c is missing: run node packages/capi-refs/bench/rebuild-fixes.ts first`);
    process.exit(2);
  }
  const before = (await checkSource(readFileSync(path.join(dir, 'before.c'), 'utf8'), `${fix.id}/before.c`, ctx)).filter(isProblem);
  const after = (await checkSource(readFileSync(path.join(dir, 'after.c'), 'utf8'), `${fix.id}/after.c`, ctx)).filter(isProblem);
  const nearBefore = before.filter((f) => near(f, fix.changedLines.before));
  const afterKeys = new Set(after.filter((f) => near(f, fix.changedLines.after)).map(key));
  const caught = nearBefore.some((f) => !afterKeys.has(key(f)));
  rows.push({ fix, caught, before: nearBefore, after: after.filter((f) => near(f, fix.changedLines.after)) });
}

const byKind = new Map<string, { caught: number; total: number }>();
for (const r of rows) {
  const k = byKind.get(r.fix.kind) ?? { caught: 0, total: 0 };
  k.total++;
  if (r.caught) k.caught++;
  byKind.set(r.fix.kind, k);
}
const caught = rows.filter((r) => r.caught).length;
console.log(`| kind | caught | fixes |\n| --- | --- | --- |`);
for (const [kind, k] of [...byKind].sort((a, b) => b[1].total - a[1].total)) console.log(`| ${kind} | ${k.caught} | ${k.total} |`);
console.log(`\n${values.strict ? '(strict: reported lines only) ' : ''}caught ${caught} of ${rows.length} fixes (${((100 * caught) / rows.length).toFixed(0)}%) from ${new Set(rows.map((r) => r.fix.repo)).size} repositories, Python ${values.python}\n`);
console.log('missed:');
for (const r of rows.filter((r) => !r.caught)) {
  console.log(`- ${r.fix.id} (${r.fix.kind}): ${r.fix.bug}`);
  if (values.verbose) for (const f of [...r.before, ...r.after]) console.log(`    ${f.file}:${f.line} [${f.ruleId}] ${f.message}`);
}
if (values.verbose) {
  console.log('\ncaught:');
  for (const r of rows.filter((r) => r.caught)) {
    console.log(`- ${r.fix.id} (${r.fix.kind})`);
    for (const f of r.before) console.log(`    ${f.file}:${f.line} [${f.ruleId}] ${f.message}`);
  }
}
mkdirSync(path.join(ROOT, '.cache/checker-bench'), { recursive: true });
writeFileSync(
  path.join(ROOT, '.cache/checker-bench/fixes.json'),
  JSON.stringify({ python: values.python, caught, total: rows.length, fixes: rows.map((r) => ({ id: r.fix.id, kind: r.fix.kind, caught: r.caught })) }, null, 2) + '\n',
);
