/**
 * A checker worker thread (see pool.ts): loads the version data and the parser once, then checks the files the
 * pool sends, one at a time in the order they came, and posts each file's result. The pool sends the next file
 * before this one is done, so that the worker never waits for it; the order is what lets the pool tell, if the
 * worker dies, which file it was checking (the oldest it has not answered).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { checkContext, checkFile, loadParser } from '../check.ts';
import type { WorkerInit, WorkerMessage, WorkerTask } from './pool.ts';

const port = parentPort;
if (port === null) throw new Error('worker.ts runs as a worker thread of pool.ts');
const { python, options } = workerData as WorkerInit;
// The parser's files are read and compiled off this thread while the version data is parsed on it.
const parser = loadParser();
const ctx = checkContext(python, options);
await parser;

// Read at once: this thread has nothing else to do meanwhile, and a read handed to the thread pool came back
// after about a millisecond a file on a busy machine (~120 ms a worker over CPython's Modules/).
const readNow = (file: string): string => readFileSync(file, 'utf8');
const queue: WorkerTask[] = [];
let running = false;
port.on('message', async (task: WorkerTask) => {
  queue.push(task);
  if (running) return;
  running = true;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    port.postMessage({ type: 'result', index: next.index, result: await checkFile(next.file, ctx, readNow) } satisfies WorkerMessage);
  }
  running = false;
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
