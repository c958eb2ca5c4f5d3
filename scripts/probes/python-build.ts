/**
 * The network and file edge of the probes: get one version's pinned Debian packages into the cache folder with
 * apt-get (pointed at a sources list and state of its own, never the system's), check their SHA-256 against the
 * pins, unpack them into one root, and start that root's interpreter through its own loader.
 *
 * A warm run finds every pinned .deb in the cache and the root unpacked from them, and runs no apt-get at all.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimePackage } from '../../src/schema/runtime.ts';
import { SourceError } from '../lib/errors.ts';
import { REPO_ROOT } from '../lib/paths.ts';
import {
  aptOptions, buildLayout, DEBIAN_BUILDS, debianMirror, downloadRequests, fetchedBytes, missingDebs, parseDeb822Sources,
  parseDebFileName, parseOneLineSources, sourcesListFor, type AptSource, type BuildLayout, type DebianBuild,
} from './debian-builds.ts';

export const BUILD_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'python-builds');
const APT_CONFIG_DIR = '/etc/apt';
const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Where the machine's apt configuration and the archive keyring are; a test points them at its own archive. */
export interface AptSetup {
  configDir: string;
  keyring: string;
}
const MACHINE_APT: AptSetup = { configDir: APT_CONFIG_DIR, keyring: DEBIAN_KEYRING };

export interface PythonBuild {
  version: string;
  suite: string;
  layout: BuildLayout;
  /** Sorted by name: what data/runtime/X.Y.json records as the pins. */
  packages: RuntimePackage[];
  /** Bytes apt-get fetched in this run (package lists and .deb files); 0 on a warm run. */
  downloaded: number;
}

/** The machine's own apt sources, read at run time: the mirror host is configuration, not code. */
function readMachineSources(configDir: string): { sources: AptSource[]; files: string[] } {
  const files: string[] = [];
  const sources: AptSource[] = [];
  const oneLine = path.join(configDir, 'sources.list');
  if (existsSync(oneLine)) { files.push(oneLine); sources.push(...parseOneLineSources(readFileSync(oneLine, 'utf8'))); }
  const partsDir = path.join(configDir, 'sources.list.d');
  for (const name of existsSync(partsDir) ? readdirSync(partsDir).sort() : []) {
    const file = path.join(partsDir, name);
    if (name.endsWith('.sources')) { files.push(file); sources.push(...parseDeb822Sources(readFileSync(file, 'utf8'))); }
    if (name.endsWith('.list')) { files.push(file); sources.push(...parseOneLineSources(readFileSync(file, 'utf8'))); }
  }
  return { sources, files };
}

/** Runs apt-get on the layout's own state, its output shown on stderr as it comes; returns the bytes it fetched. */
async function aptGet(layout: BuildLayout, args: string[], cwd: string, what: string): Promise<number> {
  const child = spawn('apt-get', [...aptOptions(layout), ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); process.stderr.write(chunk); });
  const status = await new Promise<number | string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code) => resolve(code ?? 'killed'));
  });
  if (status !== 0) {
    throw new SourceError(layout.sourcesList, `apt-get ${args[0]} failed (${typeof status === 'number' ? `exit ${status}` : status}) while ${what}`,
      'Check that the mirror in that file is reachable and still has these versions; if the suite moved on, run ' +
      '`npm run probe -- --python VERSION --repin` to take its current packages, and commit the new pins.');
  }
  return fetchedBytes(output);
}

/** Downloads the packages the cache lacks, at their pinned versions (or the suite's current ones when unpinned). */
async function download(layout: BuildLayout, suite: string, wanted: string[], pins: readonly RuntimePackage[], apt: AptSetup, log: (line: string) => void): Promise<number> {
  const { sources, files } = readMachineSources(apt.configDir);
  const mirror = debianMirror(sources);
  if (!mirror) {
    throw new SourceError(files.join(', ') || path.join(apt.configDir, 'sources.list'), 'no `deb` source with a main component of a Debian release',
      "Configure apt with a Debian mirror (a deb822 .sources file or sources.list); the probes fetch packages from that mirror's other suites.");
  }
  if (!existsSync(apt.keyring)) throw new SourceError(apt.keyring, 'the Debian archive keyring is missing', 'Install it: apt-get install debian-archive-keyring.');
  for (const dir of [layout.aptState, path.join(layout.aptLists, 'partial'), path.join(layout.aptCache, 'archives', 'partial'), layout.debs]) mkdirSync(dir, { recursive: true });
  writeFileSync(layout.sourcesList, sourcesListFor(mirror, suite, apt.keyring));
  // an unpinned package is taken at the suite's current version: older downloads of it would be ambiguous
  const pinned = new Set(pins.map((pin) => pin.name));
  for (const file of readdirSync(layout.debs)) {
    const deb = parseDebFileName(file);
    if (deb && wanted.includes(deb.name) && !pinned.has(deb.name)) rmSync(path.join(layout.debs, file));
  }
  log(`apt-get update: the ${suite} suite's package list`);
  const lists = await aptGet(layout, ['update'], layout.dir, `reading the ${suite} package list`);
  log(`apt-get download: ${wanted.length} package(s) into ${path.relative(REPO_ROOT, layout.debs)}`);
  return lists + await aptGet(layout, ['download', ...downloadRequests(wanted, pins)], layout.debs, `downloading ${wanted.join(', ')}`);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The .deb of each package in the cache, checked against its pin. */
function cachedPackages(layout: BuildLayout, packages: readonly string[], pins: readonly RuntimePackage[]): RuntimePackage[] {
  const files = readdirSync(layout.debs);
  const pinByName = new Map(pins.map((pin) => [pin.name, pin]));
  return packages.map((name) => {
    const pin = pinByName.get(name);
    const file = files.find((f) => { const deb = parseDebFileName(f); return deb?.name === name && (!pin || deb.version === pin.version); });
    if (!file) throw new SourceError(layout.debs, `no .deb of ${name}${pin ? ` ${pin.version}` : ''} after apt-get download`, 'Run the probe again without --check to see apt-get\'s messages.');
    const full = path.join(layout.debs, file);
    const hash = sha256(full);
    if (pin && pin.sha256 !== hash) {
      throw new SourceError(full, `SHA-256 ${hash}, but data/runtime pins ${name} ${pin.version} at ${pin.sha256}`,
        'Delete the file and run again; if the archive really changed, --repin and review the new pins.');
    }
    return { name, version: parseDebFileName(file)!.version, sha256: hash, size: statSync(full).size };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/** Unpacks every package into a fresh root unless the root was already unpacked from exactly these packages. */
function unpack(layout: BuildLayout, packages: RuntimePackage[], log: (line: string) => void): void {
  const stamp = JSON.stringify(packages.map(({ name, version, sha256: hash }) => ({ name, version, sha256: hash })));
  if (existsSync(layout.rootStamp) && readFileSync(layout.rootStamp, 'utf8') === stamp && existsSync(layout.python)) return;
  log(`dpkg-deb -x: ${packages.length} packages into ${path.relative(REPO_ROOT, layout.root)}`);
  rmSync(layout.root, { recursive: true, force: true });
  mkdirSync(layout.root, { recursive: true });
  const files = readdirSync(layout.debs);
  for (const pkg of packages) {
    const file = files.find((f) => { const deb = parseDebFileName(f); return deb?.name === pkg.name && deb.version === pkg.version; })!;
    execFileSync('dpkg-deb', ['-x', path.join(layout.debs, file), layout.root]);
  }
  writeFileSync(layout.rootStamp, stamp);
}

export interface EnsureOptions {
  /** Pins from the committed data/runtime/X.Y.json; empty to take the suite's current packages. */
  pins: readonly RuntimePackage[];
  cacheDir?: string;
  /** The packages to unpack; by default the version's entry in DEBIAN_BUILDS. */
  build?: DebianBuild;
  apt?: AptSetup;
  log: (line: string) => void;
}

/** One version's debug build, unpacked from its pinned packages; downloads only what the cache lacks. */
export async function ensurePythonBuild(version: string, options: EnsureOptions): Promise<PythonBuild> {
  const build = options.build ?? DEBIAN_BUILDS[version];
  if (!build) throw new SourceError('scripts/probes/debian-builds.ts', `no Debian build is listed for CPython ${version}`, `Probe one of ${Object.keys(DEBIAN_BUILDS).join(', ')}.`);
  const layout = buildLayout(options.cacheDir ?? BUILD_CACHE_DIR, version, build);
  mkdirSync(layout.debs, { recursive: true });
  const wanted = missingDebs(build.packages, options.pins, readdirSync(layout.debs));
  const downloaded = wanted.length > 0 ? await download(layout, build.suite, wanted, options.pins, options.apt ?? MACHINE_APT, options.log) : 0;
  const packages = cachedPackages(layout, build.packages, options.pins);
  unpack(layout, packages, options.log);
  return { version, suite: build.suite, layout: stableLayout(layout, version), packages, downloaded };
}

/**
 * The layout reached through a link at the same path in every checkout (/tmp/capi-refs-python-X.Y): a call built
 * to fail reads past its object into the process's stack, whose layout follows the length of the paths in argv and
 * the environment, so a root under another checkout's folder gave other results (crash or not) for those calls.
 */
function stableLayout(layout: BuildLayout, version: string): BuildLayout {
  const link = path.join('/tmp', `capi-refs-python-${version}`);
  let current: string | null = null;
  try {
    current = readlinkSync(link);
  } catch {
    // no link yet
  }
  if (current !== layout.root) {
    rmSync(link, { force: true });
    symlinkSync(layout.root, link);
  }
  const via = (p: string): string => p.split(layout.root).join(link);
  return { ...layout, root: link, loader: via(layout.loader), libraryPath: via(layout.libraryPath), python: via(layout.python), pythonHome: via(layout.pythonHome), includes: layout.includes.map(via) };
}

/**
 * The command line that runs the root's interpreter through the root's own loader, and its environment. The
 * address space is not randomised (setarch -R) and the string hashes are fixed: a call built to fail on a function
 * that checks nothing reads whatever lies beyond its object, and this way it reads the same thing on every run,
 * so the results (crash or not) are reproducible for --check.
 */
export function pythonCommand(layout: BuildLayout, args: string[]): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    file: 'setarch',
    args: ['x86_64', '-R', layout.loader, '--library-path', layout.libraryPath, layout.python, '-S', '-s', '-B', ...args],
    // nothing of the caller's Python settings: only the root's home, a fixed locale and hash seed
    // and a fixed PATH: its length moves the stack too
    env: { PATH: '/usr/bin:/bin', PYTHONHOME: layout.pythonHome, PYTHONHASHSEED: '0', LC_ALL: 'C.UTF-8' },
  };
}
