/**
 * Build and run every example of content/examples/ against CPython 3.11 (Debian's release and debug builds) and
 * print, per example, the references leaked per call by the wrong and the fixed module under the debug build.
 *
 *   npm run measure:examples [-- slug...] [-- --json]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAndRunAll, crashed, EXAMPLES_DIR, formatPerCall, listExamples } from './lib/examples.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const wanted = args.filter((a) => !a.startsWith('--'));
const slugs = wanted.length > 0 ? wanted : listExamples();
const unknown = slugs.filter((s) => !listExamples().includes(s));
if (unknown.length > 0) {
  console.error(`unknown example(s): ${unknown.join(', ')}`);
  process.exit(2);
}

function symptomOf(slug: string): string {
  const text = readFileSync(join(EXAMPLES_DIR, slug, 'index.mdx'), 'utf8');
  return /^symptom: (\S+)$/m.exec(text)?.[1] ?? '?';
}

const outRoot = mkdtempSync(join(tmpdir(), 'capi-refs-measure-'));
const start = performance.now();
try {
  const outcomes = await buildAndRunAll(slugs, outRoot, 2);
  const rows = outcomes.map((o) => {
    const w = o.wrongDebug;
    let observed = '';
    if (w && crashed(w)) observed = [w.signal, w.fatal?.replace(/^Fatal Python error: /, '')].filter(Boolean).join(': ');
    else if (w?.checkError) observed = `check failed: ${w.checkError}`;
    return {
      slug: o.slug,
      symptom: symptomOf(o.slug),
      wrong: o.buildError ? 'build failed' : w && !crashed(w) && w.checkError ? `wrong result (${formatPerCall(w)})` : formatPerCall(w),
      fixed: o.buildError ? 'build failed' : formatPerCall(o.fixedDebug),
      fixedRelease: o.fixedRelease && !crashed(o.fixedRelease) && o.fixedRelease.exitCode === 0 && !o.fixedRelease.checkError ? 'ok' : 'FAILED',
      metric: o.fixedDebug?.metric ?? null,
      observed: observed.replace(/\s+/g, ' ').slice(0, 90),
      buildError: o.buildError,
    };
  });
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log('| example | symptom | wrong: leaked per call | fixed: leaked per call | fixed, release build | wrong: observed |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      const note = r.metric && r.metric !== 'sys.gettotalrefcount()' ? ` (${r.metric})` : '';
      console.log(`| ${r.slug} | ${r.symptom} | ${r.wrong}${note} | ${r.fixed}${note} | ${r.fixedRelease} | ${r.observed.replace(/\|/g, '\\|')} |`);
    }
    for (const r of rows.filter((x) => x.buildError)) console.error(r.buildError);
    console.log(`\n${rows.length} examples in ${((performance.now() - start) / 1000).toFixed(1)} s (debug build: python3.11d)`);
  }
  if (rows.some((r) => r.buildError || r.fixedRelease === 'FAILED')) process.exitCode = 1;
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
