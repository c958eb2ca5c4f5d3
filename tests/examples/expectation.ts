/**
 * content/examples/<slug>/expect.json: what the test must observe when the wrong module runs under the debug build.
 * Test configuration, not published data, so its schema lives here and not in src/schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CALLS_PER_ROUND, crashed, EXAMPLES_DIR, type RunResult } from '../../scripts/lib/examples.ts';

export const WrongExpectation = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('leak'),
      minPerCall: z.number().int().positive().describe('Least growth of the measured count per call.'),
    })
    .strict(),
  z.object({ kind: z.literal('crash') }).strict().describe('The child dies by a signal or a "Fatal Python error".'),
  z.object({ kind: z.literal('wrong-result') }).strict().describe('The driver\'s check() raises; no crash.'),
  z
    .object({ kind: z.literal('misbehaves') })
    .strict()
    .describe('A crash or a failing check(): for reads of freed memory, whose outcome depends on what is there.'),
]);
export type WrongExpectation = z.infer<typeof WrongExpectation>;

export const ExampleExpectation = z.object({ wrong: WrongExpectation }).strict();
export type ExampleExpectation = z.infer<typeof ExampleExpectation>;

export function readExpectation(slug: string): ExampleExpectation {
  return ExampleExpectation.parse(JSON.parse(readFileSync(join(EXAMPLES_DIR, slug, 'expect.json'), 'utf8')));
}

function describeRun(r: RunResult): string {
  return JSON.stringify({ deltas: r.deltas, metric: r.metric, checkError: r.checkError, exitCode: r.exitCode, signal: r.signal, fatal: r.fatal, stderr: r.stderr.slice(0, 600) });
}

/** Problems with the wrong module's debug run, given its expectation; empty when it shows its bug as expected. */
export function wrongProblems(exp: WrongExpectation, r: RunResult): string[] {
  const out: string[] = [];
  switch (exp.kind) {
    case 'leak': {
      if (crashed(r) || r.exitCode !== 0 || !r.deltas) return [`expected a leak, but the run failed: ${describeRun(r)}`];
      const measured = r.deltas.slice(1);
      if (!measured.every((d) => d >= exp.minPerCall * CALLS_PER_ROUND)) {
        out.push(`expected at least ${exp.minPerCall} per call in every measured round: ${describeRun(r)}`);
      }
      break;
    }
    case 'crash':
      if (!crashed(r)) out.push(`expected a crash: ${describeRun(r)}`);
      break;
    case 'wrong-result':
      if (crashed(r) || r.exitCode !== 0) out.push(`expected a wrong result without a crash: ${describeRun(r)}`);
      else if (r.checkError === null) out.push(`expected check() to fail: ${describeRun(r)}`);
      break;
    case 'misbehaves':
      if (!crashed(r) && r.checkError === null) out.push(`expected a crash or a failing check(): ${describeRun(r)}`);
      break;
  }
  return out;
}

/** Problems with a fixed module's run; on the debug build the count must be flat in every measured round. */
export function fixedProblems(r: RunResult, countsRefs: boolean): string[] {
  const out: string[] = [];
  if (crashed(r) || r.exitCode !== 0 || !r.deltas) return [`the fixed module failed: ${describeRun(r)}`];
  if (r.checkError !== null) out.push(`check() failed: ${r.checkError}`);
  if (countsRefs && !r.deltas.slice(1).every((d) => d === 0)) out.push(`the fixed module leaks: ${describeRun(r)}`);
  return out;
}
