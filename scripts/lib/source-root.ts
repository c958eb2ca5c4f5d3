import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceError } from './errors.ts';
import { HttpRoot } from './http-root.ts';
import { LocalRoot } from './local-root.ts';

export interface FetchedFile {
  /** The URL or absolute file path the text came from. */
  location: string;
  text: string;
  /** hex sha256 of the UTF-8 bytes */
  sha256: string;
}

export interface SourceRoot {
  /** Normalised base: a URL ending in '/' or an absolute folder path ending in '/'. */
  readonly base: string;
  /**
   * Read one file under the root. Resolves null when the file does not exist (HTTP 404/410, ENOENT):
   * a missing file is normal for some versions. Rejects with SourceError on anything else
   * (after retries for the network).
   */
  read(relativePath: string): Promise<FetchedFile | null>;
}

export interface RootOptions {
  /** Default: <repo>/.cache/http (git-ignored); only used by the HTTP root. */
  cacheDir?: string;
  /** Default 8 simultaneous requests per process (roots with the same limit share one limiter). */
  concurrency?: number;
  /** Default 20000 per attempt, covering the headers and the whole body. */
  timeoutMs?: number;
  /** Default 3 retries after the first attempt. */
  retries?: number;
  /** Base backoff, default 500, exponential with jitter. */
  backoffMs?: number;
  /** HTTP root: serve only from cache; a cache miss is a SourceError saying to run without --offline. */
  offline?: boolean;
}

/** 'https://…' / 'http://…' → HTTP root; anything else → local folder (relative paths resolved against process.cwd()). */
export function openRoot(spec: string, options: RootOptions = {}): SourceRoot {
  if (/^https?:\/\//i.test(spec)) return new HttpRoot(spec, options);
  // A file: URL is a folder in disguise; treating it as a relative path would silently read nothing.
  if (/^file:/i.test(spec)) return new LocalRoot(fileURLToPath(spec));
  return new LocalRoot(spec);
}

/**
 * The one place where bytes become a FetchedFile, so both roots hash and decode identically.
 * Decoding is fatal: the parsers would otherwise work on U+FFFD garbage from a corrupt or
 * non-UTF-8 file without anyone noticing.
 */
export function toFetchedFile(location: string, bytes: Uint8Array): FetchedFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SourceError(
      location,
      'expected UTF-8 text, but the file holds bytes that are not valid UTF-8',
      'Check that the root points at the CPython docs or source files, not at a binary or re-encoded copy',
      { cause },
    );
  }
  return { location, text, sha256: sha256Hex(bytes) };
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Rejects paths that would leave the root (absolute, '..' above it, another scheme), because a
 * parser that builds paths from scraped text must never read outside the snapshot it was given.
 */
export function checkRelativePath(root: string, relativePath: string): void {
  const bad =
    relativePath === '' ||
    relativePath.startsWith('/') ||
    relativePath.includes('\\') ||
    relativePath.includes('\0') ||
    /^[a-z][a-z0-9+.-]*:/i.test(relativePath) ||
    path.posix.normalize(relativePath).split('/')[0] === '..';
  if (bad) {
    throw new SourceError(
      root,
      `expected a relative path inside this root, got ${JSON.stringify(relativePath)}`,
      'Pass a path such as "c-api/list.html" or "Doc/data/refcounts.dat", relative to the root',
    );
  }
}
