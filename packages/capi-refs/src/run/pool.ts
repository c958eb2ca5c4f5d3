/**
 * Files checked on a pool of worker threads, each checking one file at a time with its next one already queued,
 * results handed back in the order of the files whatever order they finish in, so the output does not depend on
 * timing. Within each window of files the largest go first, so that no worker is left alone with a big file at
 * the end of the run. Each worker loads the parser and the version data once (worker.ts). A worker that dies (out
 * of memory, a crash in the parser's WASM) costs the file it was checking, reported as that file's error, and is
 * replaced; the file it had queued goes to another.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CheckOptions, FileResult } from '../check.ts';

export interface WorkerInit {
  readonly python: string;
  readonly options: CheckOptions;
}

/** worker → pool: ready once loaded, then one result per file sent. */
export type WorkerMessage = { readonly type: 'ready' } | { readonly type: 'result'; readonly index: number; readonly result: FileResult };

/** pool → worker: the file to check next. */
export interface WorkerTask {
  readonly index: number;
  readonly file: string;
}

/**
 * Results may run ahead of the file being waited for by at most this many files: past it, free workers wait, so
 * that one slow file early in the list does not make the pool hold every later file's findings.
 */
const LOOKAHEAD = 256;

/**
 * Each worker's young generation (V8's space for new objects), in MB. V8 sizes it from the heap limit, 192 MB with
 * Node's 4 GB default; the checker's objects mostly die with the file they were made for, and a quarter of that
 * holds them as well: on CPython's Modules/ the run's peak fell from ~560 to ~380 MB at the same speed (medians of
 * ten alternated runs, `npm run bench:checker-speed -- --only modules --repeat 5 --against ...`).
 */
const YOUNG_GENERATION_MB = 48;

// Run from source, the pool is pool.ts next to worker.ts; compiled, both are .js.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Files sent to a worker before it has answered for the one it is checking: the next is then waiting in its queue
 * when it posts a result, instead of a round trip through this thread later (~100 ms a worker over CPython's
 * Modules/, one file after another).
 */
const IN_FLIGHT = 2;

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The files sent and not answered, oldest first: the worker checks them in this order. */
  tasks: number[];
}

/** The order to check files in: by size, largest first, within consecutive windows of LOOKAHEAD files. */
export function dispatchOrder(sizes: readonly number[], window = LOOKAHEAD): number[] {
  const order: number[] = [];
  for (let start = 0; start < sizes.length; start += window) {
    const indices = Array.from({ length: Math.min(window, sizes.length - start) }, (_, k) => start + k);
    order.push(...indices.sort((a, b) => sizes[b]! - sizes[a]! || a - b));
  }
  return order;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // its worker reports why it cannot be read
  }
}

/** `workerUrl`: the worker module (tests give one of their own). */
export async function* runPool(files: readonly string[], init: WorkerInit, size: number, workerUrl: URL = WORKER_URL): AsyncGenerator<FileResult> {
  const results = new Map<number, FileResult>();
  const slots = new Set<Slot>();
  const order = dispatchOrder(files.map(sizeOf));
  let next = 0;
  let emitted = 0;
  let fatal: Error | null = null;
  let closing = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };

  /** Files a dead worker was sent and never began: they go to the next worker first. */
  const resend: number[] = [];
  const dispatch = (slot: Slot): void => {
    while (slot.ready && slot.tasks.length < IN_FLIGHT) {
      let task: number;
      if (resend.length > 0) task = resend.shift()!;
      else if (next < files.length && next < emitted + LOOKAHEAD) task = order[next++]!;
      else return;
      slot.tasks.push(task);
      slot.worker.postMessage({ index: task, file: files[task]! } satisfies WorkerTask);
    }
  };
  const dispatchAll = (): void => {
    for (const slot of slots) dispatch(slot);
  };

  const spawn = (): void => {
    const slot: Slot = { worker: new Worker(workerUrl, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }), ready: false, tasks: [] };
    slots.add(slot);
    slot.worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') slot.ready = true;
      else {
        results.set(msg.index, msg.result);
        slot.tasks.splice(slot.tasks.indexOf(msg.index), 1);
      }
      dispatch(slot);
      notify();
    });
    // 'error' comes before 'exit' when the worker throws; 'exit' alone when it is killed or runs out of memory.
    let why = '';
    slot.worker.on('error', (error) => {
      why = message(error);
    });
    slot.worker.on('exit', (code) => {
      slots.delete(slot);
      if (closing) return;
      const cause = why || `exit code ${code}`;
      if (!slot.ready) {
        // Failing before it could take a file is not about any file: every replacement would fail the same way.
        fatal ??= new Error(`a checker worker could not start: ${cause}`);
      } else if (slot.tasks.length > 0) {
        // The oldest file it had not answered is the one it was checking; the others wait for another worker.
        const [stoppedOn, ...unbegun] = slot.tasks;
        results.set(stoppedOn!, { file: files[stoppedOn!]!, lines: 0, findings: [], notices: [], error: { stage: 'check', message: `the checker stopped on it: ${cause}` } });
        resend.push(...unbegun);
      }
      if (slot.ready && (next < files.length || resend.length > 0)) spawn();
      notify();
    });
  };

  for (let i = 0; i < size; i++) spawn();
  try {
    while (emitted < files.length) {
      const result = results.get(emitted);
      if (result !== undefined) {
        results.delete(emitted++);
        dispatchAll();
        yield result;
        continue;
      }
      if (fatal !== null) throw fatal;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    // Also when the consumer stops early: no worker may outlive the run.
    closing = true;
    await Promise.all([...slots].map((slot) => slot.worker.terminate()));
  }
}
