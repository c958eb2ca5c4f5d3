/**
 * A stand-in for packages/capi-refs/src/run/worker.ts that speaks its protocol, answers every file with no
 * findings, and dies on a file named dies.c: what the pool does when a worker stops (scale.test.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage, WorkerTask } from '../../packages/capi-refs/src/run/pool.ts';

const port = parentPort!;
port.on('message', ({ index, file }: WorkerTask) => {
  if (file.endsWith('dies.c')) process.exit(3);
  port.postMessage({ type: 'result', index, result: { file, lines: 1, findings: [], notices: [], error: null } } satisfies WorkerMessage);
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
