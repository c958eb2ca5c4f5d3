/**
 * End to end over the network: scripts/scrape.ts run as a child process, exactly as a user runs it, against the
 * fault-injecting server on 127.0.0.1 that serves the offline snapshot. Every run gets its own --cache and --out
 * folders, so nothing here touches <repo>/.cache/http or data/versions.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { REPO_ROOT } from '../scripts/lib/paths.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';
import { SNAPSHOT_ROOT, startFaultServer } from './helpers/fault-server.ts';
import type { FaultServer } from './helpers/fault-server.ts';
import { describeSnapshot } from './helpers/snapshot.ts';

const SCRAPE = path.join(REPO_ROOT, 'scripts/scrape.ts');
const REPO_CACHE = path.join(REPO_ROOT, '.cache/http');
/** How a local run records snapshot locations: relative to the repository, with '/' separators. */
const LOCAL_PREFIX = `${path.relative(REPO_ROOT, SNAPSHOT_ROOT).split(path.sep).join('/')}/`;
const DATA_FILES = [
  { role: 'refcounts.dat', file: 'Doc/data/refcounts.dat' },
  { role: 'stable_abi.dat', file: 'Doc/data/stable_abi.dat' },
  { role: 'stable_abi.toml', file: 'Misc/stable_abi.toml' },
] as const;
/** A version with every data file, and one without stable_abi.dat and stable_abi.toml (checked below). */
const FULL = '3.11';
const PARTIAL = '3.9';

// Listed when this module loads, compared by the last test: the runs below must never write to the default cache.
const repoCacheBefore = listOrNull(REPO_CACHE);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `scrape-http-${label}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function server(): Promise<FaultServer> {
  const started = await startFaultServer(SNAPSHOT_ROOT);
  cleanups.push(() => started.close());
  return started;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as `node scripts/scrape.ts ARGS` from the repo root. Asynchronous on purpose: the fault server
 * lives in this process, so a synchronous spawn would block it from answering.
 */
function scrape(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRAPE, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function roots(srv: FaultServer, version: string): string[] {
  return ['--docs', `${srv.url}${version}/docs/`, '--src', `${srv.url}${version}/src/`];
}

/** Scrapes `version` over HTTP into a fresh --out folder and returns the output text; the run must succeed. */
async function scrapeOverHttp(srv: FaultServer, version: string, cache: string): Promise<string> {
  const out = await tempDir('out');
  const run = await scrape([version, ...roots(srv, version), '--out', out, '--cache', cache]);
  expectSuccess(run);
  expect(await readdir(out)).toEqual([`${version}.json`]);
  return readFile(path.join(out, `${version}.json`), 'utf8');
}

function expectSuccess(run: Run): void {
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toMatchObject({ code: 0, signal: null });
  expect(run.stderr).toMatch(/^wrote 1 file\(s\) in [\d.]+ s$/m);
}

/** Exit code 2 is the CLI's handled SourceError; an uncaught crash would be 1 with a stack trace. */
function expectHandledFailure(run: Run): void {
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toMatchObject({ code: 2, signal: null });
  expect(run.stderr).toMatch(/^error: /m);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
}

// The local scrape of each version, made once per file run and compared with every HTTP run.
const localOutputs = new Map<string, Promise<string>>();
let localOut: Promise<string> | undefined;
afterAll(async () => {
  if (localOut) await rm(await localOut, { recursive: true, force: true });
});

function scrapeLocally(version: string): Promise<string> {
  let output = localOutputs.get(version);
  if (output === undefined) {
    localOut ??= mkdtemp(path.join(os.tmpdir(), 'scrape-http-local-'));
    output = localOut.then(async (parent) => {
      const out = path.join(parent, version);
      const snapshot = path.join(SNAPSHOT_ROOT, version);
      const run = await scrape([version, '--docs', path.join(snapshot, 'docs'), '--src', path.join(snapshot, 'src'), '--out', out]);
      expectSuccess(run);
      return readFile(path.join(out, `${version}.json`), 'utf8');
    });
    localOutputs.set(version, output);
  }
  return output;
}

/**
 * The dataset with every location under `prefix` rewritten to start with '<root>/'. Fails on a location that is
 * neither under the prefix nor a docs.python.org anchor, so a URL and a path cannot both slip through unnoticed.
 */
function rootRelative(dataset: VersionDataset, prefix: string): VersionDataset {
  const strip = (location: string, docsUrlAllowed: boolean): string => {
    if (location.startsWith(prefix)) return `<root>/${location.slice(prefix.length)}`;
    // Repository files and header paths relative to the source root read the same whichever way the roots are served.
    if (location.startsWith('data/runtime/') || location.startsWith('scripts/sources/hand-readings.toml:') || location.startsWith('Include/')) return location;
    if (docsUrlAllowed && location.startsWith(`https://docs.python.org/${dataset.version}/c-api/`)) return location;
    throw new Error(`location ${JSON.stringify(location)} is not under ${prefix}`);
  };
  return {
    ...dataset,
    sources: dataset.sources.map((source) => ({ ...source, location: strip(source.location, false) })),
    apis: dataset.apis.map((api) => ({
      ...api,
      evidence: api.evidence.map((evidence) => ({ ...evidence, location: strip(evidence.location, true) })),
    })),
  };
}

/** The HTTP output is the local output with the server URL in place of ../shared/cpython/, and nothing else. */
async function expectSameAsLocal(srv: FaultServer, version: string, httpText: string): Promise<void> {
  const localText = await scrapeLocally(version);
  const http = JSON.parse(httpText) as VersionDataset;
  const local = JSON.parse(localText) as VersionDataset;

  const rootOf = (role: string): string => (role === 'docs-page' ? 'docs' : 'src');
  // The runtime probes' results are the repository's own data/runtime/, read locally whatever the roots are.
  const fromRoots = (dataset: VersionDataset): VersionDataset['sources'] => dataset.sources.filter((s) => s.role !== 'runtime-probes');
  expect(http.sources.filter((s) => s.role === 'runtime-probes').map((s) => s.location)).toEqual([`data/runtime/${version}.json`]);
  expect(fromRoots(http).map((s) => s.location)).toEqual(fromRoots(http).map((s) => `${srv.url}${version}/${rootOf(s.role)}/${s.file}`));
  expect(fromRoots(local).map((s) => s.location)).toEqual(fromRoots(local).map((s) => `${LOCAL_PREFIX}${version}/${rootOf(s.role)}/${s.file}`));
  const refcountsEvidence = http.apis.flatMap((api) => api.evidence).filter((e) => e.source === 'refcounts.dat');
  expect(refcountsEvidence.length).toBeGreaterThan(100);
  for (const evidence of refcountsEvidence) {
    expect(evidence.location).toMatch(new RegExp(`^${escapeRegExp(`${srv.url}${version}/src/Doc/data/refcounts.dat`)}:\\d+$`));
  }

  expect(rootRelative(http, srv.url)).toEqual(rootRelative(local, LOCAL_PREFIX));
  // Byte for byte too: key order, formatting and the trailing newline must not depend on the root type either.
  expect(httpText.replaceAll(srv.url, LOCAL_PREFIX) === localText).toBe(true);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function listOrNull(dir: string): Promise<string[] | null> {
  return readdir(dir).then(
    (names) => names.sort(),
    () => null,
  );
}

/** Pre-populates `out` with known files and returns a check that they are unchanged and alone (no *.tmp). */
async function knownOutput(out: string, versions: string[]): Promise<() => Promise<void>> {
  const known = new Map(versions.map((version) => [`${version}.json`, `{"known": "${version} before the failed run"}\n`]));
  for (const [name, text] of known) await writeFile(path.join(out, name), text);
  return async () => {
    expect((await readdir(out)).sort()).toEqual([...known.keys()].sort());
    for (const [name, text] of known) expect(await readFile(path.join(out, name), 'utf8')).toBe(text);
  };
}

describeSnapshot('scrape CLI over HTTP', () => {
  it('runs on Node 24 (the one vitest runs on) and documents --cache', async () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
    const run = await scrape(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--cache DIR');
  });

  it('checks which data files the snapshot versions have, as the missing-file tests assume', () => {
    for (const { file } of DATA_FILES) expect(existsSync(path.join(SNAPSHOT_ROOT, FULL, 'src', file))).toBe(true);
    expect(existsSync(path.join(SNAPSHOT_ROOT, PARTIAL, 'src/Doc/data/refcounts.dat'))).toBe(true);
    expect(existsSync(path.join(SNAPSHOT_ROOT, PARTIAL, 'src/Doc/data/stable_abi.dat'))).toBe(false);
    expect(existsSync(path.join(SNAPSHOT_ROOT, PARTIAL, 'src/Misc/stable_abi.toml'))).toBe(false);
  });

  it.each([FULL, PARTIAL])(
    'produces for %s the same dataset as the local folders, but for the locations',
    async (version) => {
      // The local run (CPU-bound) overlaps the HTTP run (mostly waiting on the network); handled here, awaited below.
      scrapeLocally(version).catch(() => undefined);
      const srv = await server();
      const text = await scrapeOverHttp(srv, version, await tempDir('cache'));
      await expectSameAsLocal(srv, version, text);

      // Every data file the version lacks is a 404 over HTTP and a recorded 'missing', exactly as locally.
      const dataset = JSON.parse(text) as VersionDataset;
      for (const { role, file } of DATA_FILES) {
        const exists = existsSync(path.join(SNAPSHOT_ROOT, version, 'src', file));
        expect(dataset.sources.find((source) => source.file === file)).toEqual({
          role,
          file,
          location: `${srv.url}${version}/src/${file}`,
          status: exists ? 'read' : 'missing',
          release: null,
          sha256: exists ? expect.stringMatching(/^[0-9a-f]{64}$/) : null,
        });
        expect(srv.requests(`/${version}/src/${file}`)).toBe(1);
      }
      // Each docs page and header is fetched once, however many pages link to it or headers include it.
      const pages = dataset.sources.filter((source) => source.role === 'docs-page');
      const headers = dataset.sources.filter((source) => source.role === 'header');
      expect(pages.every((page) => page.status === 'read')).toBe(true);
      expect(headers.filter((header) => header.status === 'read').length).toBeGreaterThan(60);
      for (const header of headers) expect(srv.requests(`/${version}/src/${header.file}`)).toBe(1);
      // An include is looked for beside its includer first, so a header may cost one 404 before it is found.
      expect(srv.totalRequests()).toBeGreaterThanOrEqual(pages.length + headers.length + DATA_FILES.length);
      expect(srv.totalRequests()).toBeLessThanOrEqual(pages.length + 2 * headers.length + DATA_FILES.length);
    },
  );

  it(
    'answers a second run from its cache without a single request, with the same output, also --offline',
    async () => {
      const srv = await server();
      const cache = await tempDir('cache');
      const first = await scrapeOverHttp(srv, FULL, cache);
      const requests = srv.totalRequests();
      expect(requests).toBeGreaterThan(60);
      const cached = await readdir(cache);
      expect(cached.filter((name) => name.endsWith('.json'))).toHaveLength(requests);
      expect(cached.filter((name) => name.endsWith('.tmp'))).toEqual([]);

      expect(await scrapeOverHttp(srv, FULL, cache)).toBe(first);
      const offline = await tempDir('out');
      expectSuccess(await scrape([FULL, ...roots(srv, FULL), '--out', offline, '--cache', cache, '--offline']));
      expect(await readFile(path.join(offline, `${FULL}.json`), 'utf8')).toBe(first);
      expect(srv.totalRequests()).toBe(requests);
    },
  );

  it(
    'recovers from 500s, a 429 and truncated bodies within the default retry budget',
    async () => {
      const srv = await server();
      const list = `/${FULL}/docs/c-api/list.html`;
      const refcounts = `/${FULL}/src/Doc/data/refcounts.dat`;
      const toml = `/${FULL}/src/Misc/stable_abi.toml`;
      srv.inject(list, 'error500', 2);
      srv.inject(list, 'truncate', 1);
      srv.inject(refcounts, 'truncate', 1);
      srv.inject(refcounts, 'error500', 1);
      srv.inject(toml, 'status429', 1);
      const cache = await tempDir('cache');

      const text = await scrapeOverHttp(srv, FULL, cache);
      expect(srv.requests(list)).toBe(4);
      expect(srv.requests(refcounts)).toBe(3);
      expect(srv.requests(toml)).toBe(2);
      await expectSameAsLocal(srv, FULL, text);

      // No half body made it into the cache: an offline re-run reads the same complete files.
      const offline = await tempDir('out');
      const requests = srv.totalRequests();
      expectSuccess(await scrape([FULL, ...roots(srv, FULL), '--out', offline, '--cache', cache, '--offline']));
      expect(await readFile(path.join(offline, `${FULL}.json`), 'utf8')).toBe(text);
      expect(srv.totalRequests()).toBe(requests);
    },
  );

  it(
    'fails on a file that keeps failing, naming its URL and the way out, and leaves the output untouched',
    async () => {
      const srv = await server();
      const refcounts = `/${FULL}/src/Doc/data/refcounts.dat`;
      srv.inject(refcounts, 'error500', Infinity);
      const out = await tempDir('out');
      const unchanged = await knownOutput(out, [FULL]);

      const run = await scrape([FULL, ...roots(srv, FULL), '--out', out, '--cache', await tempDir('cache')]);
      expectHandledFailure(run);
      expect(run.stderr).toContain(`error: ${srv.url}${FULL}/src/Doc/data/refcounts.dat: could not be downloaded`);
      expect(run.stderr).toContain('gave up after 4 attempts');
      expect(run.stderr).toContain('HTTP 500');
      expect(run.stderr).toContain('Check the network connection');
      expect(run.stderr).toContain('--docs ../shared/cpython/');
      expect(srv.requests(refcounts)).toBe(4);
      await unchanged();
    },
  );

  it(
    'writes nothing when a later version fails: the earlier version keeps its old file too',
    async () => {
      // --docs/--src take one version, and --snapshot takes a folder, so the two-version run reads a snapshot
      // folder whose 3.9 is the real one and whose 3.11 has no docs.
      const snapshot = await tempDir('snapshot');
      await symlink(path.join(SNAPSHOT_ROOT, PARTIAL), path.join(snapshot, PARTIAL), 'dir');
      await mkdir(path.join(snapshot, FULL, 'docs'), { recursive: true });
      await symlink(path.join(SNAPSHOT_ROOT, FULL, 'src'), path.join(snapshot, FULL, 'src'), 'dir');
      const out = await tempDir('out');
      const unchanged = await knownOutput(out, [PARTIAL, FULL]);

      const run = await scrape([PARTIAL, FULL, '--snapshot', snapshot, '--out', out, '--cache', await tempDir('cache')]);
      expectHandledFailure(run);
      // The first version really was scraped before the second failed.
      expect(run.stderr).toMatch(new RegExp(`^${escapeRegExp(PARTIAL)}: \\d+ APIs from \\d+ files$`, 'm'));
      expect(run.stderr).toContain(`${path.join(snapshot, FULL, 'docs')}/c-api/index.html: the C-API index page is missing`);
      await unchanged();
    },
  );

  it(
    'fails on a docs root without c-api/index.html, naming that page, after a single request',
    async () => {
      const srv = await server();
      const out = await tempDir('out');
      const unchanged = await knownOutput(out, [FULL]);
      // The version folder instead of its docs/ folder: an easy slip.
      const args = [FULL, '--docs', `${srv.url}${FULL}/`, '--src', `${srv.url}${FULL}/src/`, '--out', out, '--cache', await tempDir('cache')];

      const run = await scrape(args);
      expectHandledFailure(run);
      expect(run.stderr).toContain(`error: ${srv.url}${FULL}/c-api/index.html: the C-API index page is missing`);
      expect(run.stderr).toContain('Point --docs at a documentation root that contains c-api/index.html');
      expect(srv.requests(`/${FULL}/c-api/index.html`)).toBe(1);
      await unchanged();
    },
  );

  it(
    'reads a snapshot served over HTTP with --snapshot URL the same as with --docs and --src',
    async () => {
      const srv = await server();
      const viaRoots = await scrapeOverHttp(srv, '3.9', await tempDir('cache'));
      const out = await tempDir('out');
      const run = await scrape(['3.9', '--snapshot', srv.url, '--out', out, '--cache', await tempDir('cache')]);
      expectSuccess(run);
      expect(await readFile(path.join(out, '3.9.json'), 'utf8')).toBe(viaRoots);
    },
  );

  it('stops, writing nothing, when a page documents far fewer objects than the committed dataset; --accept-drop records why', async () => {
    const committed = JSON.parse(await scrapeLocally(PARTIAL)) as VersionDataset;
    // The committed dataset of a docs build that still had a page the source no longer has.
    const gone = Array.from({ length: 8 }, (_, i) => ({
      ...committed.apis.find((api) => api.documented)!,
      name: `PyGone_F${i}`,
      docsUrl: `https://docs.python.org/${PARTIAL}/c-api/gone.html#c.PyGone_F${i}`,
    }));
    const doctored = { ...committed, apis: [...committed.apis, ...gone].sort((a, b) => (a.name < b.name ? -1 : 1)) };
    const parent = await tempDir('drop');
    const out = path.join(parent, 'versions');
    await mkdir(out);
    const file = path.join(out, `${PARTIAL}.json`);
    await writeFile(file, JSON.stringify(doctored));
    const snapshot = path.join(SNAPSHOT_ROOT, PARTIAL);
    const args = [PARTIAL, '--docs', path.join(snapshot, 'docs'), '--src', path.join(snapshot, 'src'), '--out', out];

    const refused = await scrape(args);
    expectHandledFailure(refused);
    expect(refused.stderr).toContain('c-api/gone.html documents 0 C objects where the committed dataset has 8');
    expect(refused.stderr).toContain('--accept-drop');
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(doctored));
    expect(existsSync(path.join(parent, 'accepted-drops.json'))).toBe(false);

    const accepted = await scrape([...args, '--accept-drop', 'the gadget page was retired']);
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toMatch(/^wrote 2 file\(s\) in [\d.]+ s$/m);
    expect(await readFile(file, 'utf8')).toBe(await scrapeLocally(PARTIAL));
    expect(JSON.parse(await readFile(path.join(parent, 'accepted-drops.json'), 'utf8'))).toEqual([
      { version: PARTIAL, page: `https://docs.python.org/${PARTIAL}/c-api/gone.html`, before: 8, after: 0, reason: 'the gadget page was retired' },
    ]);
  });

  it('never wrote to the default cache <repo>/.cache/http', async () => {
    expect(await listOrNull(REPO_CACHE)).toEqual(await repoCacheBefore);
  });
});
