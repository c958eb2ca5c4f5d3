/**
 * Benchmark of the site: full build time (astro build + pagefind) for the real dataset and for 10x synthetic APIs,
 * page weights (median gzip of API pages, home page gzip total before interaction), number of pages, search index
 * size, Lighthouse scores (home and one API page, Debian's Chromium, beside a one-line control page measured in
 * the same runs: the floor of the machine), and the time to first search results.
 * Usage: node scripts/benchmark-site.ts [--no-build] [--skip-10x] [--skip-lighthouse] [--skip-search]   (--no-build: measure the existing dist/)
 * LIGHTHOUSE_RUNS (default 3): runs per page; every run and the median are reported.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildAudit } from './lib/build-audit.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';

const args = new Set(process.argv.slice(2));
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The middle value (the upper of the two middle ones for an even count). */
function middleOf(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function run(cmd: string, argv: string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env } });
  return (performance.now() - t0) / 1000;
}

function build(outDir: string, env: Record<string, string> = {}): { astro: number; pagefind: number } {
  const astro = run('astro', ['build', '--outDir', outDir], env);
  const pagefind = run('pagefind', ['--site', outDir, '--silent']);
  return { astro, pagefind };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const gz = (file: string) => gzipSync(readFileSync(file)).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function weights(dist: string) {
  const apiPages = readdirSync(path.join(dist, 'api'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => gz(path.join(dist, 'api', e.name, 'index.html')))
    .sort((a, b) => a - b);
  const median = apiPages[Math.floor(apiPages.length / 2)]!;
  // Home: the HTML (CSS is inlined) and every script, stylesheet and icon it loads before any interaction.
  const home = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const assets = [...home.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/[^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((u) => !u.endsWith('.xml') && !u.endsWith('/'));
  let homeTotal = gz(path.join(dist, 'index.html'));
  for (const a of assets) if (existsSync(path.join(dist, a))) homeTotal += gz(path.join(dist, a));
  const files = walk(dist);
  const pages = files.filter((f) => f.endsWith('.html')).length;
  const pfFiles = walk(path.join(dist, 'pagefind'));
  const pagefindBytes = pfFiles.reduce((s, f) => s + statSync(f).size, 0);
  return { apiPages: apiPages.length, median, max: apiPages[apiPages.length - 1]!, homeHtml: gz(path.join(dist, 'index.html')), homeTotal, assets, pages, pagefindBytes, pagefindFiles: pfFiles.length };
}

/** A data folder with every API of every version copied 10 times (suffix _xN), valid against the schemas. */
function synthesize(factor: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'capi-refs-10x-'));
  cpSync('data/schema', path.join(dir, 'schema'), { recursive: true });
  const suffixes = Array.from({ length: factor - 1 }, (_, i) => `_x${i + 1}`);
  mkdirSync(path.join(dir, 'versions'));
  const capi = JSON.parse(readFileSync('data/capi.json', 'utf8'));
  const apis: Record<string, unknown> = {};
  for (const [name, h] of Object.entries(capi.apis)) {
    apis[name] = h;
    for (const s of suffixes) apis[name + s] = h;
  }
  capi.apis = Object.fromEntries(Object.entries(apis).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(path.join(dir, 'capi.json'), JSON.stringify(capi));
  const datasets: VersionDataset[] = [];
  for (const f of readdirSync('data/versions')) {
    const ds = JSON.parse(readFileSync(path.join('data/versions', f), 'utf8'));
    datasets.push(ds);
    const out: { name: string }[] = [];
    for (const api of ds.apis) {
      out.push(api);
      for (const s of suffixes) out.push({ ...api, name: api.name + s });
    }
    ds.apis = out.sort((a, b) => (a.name < b.name ? -1 : 1));
    writeFileSync(path.join(dir, 'versions', f), JSON.stringify(ds));
  }
  writeFileSync(path.join(dir, 'audit.json'), JSON.stringify(buildAudit(datasets)));
  return dir;
}

/**
 * A page with one line of text and nothing else: no style sheet, no script, no image. What Lighthouse charges it
 * is what this machine's Chromium costs any page (a fresh renderer's start, its first layout), not the site's work.
 */
const CONTROL_PAGE = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="description" content="A control page."><title>Control</title></head><body><main><p>One line of text.</p></main></body></html>\n';

interface LighthouseRun {
  scores: Record<string, number>;
  blockingMs: number;
  /** Lighthouse's long tasks (simulated durations), each as "where it ran: start+duration ms". */
  longTasks: string[];
  /** Lighthouse's measure of the machine's CPU at the time of the run (lhr.environment.benchmarkIndex). */
  benchmarkIndex: number;
}

/**
 * Lighthouse runs of each page and of the control page, taken in turn (control, then each page, RUNS times) so
 * that a slow minute of the machine falls on all of them alike. Returns every run of each, keyed by label.
 */
async function lighthouseRuns(dist: string, urls: string[]): Promise<Map<string, LighthouseRun[]>> {
  const { serveSite } = await import('./serve-site.ts');
  const lighthouse = (await import('lighthouse')).default;
  const chromeLauncher = await import('chrome-launcher');
  const controlDir = mkdtempSync(path.join(tmpdir(), 'capi-refs-control-'));
  writeFileSync(path.join(controlDir, 'index.html'), CONTROL_PAGE);
  const port = 4398;
  const server = await serveSite(dist, port);
  const controlServer = await serveSite(controlDir, port + 1);
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  const targets = [['control page', `http://127.0.0.1:${port + 1}/`], ...urls.map((u) => [u, `http://127.0.0.1:${port}${u}`])] as const;
  const runs = new Map<string, LighthouseRun[]>(targets.map(([label]) => [label, []]));
  try {
    for (let run = 0; run < RUNS; run++) for (const [label, url] of targets) {
      const res = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      const cats = res!.lhr.categories;
      const scores = Object.fromEntries(Object.entries(cats).map(([k, c]) => [k, c.score === null ? NaN : Math.round(c.score * 100)]));
      const origin = new URL(url).origin;
      const longTasks = ((res!.lhr.audits['long-tasks']?.details as { items?: { url?: string; startTime?: number; duration?: number }[] } | undefined)?.items ?? [])
        .map((t) => `${(t.url ?? '?').replace(origin, '')}: ${Math.round(t.startTime ?? 0)}+${Math.round(t.duration ?? 0)}`);
      runs.get(label)!.push({ scores, blockingMs: res!.lhr.audits['total-blocking-time']?.numericValue ?? NaN, longTasks, benchmarkIndex: res!.lhr.environment.benchmarkIndex });
      for (const warning of res!.lhr.runWarnings) console.log(`  ${label}: Lighthouse warns: ${warning}`);
      if (label === 'control page') continue;
      const errors = Object.values(res!.lhr.audits).filter((a) => a.errorMessage);
      if (errors.length) console.log(`  ${label}: audits that errored: ${errors.map((a) => `${a.id}: ${a.errorMessage}`).join('; ')}`);
      if (res!.lhr.runtimeError) console.log(`  ${label}: runtime error: ${res!.lhr.runtimeError.message}`);
      const fails = Object.values(res!.lhr.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable');
      if (fails.length && run === 0) console.log(`  ${label}: audits below 1: ${fails.map((a) => `${a.id}=${a.score}`).join(', ')}`);
    }
  } finally {
    chrome.kill();
    server.close();
    controlServer.close();
    rmSync(controlDir, { recursive: true, force: true });
  }
  return runs;
}

if (!args.has('--no-build')) {
  console.log('Building the site from data/ into an empty dist/ ...');
  // A full build starts from nothing, as in CI and a fresh clone: deleting a previous dist/ (2,800 pages and the
  // search index) would add several seconds of the file system's work that is not the build's.
  rmSync('dist', { recursive: true, force: true });
  const real = build('dist');
  console.log(`real data: astro build ${real.astro.toFixed(1)} s + pagefind ${real.pagefind.toFixed(1)} s = ${(real.astro + real.pagefind).toFixed(1)} s`);
}
const w = weights('dist');
console.log(`pages: ${w.pages} HTML files (${w.apiPages} API pages)`);
console.log(`API pages: median ${kb(w.median)} gzip, largest ${kb(w.max)} gzip`);
console.log(`home: HTML ${kb(w.homeHtml)} gzip; with ${w.assets.join(', ')}: ${kb(w.homeTotal)} gzip before interaction`);
console.log(`search index: ${kb(w.pagefindBytes)} in ${w.pagefindFiles} files (fetched in pieces on demand)`);

if (!args.has('--skip-lighthouse')) {
  console.log(`Lighthouse (default mobile profile, simulated throttling; pages served compressed by serve-site, as a static host serves them), ${RUNS} runs of each page taken in turn with a control page:`);
  const runs = await lighthouseRuns('dist', ['/', '/api/PyDict_GetItem/']);
  const control = runs.get('control page')!;
  const indexes = [...runs.values()].flat().map((r) => r.benchmarkIndex);
  // Lighthouse's default 4x CPU slowdown assumes a high-end desktop (docs/throttling.md in its repository: a
  // benchmarkIndex of 1,500-2,000); on a weaker machine its docs say to lower the multiplier, and below 1,000 it warns.
  console.log(`  this machine's CPU as Lighthouse measures it (benchmarkIndex): median ${Math.round(middleOf(indexes))}, ${Math.round(Math.min(...indexes))} to ${Math.round(Math.max(...indexes))} over the runs (a high-end desktop, for which its default 4x slowdown is meant, is 1,500-2,000; it warns below 1,000)`);
  for (const [label, list] of runs) {
    const performance = list.map((r) => r.scores.performance!);
    // The other categories of the median run by performance: one run on a shared 2-core machine is noisy.
    const middle = [...list].sort((a, b) => a.scores.performance! - b.scores.performance!)[Math.floor(list.length / 2)]!;
    const others = Object.entries(middle.scores).filter(([k]) => k !== 'performance').map(([k, v]) => `${k} ${v}`).join(', ');
    // A page's blocking time beyond the control's in the same round, whose minute they shared: steadier than
    // comparing the two medians.
    const beyondControl = list.map((r, round) => r.blockingMs - control[round]!.blockingMs);
    const blocking = `total blocking time median ${Math.round(middleOf(list.map((r) => r.blockingMs)))} ms`;
    console.log(label === 'control page'
      ? `  ${label}: performance per run ${performance.join(', ')} (median ${middleOf(performance)}); ${blocking} (a one-line page: the floor of this machine)`
      : `  ${label}: performance per run ${performance.join(', ')} (median ${middleOf(performance)}); ${blocking}, median ${Math.round(middleOf(beyondControl))} ms beyond the control's in the same round; ${others}`);
    // Where the blocking time of the median run went ("Unattributable" is the browser's own work).
    console.log(`    long tasks of the median run, start+duration ms simulated: ${middle.longTasks.join(', ') || 'none'}`);
  }
}

/**
 * Time to first search results: on the search page, from the input of a query to the first result in the
 * list (the page's own debounce included), in Debian's Chromium on localhost. Cold: the first query of a fresh
 * browser context (the name list and Pagefind not loaded yet); warm: later queries in the same page.
 */
async function searchLatency(dist: string, queries: readonly string[]): Promise<{ cold: number[]; warm: number[] }> {
  const { serveSite } = await import('./serve-site.ts');
  const { chromium } = await import('@playwright/test');
  const port = 4399;
  const server = await serveSite(dist, port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS.filter((f) => f !== '--headless') });
  const timeOf = async (page: import('@playwright/test').Page, query: string): Promise<number> => {
    await page.fill('#q', '');
    await page.evaluate(() => {
      const w = window as unknown as { lastKey: number; firstResult: Promise<number> };
      const input = document.getElementById('q')!;
      const list = document.getElementById('search-results')!;
      list.textContent = '';
      input.addEventListener('input', () => (w.lastKey = performance.now()));
      w.firstResult = new Promise((resolve) => {
        new MutationObserver((_, observer) => {
          if (list.querySelector('li')) {
            observer.disconnect();
            resolve(performance.now());
          }
        }).observe(list, { childList: true, subtree: true });
      });
    });
    // One input event for the whole query (a paste, or the last keystroke of a typed one): typing key by key on a
    // busy machine lets an earlier prefix's results count.
    await page.focus('#q');
    await page.fill('#q', query);
    return page.evaluate(async () => {
      const w = window as unknown as { lastKey: number; firstResult: Promise<number> };
      return (await w.firstResult) - w.lastKey;
    });
  };
  const cold: number[] = [];
  const warm: number[] = [];
  try {
    for (const [i, query] of queries.entries()) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/search/`);
      cold.push(await timeOf(page, query));
      warm.push(await timeOf(page, queries[(i + 1) % queries.length]!));
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return { cold, warm };
}

if (!args.has('--skip-search')) {
  const queries = ['PyList_SetItem', 'pydict_getitem', 'PyErr_Fetch', 'PyArg_ParseTuple', 'PyDict_GetItm', 'borrowed reference', 'PyUnicode_', 'Py_NewRef', 'steal', 'PyModule_AddObject'];
  const { cold, warm } = await searchLatency('dist', queries);
  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(`search: query input to first result (the page's 80 ms pause included), ${queries.length} queries: cold median ${ms(middleOf(cold))} (max ${ms(Math.max(...cold))}), warm median ${ms(middleOf(warm))} (max ${ms(Math.max(...warm))}); target 300 ms`);
  console.log(`  cold, per query: ${queries.map((q, i) => `${q} ${ms(cold[i]!)}`).join(', ')}`);
}

if (!args.has('--skip-10x')) {
  console.log('Building 10x synthetic APIs ...');
  const dir = synthesize(10);
  const out = mkdtempSync(path.join(tmpdir(), 'capi-refs-10x-dist-'));
  try {
    const big = build(out, { CAPI_DATA_DIR: dir });
    const bw = weights(out);
    console.log(`10x data: astro build ${big.astro.toFixed(1)} s + pagefind ${big.pagefind.toFixed(1)} s = ${(big.astro + big.pagefind).toFixed(1)} s for ${bw.apiPages} API pages (search index ${kb(bw.pagefindBytes)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
