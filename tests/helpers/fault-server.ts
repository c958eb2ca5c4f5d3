import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The read-only offline CPython snapshot (../shared/cpython next to the repo). Never write there. */
export { SNAPSHOT_DIR as SNAPSHOT_ROOT } from '../../scripts/lib/paths.ts';

/**
 * - 'error500': answer 500.
 * - 'status429': answer 429 with Retry-After: 0.
 * - 'status403': answer 403, a client error that retrying cannot fix.
 * - 'hang': read the request and never answer, so only a client timeout ends it.
 * - 'truncate': announce the full Content-Length, send half the body, then close the connection.
 */
export type Fault = 'error500' | 'status429' | 'status403' | 'hang' | 'truncate';

export interface FaultServer {
  /** http://127.0.0.1:PORT/ — the snapshot root is served at '/'. */
  readonly url: string;
  /** Applies `fault` to the next `times` requests for `urlPath` (e.g. '/3.13/src/Doc/data/refcounts.dat'); Infinity for always. Faults queue in order. */
  inject(urlPath: string, fault: Fault, times: number): void;
  /** Requests received for one path, faulty ones included. */
  requests(urlPath: string): number;
  totalRequests(): number;
  /** The most requests that were being handled at the same moment. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  /** Delay before every answer, so that concurrent requests overlap measurably. */
  delayMs?: number;
}

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** A real HTTP server on loopback serving files from `rootDir`, with faults programmable per path. */
export async function startFaultServer(rootDir: string, options: FaultServerOptions = {}): Promise<FaultServer> {
  const root = path.resolve(rootDir);
  const faults = new Map<string, QueuedFault[]>();
  const counts = new Map<string, number>();
  let total = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  function nextFault(urlPath: string): Fault | undefined {
    const queue = faults.get(urlPath);
    const head = queue?.find((entry) => entry.remaining > 0);
    if (head === undefined) return undefined;
    head.remaining--;
    return head.fault;
  }

  async function handle(request: IncomingMessage, response: ServerResponse, done: () => void): Promise<void> {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    counts.set(urlPath, (counts.get(urlPath) ?? 0) + 1);
    total++;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (response.destroyed) return;

    const fault = nextFault(urlPath);
    if (fault === 'hang') return;
    if (fault === 'error500') return send(response, done, 500, 'injected failure\n');
    if (fault === 'status429') return send(response, done, 429, 'slow down\n', { 'retry-after': '0' });
    if (fault === 'status403') return send(response, done, 403, 'forbidden\n');

    const file = path.join(root, urlPath);
    const inside = file === root || file.startsWith(root + path.sep);
    const isFile = inside && (await stat(file).then((s) => s.isFile(), () => false));
    if (request.method !== 'GET' || !isFile) return send(response, done, 404, 'not found\n');
    const body = await readFile(file);
    if (response.destroyed) return;

    if (fault === 'truncate') {
      done();
      response.writeHead(200, { 'content-type': contentType(file), 'content-length': String(body.byteLength) });
      // Flush half, then cut the connection, as a dropped link or a killed proxy would.
      response.write(body.subarray(0, Math.floor(body.byteLength / 2)), () => response.socket?.destroy());
      return;
    }
    send(response, done, 200, body, { 'content-type': contentType(file) });
  }

  const server = createServer((request, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    // Counted down before the answer goes out, so a client that reacts to it can never be seen
    // overlapping with it; 'close' covers the answers that never go out (hang, client abort).
    const done = (): void => {
      if (finished) return;
      finished = true;
      inFlight--;
    };
    response.on('close', done);
    handle(request, response, done).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) send(response, done, 500, `fault server error: ${String(error)}\n`);
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/`,
    inject(urlPath, fault, times) {
      const queue = faults.get(urlPath) ?? [];
      queue.push({ fault, remaining: times });
      faults.set(urlPath, queue);
    },
    requests: (urlPath) => counts.get(urlPath) ?? 0,
    totalRequests: () => total,
    get maxInFlight() {
      return maxInFlight;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung requests and idle keep-alive sockets would otherwise keep close() waiting forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(
  response: ServerResponse,
  done: () => void,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): void {
  done();
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers, 'content-length': String(bytes.byteLength) });
  response.end(bytes);
}

function contentType(file: string): string {
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  return 'text/plain; charset=utf-8';
}
