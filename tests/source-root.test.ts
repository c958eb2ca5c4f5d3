import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../scripts/lib/errors.ts';
import { openRoot } from '../scripts/lib/source-root.ts';
import type { RootOptions } from '../scripts/lib/source-root.ts';
import { SNAPSHOT_ROOT, startFaultServer } from './helpers/fault-server.ts';
import type { FaultServer, FaultServerOptions } from './helpers/fault-server.ts';

const REFCOUNTS = 'Doc/data/refcounts.dat';
const REFCOUNTS_URL_PATH = '/3.13/src/Doc/data/refcounts.dat';

/**
 * A small tree in the snapshot's layout, written for these tests (they are about reading files, not about
 * CPython's): 3.13 with a refcounts.dat and 20 pages, 3.9 without a stable_abi.dat.
 */
function writeTree(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'source-root-tree-'));
  const file = (relative: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  };
  const lines = ['# Created by the source-root tests, in the layout of refcounts.dat.'];
  for (let i = 0; i < 200; i++) lines.push(`PyList_New:PyObject*::+1:`, `PyList_New:Py_ssize_t:len${i}::`);
  file(`3.13/src/${REFCOUNTS}`, `${lines.join('\n')}\n`);
  file(`3.9/src/${REFCOUNTS}`, 'PyList_New:PyObject*::+1:\n');
  for (let i = 0; i < 20; i++) file(`3.13/docs/c-api/page${String(i).padStart(2, '0')}.html`, `<!DOCTYPE html>\n<html><body><p>page ${i}</p></body></html>\n`);
  return root;
}

const TREE = writeTree();
afterAll(() => rmSync(TREE, { recursive: true, force: true }));
const SRC_313 = path.join(TREE, '3.13/src');

// Everything opened in a test is torn down after it, even when the test fails halfway.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'source-root-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function server(options?: FaultServerOptions): Promise<FaultServer> {
  const started = await startFaultServer(TREE, options);
  cleanups.push(() => started.close());
  return started;
}

/**
 * Short backoff keeps the fault tests fast; a fresh cache keeps them independent. The request timeout is generous:
 * on a busy machine a real answer on loopback may take seconds, and only the hang tests want a timeout to fire.
 */
async function fastOptions(extra: RootOptions = {}): Promise<RootOptions> {
  return { cacheDir: await tempDir(), timeoutMs: 30_000, retries: 3, backoffMs: 5, ...extra };
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('SNAPSHOT_ROOT', () => {
  it('is the shared offline snapshot next to the repo', () => {
    expect(SNAPSHOT_ROOT).toBe(path.resolve(import.meta.dirname, '../../shared/cpython'));
  });
});

describe('local root', () => {
  it('reads a file with the sha256 of its bytes', async () => {
    const root = openRoot(SRC_313);
    expect(root.base).toBe(`${SRC_313}/`);
    const file = await root.read(REFCOUNTS);
    const bytes = await readFile(path.join(SRC_313, REFCOUNTS));
    expect(file).not.toBeNull();
    expect(file?.location).toBe(path.join(SRC_313, REFCOUNTS));
    expect(file?.text).toBe(bytes.toString('utf8'));
    expect(file?.sha256).toBe(sha256(bytes));
    expect(file?.text).toContain('PyList_New');
  });

  it('resolves a relative root against the working directory', () => {
    const root = openRoot(path.relative(process.cwd(), SRC_313));
    expect(root.base).toBe(`${SRC_313}/`);
  });

  it('resolves null for a missing file', async () => {
    // 3.9 had no stable_abi.dat: exactly the "normal for some versions" case.
    expect(await openRoot(path.join(TREE, '3.9/src')).read('Doc/data/stable_abi.dat')).toBeNull();
    expect(await openRoot(SRC_313).read('No/such/dir/file.txt')).toBeNull();
  });

  it('rejects when the root folder itself is missing, naming it', async () => {
    const missing = path.join(TREE, '3.99/docs');
    const error = await rejection(openRoot(missing).read('c-api/list.html'));
    expect(error.message).toContain(`${missing}/`);
    expect(error.message).toContain('--docs/--src');
    expect(error.message).toContain('../shared/cpython');
  });

  it('rejects when the root is a file', async () => {
    const error = await rejection(openRoot(path.join(SRC_313, REFCOUNTS)).read('x'));
    expect(error.message).toContain('is a file');
  });

  it('rejects a path that is a folder', async () => {
    const error = await rejection(openRoot(SRC_313).read('Doc/data'));
    expect(error.message).toContain(path.join(SRC_313, 'Doc/data'));
    expect(error.message).toContain('folder');
  });

  it('rejects paths that leave the root', async () => {
    const root = openRoot(SRC_313);
    for (const bad of ['../docs/c-api/list.html', 'Doc/../../x', '/etc/passwd', '', 'file:///etc/passwd']) {
      await rejection(root.read(bad));
    }
  });

  it('rejects a file that is not UTF-8', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const error = await rejection(openRoot(dir).read('latin1.txt'));
    expect(error.message).toContain('UTF-8');
  });
});

describe('openRoot', () => {
  it('normalises an HTTP base to end in a slash', () => {
    expect(openRoot('https://docs.python.org/3.13').base).toBe('https://docs.python.org/3.13/');
    expect(openRoot('http://127.0.0.1:1/a/b/').base).toBe('http://127.0.0.1:1/a/b/');
  });

  it('treats a file: URL as a local folder', () => {
    expect(openRoot(`file://${SRC_313}`).base).toBe(`${SRC_313}/`);
  });
});

describe('HTTP root', () => {
  it('serves a file, identical to the local read, and caches it atomically', async () => {
    const srv = await server();
    const options = await fastOptions();
    const root = openRoot(`${srv.url}3.13/src`, options);
    const url = `${srv.url}3.13/src/${REFCOUNTS}`;

    const remote = await root.read(REFCOUNTS);
    const local = await openRoot(SRC_313).read(REFCOUNTS);
    expect(remote).not.toBeNull();
    expect(remote?.location).toBe(url);
    expect(remote?.text).toBe(local?.text);
    expect(remote?.sha256).toBe(local?.sha256);
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(1);

    const key = sha256(url);
    const entries = await readdir(options.cacheDir ?? '');
    expect(entries.sort()).toEqual([`${key}.body`, `${key}.json`]);
    const meta: unknown = JSON.parse(await readFile(path.join(options.cacheDir ?? '', `${key}.json`), 'utf8'));
    expect(meta).toMatchObject({ url, status: 200, sha256: local?.sha256 });
  });

  it('answers a second read from the cache without a request, also from a new root', async () => {
    const srv = await server();
    const options = await fastOptions();
    const first = await openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS);
    const second = await openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS);
    expect(second).toEqual(first);
    expect(srv.totalRequests()).toBe(1);
  });

  it('makes one request for simultaneous reads of the same file', async () => {
    const srv = await server({ delayMs: 20 });
    const root = openRoot(`${srv.url}3.13/src/`, await fastOptions());
    const [a, b] = await Promise.all([root.read(REFCOUNTS), root.read(REFCOUNTS)]);
    expect(a?.text).toBe(b?.text);
    expect(srv.totalRequests()).toBe(1);
  });

  it('resolves null for a 404 and caches that answer', async () => {
    const srv = await server();
    const options = await fastOptions();
    const root = openRoot(`${srv.url}3.9/src/`, options);
    expect(await root.read('Doc/data/stable_abi.dat')).toBeNull();
    expect(srv.totalRequests()).toBe(1);
    expect(await openRoot(`${srv.url}3.9/src/`, options).read('Doc/data/stable_abi.dat')).toBeNull();
    expect(srv.totalRequests()).toBe(1);
  });

  it('retries after 500 twice and succeeds on the third request', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'error500', 2);
    const file = await openRoot(`${srv.url}3.13/src/`, await fastOptions()).read(REFCOUNTS);
    expect(file?.text).toBe(await readFile(path.join(SRC_313, REFCOUNTS), 'utf8'));
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(3);
  });

  it('honours 429 with Retry-After: 0 by retrying', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'status429', 1);
    const file = await openRoot(`${srv.url}3.13/src/`, await fastOptions({ backoffMs: 60_000 })).read(REFCOUNTS);
    // With a one-minute backoff, finishing within the test timeout shows Retry-After was used instead.
    expect(file).not.toBeNull();
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(2);
  });

  it('gives up on a persistent 500 with a SourceError naming URL and attempts, caching nothing', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'error500', Infinity);
    const options = await fastOptions({ retries: 2 });
    const url = `${srv.url}3.13/src/${REFCOUNTS}`;
    const error = await rejection(openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS));
    expect(error.message).toContain(url);
    expect(error.message).toContain('3 attempts');
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('../shared/cpython');
    expect(error.location).toBe(url);
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(3);
    expect(await readdir(options.cacheDir ?? '')).toEqual([]);
  });

  it('rejects other 4xx answers at once, without retrying', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'status403', Infinity);
    const options = await fastOptions();
    const error = await rejection(openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS));
    expect(error.message).toContain(`${srv.url}3.13/src/${REFCOUNTS}`);
    expect(error.message).toContain('HTTP 403');
    expect(error.message).toContain('attempt 1 of 4');
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(1);
    expect(await readdir(options.cacheDir ?? '')).toEqual([]);
  });

  it('times out on a hanging server and succeeds on the retry', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'hang', 1);
    const started = performance.now();
    // The hang costs one timeout; the retry then has as long again for a real answer.
    const file = await openRoot(`${srv.url}3.13/src/`, await fastOptions({ timeoutMs: 2_000 })).read(REFCOUNTS);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_990);
    expect(file?.text).toBe(await readFile(path.join(SRC_313, REFCOUNTS), 'utf8'));
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(2);
  });

  it('reports the timeout when the server always hangs', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'hang', Infinity);
    const error = await rejection(
      openRoot(`${srv.url}3.13/src/`, await fastOptions({ timeoutMs: 100, retries: 1 })).read(REFCOUNTS),
    );
    expect(error.message).toContain('2 attempts');
    expect(error.message).toContain('timeout after 100 ms');
  });

  it('retries a truncated body and returns the complete file', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'truncate', 1);
    const options = await fastOptions();
    const file = await openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS);
    const bytes = await readFile(path.join(SRC_313, REFCOUNTS));
    expect(srv.requests(REFCOUNTS_URL_PATH)).toBe(2);
    expect(file?.text).toBe(bytes.toString('utf8'));
    expect(file?.sha256).toBe(sha256(bytes));
    const body = await readFile(path.join(options.cacheDir ?? '', `${sha256(`${srv.url}3.13/src/${REFCOUNTS}`)}.body`));
    expect(body.equals(bytes)).toBe(true);
  });

  it('reports a body that is always truncated', async () => {
    const srv = await server();
    srv.inject(REFCOUNTS_URL_PATH, 'truncate', Infinity);
    const options = await fastOptions({ retries: 1 });
    const error = await rejection(openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS));
    expect(error.message).toContain('2 attempts');
    expect(error.message).toMatch(/incomplete body|truncated body/);
    expect(await readdir(options.cacheDir ?? '')).toEqual([]);
  });

  it('reports a refused connection after retrying', async () => {
    const srv = await server();
    const base = `${srv.url}3.13/src/`;
    await srv.close();
    const error = await rejection(openRoot(base, await fastOptions({ retries: 1 })).read(REFCOUNTS));
    expect(error.message).toContain(`${base}${REFCOUNTS}`);
    expect(error.message).toContain('2 attempts');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('in offline mode, rejects a cache miss without any request', async () => {
    const srv = await server();
    const root = openRoot(`${srv.url}3.13/src/`, await fastOptions({ offline: true }));
    const error = await rejection(root.read(REFCOUNTS));
    expect(error.message).toContain(`${srv.url}3.13/src/${REFCOUNTS}`);
    expect(error.message).toContain('without --offline');
    expect(srv.totalRequests()).toBe(0);
  });

  it('in offline mode, serves what an online run cached, including a 404', async () => {
    const srv = await server();
    const options = await fastOptions();
    const online = openRoot(`${srv.url}3.13/src/`, options);
    const file = await online.read(REFCOUNTS);
    expect(await online.read('Misc/no-such-file.toml')).toBeNull();
    const offline = openRoot(`${srv.url}3.13/src/`, { ...options, offline: true });
    expect(await offline.read(REFCOUNTS)).toEqual(file);
    expect(await offline.read('Misc/no-such-file.toml')).toBeNull();
    expect(srv.totalRequests()).toBe(2);
  });

  it('downloads again when a cached body no longer matches its sha256', async () => {
    const srv = await server();
    const options = await fastOptions();
    const url = `${srv.url}3.13/src/${REFCOUNTS}`;
    const first = await openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS);
    await writeFile(path.join(options.cacheDir ?? '', `${sha256(url)}.body`), 'half a fi');
    const offlineError = await rejection(openRoot(`${srv.url}3.13/src/`, { ...options, offline: true }).read(REFCOUNTS));
    expect(offlineError.message).toContain('does not match');
    const second = await openRoot(`${srv.url}3.13/src/`, options).read(REFCOUNTS);
    expect(second).toEqual(first);
    expect(srv.totalRequests()).toBe(2);
  });

  it('rejects paths that leave the root without a request', async () => {
    const srv = await server();
    const root = openRoot(`${srv.url}3.13/src/`, await fastOptions());
    for (const bad of ['../docs/c-api/list.html', '/3.13/docs/c-api/list.html', '//evil.example/x', 'https://evil.example/x']) {
      await rejection(root.read(bad));
    }
    expect(srv.totalRequests()).toBe(0);
  });

  it('keeps to the concurrency limit while serving every read', async () => {
    const srv = await server({ delayMs: 30 });
    const pages = (await readdir(path.join(TREE, '3.13/docs/c-api'))).filter((name) => name.endsWith('.html')).sort().slice(0, 20);
    expect(pages).toHaveLength(20);
    const root = openRoot(`${srv.url}3.13/docs/`, await fastOptions({ concurrency: 3 }));
    const files = await Promise.all(pages.map((page) => root.read(`c-api/${page}`)));
    expect(files.every((file) => file !== null && file.text.includes('<html'))).toBe(true);
    expect(srv.totalRequests()).toBe(20);
    expect(srv.maxInFlight).toBeLessThanOrEqual(3);
    // The limit is a ceiling, not a serialisation: with 30 ms per answer, all three slots fill.
    expect(srv.maxInFlight).toBe(3);
  });
});
