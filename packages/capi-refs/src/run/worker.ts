/**
 * A checker worker thread (see pool.ts): loads the version data and the parser once, then checks the files the
 * pool sends, one at a time, and posts each file's result.
 */
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
port.on('message', async ({ index, file }: WorkerTask) => {
  port.postMessage({ type: 'result', index, result: await checkFile(file, ctx) } satisfies WorkerMessage);
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
