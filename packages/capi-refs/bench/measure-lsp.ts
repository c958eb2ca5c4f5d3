/**
 * Latency and memory of `capi-refs lsp` on a generated 5,000-line extension module, through a real client over
 * stdio (lsp-client.ts):
 *
 *   hover        time from a hover request on a C-API name to its answer (200 requests)
 *   diagnostics  time from the last of a burst of keystrokes (5 edits, 40 ms apart) to the diagnostics of the
 *                final text (20 bursts); the server's pause after the last change (DEBOUNCE_MS) is included
 *   memory       the server's resident set size after the runs, and its peak (/proc/PID/status)
 *
 *   npm run bench:lsp
 *
 * Prints a Markdown table and writes .cache/checker-bench/lsp.json. A benchmark, not a test: nothing is asserted.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { DEBOUNCE_MS } from '../src/lsp/server.ts';
import { startClient } from './lsp-client.ts';
import { BENCH_DIR, generateBigModule } from './measure-speed.ts';
import { percentile } from './statistics.ts';

const LINES = 5000;
const HOVERS = 200;
const BURSTS = 20;
const KEYSTROKES = 5;
const KEYSTROKE_GAP_MS = 40;

function moduleOfLines(lines: number): string {
  for (let bytes = lines * 20; ; bytes += 4000) {
    const text = generateBigModule(bytes);
    if (text.split('\n').length >= lines) return text;
  }
}

function summary(samples: number[]): { median: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
}

async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: (kib('VmRSS') * 1024) / 1e6, peakMb: (kib('VmHWM') * 1024) / 1e6 };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const text = moduleOfLines(LINES);
const lineCount = text.split('\n').length;
const file = path.join(BENCH_DIR, 'lsp-bench.c');
await mkdir(BENCH_DIR, { recursive: true });
await writeFile(file, text);
const uri = pathToFileURL(file).href;

const client = await startClient({ python: '3.13' });
try {
  let started = performance.now();
  const first = client.diagnostics(uri);
  client.open(uri, text);
  const firstDiagnostics = await first;
  const openMs = performance.now() - started;

  // Hover over the API names the file calls, spread through it.
  const lines = text.split('\n');
  const targets: { line: number; character: number }[] = [];
  lines.forEach((l, line) => {
    const m = /\b(Py[A-Z]\w*_\w+)\(/.exec(l);
    if (m) targets.push({ line, character: m.index + 2 });
  });
  const hoverMs: number[] = [];
  for (let i = 0; i < HOVERS; i++) {
    const position = targets[Math.floor((i * targets.length) / HOVERS)]!;
    started = performance.now();
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    hoverMs.push(performance.now() - started);
  }

  // Bursts of typing in a comment at the middle of the file.
  const middle = lines.findIndex((l, i) => i > lines.length / 2 && l.trim() === '') + 1;
  const diagnosticsMs: number[] = [];
  let version = 1;
  for (let burst = 0; burst < BURSTS; burst++) {
    let edited = '';
    for (let key = 0; key < KEYSTROKES; key++) {
      version++;
      edited = [...lines.slice(0, middle), `/* typing ${'x'.repeat(key + 1)} ${burst} */`, ...lines.slice(middle)].join('\n');
      if (key === KEYSTROKES - 1) {
        const last = client.diagnostics(uri, (p) => p.version === version);
        client.change(uri, edited, version);
        started = performance.now();
        await last;
        diagnosticsMs.push(performance.now() - started);
      } else {
        client.change(uri, edited, version);
        await sleep(KEYSTROKE_GAP_MS);
      }
    }
  }
  const memory = await memoryOf(client.child.pid!);
  const result = {
    file: path.relative(process.cwd(), file),
    lines: lineCount,
    findings: firstDiagnostics.diagnostics.length,
    openMs,
    hoverMs: summary(hoverMs),
    diagnosticsMs: summary(diagnosticsMs),
    debounceMs: DEBOUNCE_MS,
    memory,
  };
  await writeFile(path.join(BENCH_DIR, 'lsp.json'), JSON.stringify(result, null, 2) + '\n');
  const ms = (n: number): string => n.toFixed(1);
  console.log(`capi-refs lsp on ${result.file}: ${lineCount.toLocaleString('en-US')} lines, ${result.findings} diagnostics\n`);
  console.log('| measure | median | p95 | max |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| hover (ms, ${HOVERS} requests) | ${ms(result.hoverMs.median)} | ${ms(result.hoverMs.p95)} | ${ms(result.hoverMs.max)} |`);
  console.log(`| diagnostics after the last keystroke (ms, ${BURSTS} bursts; includes the ${DEBOUNCE_MS} ms pause) | ${ms(result.diagnosticsMs.median)} | ${ms(result.diagnosticsMs.p95)} | ${ms(result.diagnosticsMs.max)} |`);
  console.log(`\nfirst diagnostics after opening (cold): ${ms(openMs)} ms; server memory: ${memory.rssMb.toFixed(0)} MB resident, ${memory.peakMb.toFixed(0)} MB at peak`);
} finally {
  await client.stop();
}
