import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceError } from './errors.ts';
import { checkRelativePath, sha256Hex, toFetchedFile } from './source-root.ts';
import type { FetchedFile, RootOptions, SourceRoot } from './source-root.ts';

/*
 * An HTTP root is a disk cache in front of the network. Every answer that settles a URL for good
 * (the body, or 404/410) is cached and never revalidated: the inputs are published docs and
 * release-branch files that change rarely, and a scrape must be reproducible and cheap to re-run.
 * To refresh, delete .cache/http (or the folder given to scrape --cache).
 */

const DEFAULT_CACHE_DIR = path.resolve(import.meta.dirname, '../../.cache/http');
const DEFAULTS = { concurrency: 8, timeoutMs: 20_000, retries: 3, backoffMs: 500 };
/** A server may ask for a long pause; a scrape waiting an hour on one file helps nobody. */
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
const SNAPSHOT_HINT = 'or use a local snapshot folder instead (e.g. --docs ../shared/cpython/3.13/docs/)';

export class HttpRoot implements SourceRoot {
  readonly base: string;
  readonly #cache: HttpCache;
  readonly #offline: boolean;
  readonly #network: NetworkSettings;
  /** Concurrent reads of one URL share a single download instead of racing each other. */
  readonly #pending = new Map<string, Promise<FetchedFile | null>>();

  constructor(spec: string, options: RootOptions = {}) {
    this.base = normaliseBase(spec);
    this.#cache = new HttpCache(path.resolve(options.cacheDir ?? DEFAULT_CACHE_DIR));
    this.#offline = options.offline ?? false;
    const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULTS.concurrency);
    this.#network = {
      timeoutMs: positiveNumber('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs),
      retries: nonNegativeInteger('retries', options.retries ?? DEFAULTS.retries),
      backoffMs: nonNegativeNumber('backoffMs', options.backoffMs ?? DEFAULTS.backoffMs),
      limiter: sharedLimiter(concurrency),
    };
  }

  async read(relativePath: string): Promise<FetchedFile | null> {
    const url = resolveUrl(this.base, relativePath);
    let pending = this.#pending.get(url);
    if (pending === undefined) {
      pending = this.#load(url).finally(() => this.#pending.delete(url));
      this.#pending.set(url, pending);
    }
    return pending;
  }

  async #load(url: string): Promise<FetchedFile | null> {
    const cached = await this.#cache.lookup(url);
    if (cached.kind === 'hit') return cached.file;
    if (cached.kind === 'gone') return null;
    if (this.#offline) {
      throw new SourceError(
        url,
        `expected a cached copy in ${this.#cache.dir} (offline mode), but ${cached.reason}`,
        `Run once without --offline to download it, ${SNAPSHOT_HINT}`,
      );
    }
    const downloaded = await download(url, this.#network);
    if (downloaded.kind === 'gone') {
      await this.#cache.storeGone(url, downloaded.status);
      return null;
    }
    // Decode before caching, so that a body the parsers cannot use never lands in the cache.
    const file = toFetchedFile(url, downloaded.bytes);
    await this.#cache.storeBody(url, downloaded.status, downloaded.bytes, file.sha256);
    return file;
  }
}

// ---------------------------------------------------------------------------------------------
// Disk cache: <dir>/<sha256(url)>.body holds the bytes, <dir>/<sha256(url)>.json the meta.
// The meta is written last and is what makes an entry exist, so an interrupted run leaves at
// worst an orphan .body or .tmp file, never an entry that reads as complete but is not.

interface CacheMeta {
  url: string;
  status: number;
  /** null for a cached 404/410. */
  sha256: string | null;
  fetchedAt: string;
}

type CacheLookup = { kind: 'hit'; file: FetchedFile } | { kind: 'gone' } | { kind: 'miss'; reason: string };

class HttpCache {
  readonly dir: string;
  #ready: Promise<unknown> | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  async lookup(url: string): Promise<CacheLookup> {
    const { metaFile, bodyFile } = this.#files(url);
    let meta: CacheMeta;
    try {
      meta = parseMeta(await readFile(metaFile, 'utf8'));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { kind: 'miss', reason: 'it has never been downloaded' };
      return { kind: 'miss', reason: `its cache entry ${metaFile} is unreadable (${describe(error)})` };
    }
    if (meta.url !== url) return { kind: 'miss', reason: `its cache entry ${metaFile} belongs to ${meta.url}` };
    if (isGoneStatus(meta.status)) return { kind: 'gone' };
    let bytes: Uint8Array;
    try {
      bytes = await readFile(bodyFile);
    } catch (error) {
      return { kind: 'miss', reason: `its cached body ${bodyFile} is unreadable (${describe(error)})` };
    }
    // Guards against a body overwritten by a concurrent run, or edited by hand, since the meta was written.
    if (sha256Hex(bytes) !== meta.sha256) {
      return { kind: 'miss', reason: `its cached body ${bodyFile} does not match the recorded sha256` };
    }
    return { kind: 'hit', file: toFetchedFile(url, bytes) };
  }

  async storeBody(url: string, status: number, bytes: Uint8Array, sha256: string): Promise<void> {
    const { metaFile, bodyFile } = this.#files(url);
    await this.#write(url, async () => {
      await writeAtomically(bodyFile, bytes);
      await writeAtomically(metaFile, formatMeta({ url, status, sha256, fetchedAt: new Date().toISOString() }));
    });
  }

  async storeGone(url: string, status: number): Promise<void> {
    const { metaFile } = this.#files(url);
    await this.#write(url, () =>
      writeAtomically(metaFile, formatMeta({ url, status, sha256: null, fetchedAt: new Date().toISOString() })),
    );
  }

  async #write(url: string, write: () => Promise<void>): Promise<void> {
    try {
      this.#ready ??= mkdir(this.dir, { recursive: true });
      await this.#ready;
      await write();
    } catch (cause) {
      this.#ready = undefined;
      // Loud rather than silently uncached: an unwritable cache would turn every re-run into a full download.
      throw new SourceError(
        this.dir,
        `expected a writable HTTP cache folder, but storing ${url} failed (${describe(cause)})`,
        'Check the folder permissions and free disk space, or pass another cache folder',
        { cause },
      );
    }
  }

  #files(url: string): { metaFile: string; bodyFile: string } {
    const key = sha256Hex(url);
    return { metaFile: path.join(this.dir, `${key}.json`), bodyFile: path.join(this.dir, `${key}.body`) };
  }
}

function parseMeta(json: string): CacheMeta {
  const value: unknown = JSON.parse(json);
  if (
    typeof value === 'object' &&
    value !== null &&
    'url' in value &&
    typeof value.url === 'string' &&
    'status' in value &&
    typeof value.status === 'number' &&
    'sha256' in value &&
    (typeof value.sha256 === 'string' || value.sha256 === null) &&
    'fetchedAt' in value &&
    typeof value.fetchedAt === 'string'
  ) {
    return { url: value.url, status: value.status, sha256: value.sha256, fetchedAt: value.fetchedAt };
  }
  throw new Error('not a cache meta object');
}

function formatMeta(meta: CacheMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}

/** Same-folder temp file + rename: rename is atomic on one file system, a plain write is not. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Network: only reached when the cache has no answer and the root is not offline.

interface NetworkSettings {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  limiter: Semaphore;
}

type Downloaded = { kind: 'ok'; status: number; bytes: Uint8Array } | { kind: 'gone'; status: number };

type Attempt =
  | Downloaded
  | { kind: 'retry'; failure: string; retryAfterMs: number | undefined }
  | { kind: 'fatal'; failure: string };

async function download(url: string, settings: NetworkSettings): Promise<Downloaded> {
  const attempts = settings.retries + 1;
  let lastFailure = 'no attempt made';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // The slot is held for one attempt only, so a URL waiting out its backoff does not block others.
    await settings.limiter.acquire();
    let result: Attempt;
    try {
      result = await attemptOnce(url, settings.timeoutMs);
    } finally {
      settings.limiter.release();
    }
    if (result.kind === 'ok' || result.kind === 'gone') return result;
    if (result.kind === 'fatal') {
      throw new SourceError(
        url,
        `expected the file or a 404, but the server answered ${result.failure} (attempt ${attempt} of ${attempts}; not retried, a client error does not go away by retrying)`,
        `Check that the root URL is right, ${SNAPSHOT_HINT}`,
      );
    }
    lastFailure = result.failure;
    if (attempt < attempts) await sleep(retryDelay(attempt, settings.backoffMs, result.retryAfterMs));
  }
  throw new SourceError(
    url,
    `could not be downloaded: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}, the last failed with ${lastFailure}`,
    `Check the network connection, ${SNAPSHOT_HINT}`,
  );
}

async function attemptOnce(url: string, timeoutMs: number): Promise<Attempt> {
  // One signal for headers and body: a server that stalls halfway through the body must time out too.
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow', headers: { accept: '*/*' } });
  } catch (error) {
    return { kind: 'retry', failure: describeFetchError(error, timeoutMs), retryAfterMs: undefined };
  }
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (isGoneStatus(response.status)) {
    await discardBody(response);
    return { kind: 'gone', status: response.status };
  }
  if (response.status === 429 || response.status >= 500) {
    await discardBody(response);
    return { kind: 'retry', failure: status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  }
  if (!response.ok) {
    await discardBody(response);
    return { kind: 'fatal', failure: status };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    // undici rejects here when the connection closes before Content-Length bytes arrived.
    return { kind: 'retry', failure: `an incomplete body (${describeFetchError(error, timeoutMs)})`, retryAfterMs: undefined };
  }
  const expected = declaredLength(response);
  if (expected !== undefined && bytes.byteLength !== expected) {
    return {
      kind: 'retry',
      failure: `a truncated body (${bytes.byteLength} of ${expected} bytes)`,
      retryAfterMs: undefined,
    };
  }
  return { kind: 'ok', status: response.status, bytes };
}

/** fetch decompresses transparently, so Content-Length only counts the received bytes when nothing was encoded. */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const header = response.headers.get('content-length');
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function isGoneStatus(status: number): boolean {
  return status === 404 || status === 410;
}

function retryDelay(attempt: number, backoffMs: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1));
  // Equal jitter: at least half the backoff, so retries never hammer, but spread so parallel failures do not retry in lockstep.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = date - Date.now();
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error || error instanceof DOMException) {
    if (error.name === 'TimeoutError') return `a timeout after ${timeoutMs} ms`;
    // fetch reports every network failure as TypeError('fetch failed'); the useful part is the cause.
    const cause = error.cause;
    if (cause instanceof Error) {
      const code = errorCode(cause);
      return `${error.message}: ${cause.message}${code !== undefined && !cause.message.includes(code) ? ` (${code})` : ''}`;
    }
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

// ---------------------------------------------------------------------------------------------
// Concurrency limit, shared by every HTTP root in the process that asks for the same limit, so
// the docs root and the source root together stay within it.

class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    // Hand the slot straight to the next waiter, so a newcomer cannot take it in between.
    if (next !== undefined) next();
    else this.#free++;
  }
}

const limiters = new Map<number, Semaphore>();

function sharedLimiter(limit: number): Semaphore {
  let limiter = limiters.get(limit);
  if (limiter === undefined) {
    limiter = new Semaphore(limit);
    limiters.set(limit, limiter);
  }
  return limiter;
}

// ---------------------------------------------------------------------------------------------

function normaliseBase(spec: string): string {
  let url: URL;
  try {
    url = new URL(spec);
  } catch (cause) {
    throw new SourceError(spec, 'expected an http(s) URL of a folder', 'Check the --docs/--src option', { cause });
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

function resolveUrl(base: string, relativePath: string): string {
  checkRelativePath(base, relativePath);
  const url = new URL(relativePath, base);
  url.hash = '';
  if (!url.href.startsWith(base)) {
    throw new SourceError(
      base,
      `expected a relative path inside this root, got ${JSON.stringify(relativePath)}`,
      'Pass a path relative to the root, without ".." segments',
    );
  }
  return url.href;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer ≥ 0, got ${value}`);
  return value;
}

function positiveNumber(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a number > 0, got ${value}`);
  return value;
}

function nonNegativeNumber(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number ≥ 0, got ${value}`);
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
