/**
 * Gets the source of Debian's python3.11 package (bookworm) into .cache/debian-src/ without touching the
 * system's apt state: apt-get reads a sources list, package lists and caches of its own under that folder.
 *
 *   npm run fetch:cpython-source        # prints the path of the extracted Modules/ folder
 *
 * The mirror is the one this machine's apt configuration already uses for bookworm (/etc/apt/sources.list,
 * /etc/apt/sources.list.d/*.list and *.sources); nothing here names a mirror. apt checks the Release
 * signature and the hashes of the downloaded files; dpkg-source checks them again against the .dsc.
 * A run that finds the extracted folder (recorded in source.json) does no network work.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PACKAGE = 'python3.11';
export const SUITE = 'bookworm';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const CACHE_DIR = path.join(REPO_ROOT, '.cache', 'debian-src');
const SOURCE_JSON = path.join(CACHE_DIR, 'source.json');

export interface SourceRecord {
  package: string;
  version: string;
  suite: string;
  /** Folder of the extracted source, relative to the cache folder. */
  directory: string;
  dsc: { name: string; sha256: string; size: number };
  origTarball: { name: string; sha256: string; size: number };
  debianTarball: { name: string; sha256: string; size: number } | null;
}

function progress(message: string): void {
  process.stderr.write(`fetch-cpython-source: ${message}\n`);
}

class FetchError extends Error {}

// ---------------------------------------------------------------- the system's apt sources

interface AptSource {
  types: string[];
  uri: string;
  suites: string[];
  components: string[];
  /** A keyring path or fingerprints, or an embedded ASCII-armoured key; null when the entry names none. */
  signedBy: string | null;
  file: string;
}

/** One-line format: `deb [ opt=value ... ] uri suite [component ...]`. */
export function parseOneLineSources(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const optionMatch = /^(\S+)\s+\[([^\]]*)\]\s*(.*)$/.exec(line);
    let type: string;
    let options = '';
    let rest: string[];
    if (optionMatch) {
      type = optionMatch[1]!;
      options = optionMatch[2]!;
      rest = optionMatch[3]!.split(/\s+/).filter(Boolean);
    } else {
      [type = '', ...rest] = line.split(/\s+/);
    }
    if (type !== 'deb' && type !== 'deb-src') continue;
    const [uri, suite, ...components] = rest;
    if (!uri || !suite) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(options)?.[1] ?? null;
    out.push({ types: [type], uri, suites: [suite], components, signedBy, file });
  }
  return out;
}

/** deb822 format (sources.list(5)): stanzas separated by blank lines, `#` comment lines, folded fields. */
export function parseDeb822Sources(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let current: string | null = null;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      if (/^[ \t]/.test(line)) {
        if (current !== null) fields.set(current, `${fields.get(current) ?? ''}\n${line.trim() === '.' ? '' : line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      current = m[1]!.toLowerCase();
      fields.set(current, m[2]!.trim());
    }
    if (!fields.has('uris')) continue;
    if ((fields.get('enabled') ?? 'yes').toLowerCase() === 'no') continue;
    const words = (key: string): string[] => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    const uri = words('uris')[0];
    if (!uri) continue;
    const signedBy = fields.get('signed-by')?.trim() || null;
    out.push({ types: words('types'), uri, suites: words('suites'), components: words('components'), signedBy, file });
  }
  return out;
}

export function systemAptSources(): AptSource[] {
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  const partsDir = '/etc/apt/sources.list.d';
  if (existsSync(partsDir)) {
    for (const name of readdirSync(partsDir).sort()) {
      if (name.endsWith('.list') || name.endsWith('.sources')) files.push(path.join(partsDir, name));
    }
  }
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return file.endsWith('.sources') ? parseDeb822Sources(text, file) : parseOneLineSources(text, file);
  });
}

/** The first enabled entry of the system's configuration that serves `suite` with a `main` component. */
function mirrorFor(suite: string): AptSource {
  const sources = systemAptSources();
  const found = sources.find(
    (s) => s.suites.includes(suite) && s.components.includes('main') && !s.uri.startsWith('cdrom:') && s.types.some((t) => t === 'deb' || t === 'deb-src'),
  );
  if (!found) {
    throw new FetchError(
      `no apt source for suite "${suite}" (component main) in /etc/apt/sources.list or /etc/apt/sources.list.d/*.list|*.sources ` +
        `(${sources.length} entries read). Add the Debian ${suite} archive to the apt configuration, then run this again.`,
    );
  }
  return found;
}

// ---------------------------------------------------------------- commands

function run(command: string, args: readonly string[], what: string, cwd: string, remedy: string): void {
  progress(`${what}: ${command} ${args.join(' ')}`);
  // apt-get's and dpkg-source's own output goes to our stderr, so stdout stays the result.
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2] });
  if (result.error) {
    throw new FetchError(`${what}: cannot run ${command}: ${result.error.message}. ${remedy}`);
  }
  if (result.status !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.status}`;
    throw new FetchError(`${what}: \`${command} ${args.join(' ')}\` (in ${cwd}) ${how}. ${remedy}`);
  }
}

function capture(command: string, args: readonly string[], what: string, cwd: string, remedy: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new FetchError(`${what}: cannot run ${command}: ${result.error.message}. ${remedy}`);
  if (result.status !== 0) {
    throw new FetchError(`${what}: \`${command} ${args.join(' ')}\` exited with status ${result.status}: ${result.stderr.trim()}. ${remedy}`);
  }
  return result.stdout;
}

function hasCommand(command: string): boolean {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return !result.error;
}

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function fileRecord(name: string): { name: string; sha256: string; size: number } {
  const file = path.join(CACHE_DIR, name);
  return { name, sha256: sha256File(file), size: statSync(file).size };
}

// ---------------------------------------------------------------- the fetch

/** The extracted folder recorded by an earlier run, if it is still there. */
function previousRun(): SourceRecord | null {
  if (!existsSync(SOURCE_JSON)) return null;
  try {
    const record = JSON.parse(readFileSync(SOURCE_JSON, 'utf8')) as SourceRecord;
    if (record.package === PACKAGE && existsSync(modulesDirOf(record))) return record;
  } catch {
    // An unreadable record: fetch again.
  }
  return null;
}

/** apt-get options that keep every piece of apt state inside the cache folder. */
function aptOptions(): string[] {
  return [
    '-c',
    path.join(CACHE_DIR, 'apt.conf'),
    '-o',
    `Dir::Etc::sourcelist=${path.join(CACHE_DIR, 'sources.list')}`,
    '-o',
    'Dir::Etc::sourceparts=-',
    '-o',
    `Dir::State::Lists=${path.join(CACHE_DIR, 'lists')}`,
    '-o',
    `Dir::Cache=${path.join(CACHE_DIR, 'cache')}`,
    '-o',
    'APT::Get::List-Cleanup=0',
  ];
}

function writeAptConfiguration(): void {
  const mirror = mirrorFor(SUITE);
  progress(`using the ${SUITE} mirror configured in ${mirror.file}`);
  let signedBy = '';
  if (mirror.signedBy) {
    let keyring = mirror.signedBy;
    if (keyring.includes('BEGIN PGP PUBLIC KEY BLOCK')) {
      // An embedded key cannot go on a one-line entry: write it next to the list.
      keyring = path.join(CACHE_DIR, 'embedded-key.asc');
      writeFileSync(keyring, mirror.signedBy.trim() + '\n');
    }
    signedBy = ` [signed-by=${keyring.replace(/\s+/g, ',')}]`;
  }
  const components = mirror.components.join(' ');
  writeFileSync(
    path.join(CACHE_DIR, 'sources.list'),
    `# Written by packages/capi-refs/bench/fetch-cpython-source.ts from ${mirror.file}; used only with apt-get -o Dir::Etc::sourcelist.\n` +
      `deb-src${signedBy} ${mirror.uri} ${SUITE} ${components}\n`,
  );
  // Read after the system's configuration: drop the hooks that apt.conf.d attaches to `apt-get update`
  // (they would refresh system caches such as AppStream's from the system's lists).
  writeFileSync(
    path.join(CACHE_DIR, 'apt.conf'),
    '#clear APT::Update::Pre-Invoke;\n#clear APT::Update::Post-Invoke;\n#clear APT::Update::Post-Invoke-Success;\n',
  );
  mkdirSync(path.join(CACHE_DIR, 'lists', 'partial'), { recursive: true });
  mkdirSync(path.join(CACHE_DIR, 'cache', 'archives', 'partial'), { recursive: true });
}

interface PlannedFile {
  name: string;
  size: number;
  sha256: string | null;
}

/** `apt-get source --print-uris`: the files of the candidate source package and their hashes, without downloading. */
function plannedFiles(): PlannedFile[] {
  const output = capture(
    'apt-get',
    [...aptOptions(), '-q', 'source', '--print-uris', PACKAGE],
    'listing the source package',
    CACHE_DIR,
    `Is ${PACKAGE} in ${SUITE}'s Sources index? Delete ${CACHE_DIR}/lists and run this again.`,
  );
  const files: PlannedFile[] = [];
  for (const line of output.split('\n')) {
    const m = /^'[^']+'\s+(\S+)\s+(\d+)\s*(\S*)/.exec(line);
    if (!m) continue;
    const hash = /^SHA256:([0-9a-f]{64})$/i.exec(m[3] ?? '');
    files.push({ name: m[1]!, size: Number(m[2]), sha256: hash ? hash[1]!.toLowerCase() : null });
  }
  return files;
}

async function fetchAndExtract(): Promise<SourceRecord> {
  mkdirSync(CACHE_DIR, { recursive: true });
  if (!hasCommand('dpkg-source')) {
    throw new FetchError('dpkg-source is missing: install it with `apt-get install dpkg-dev`, then run this again.');
  }
  writeAptConfiguration();
  run(
    'apt-get',
    [...aptOptions(), '-q', 'update'],
    `downloading the ${SUITE} Sources index into ${path.relative(REPO_ROOT, CACHE_DIR)}/lists`,
    CACHE_DIR,
    'Check that the mirror configured for apt is reachable (`apt-get update` should work) and that its Release file verifies.',
  );
  const planned = plannedFiles();
  const dscPlan = planned.find((f) => f.name.endsWith('.dsc'));
  if (!dscPlan) throw new FetchError(`apt-get source --print-uris ${PACKAGE} listed no .dsc file: is ${PACKAGE} in ${SUITE}?`);
  const version = /^[^_]+_(.+)\.dsc$/.exec(dscPlan.name)![1]!;
  progress(`${PACKAGE} ${version}: ${planned.map((f) => `${f.name} (${(f.size / 1e6).toFixed(1)} MB)`).join(', ')}`);

  const missing = planned.filter((f) => !existsSync(path.join(CACHE_DIR, f.name)) || (f.sha256 !== null && sha256File(path.join(CACHE_DIR, f.name)) !== f.sha256));
  if (missing.length > 0) {
    run(
      'apt-get',
      [...aptOptions(), '-q', 'source', '--download-only', PACKAGE],
      `downloading ${PACKAGE} ${version}`,
      CACHE_DIR,
      `Check network access to the mirror configured for apt; remove ${CACHE_DIR}/${PACKAGE}_* and run this again.`,
    );
  } else {
    progress(`the files of ${PACKAGE} ${version} are already in the cache folder`);
  }
  for (const f of planned) {
    if (f.sha256 !== null && sha256File(path.join(CACHE_DIR, f.name)) !== f.sha256) {
      throw new FetchError(`${f.name} does not match the SHA-256 in the Sources index: delete it and run this again.`);
    }
  }

  // dpkg-source verifies the sizes and checksums the .dsc lists, then unpacks and applies Debian's patches.
  const directory = `${PACKAGE}-${version.replace(/^\d+:/, '')}`;
  const partial = `${directory}.partial`;
  rmSync(path.join(CACHE_DIR, partial), { recursive: true, force: true });
  progress(
    'the files above match the hashes of the Sources index, whose Release signature apt checked; ' +
      "a dpkg-source warning that it cannot verify the .dsc's own signature only means the debian-keyring package is not installed",
  );
  run(
    'dpkg-source',
    ['--require-strong-checksums', '-x', dscPlan.name, partial],
    `verifying and extracting ${dscPlan.name}`,
    CACHE_DIR,
    `Delete ${CACHE_DIR}/${PACKAGE}_* and run this again (a checksum failure means a corrupt or tampered download).`,
  );
  rmSync(path.join(CACHE_DIR, directory), { recursive: true, force: true });
  renameSync(path.join(CACHE_DIR, partial), path.join(CACHE_DIR, directory));
  if (!existsSync(path.join(CACHE_DIR, directory, 'Modules'))) {
    throw new FetchError(`${dscPlan.name} extracted, but ${directory}/Modules is missing: is ${PACKAGE} still CPython's source?`);
  }

  const orig = planned.find((f) => /\.orig\.tar\.[a-z0-9]+$/.test(f.name));
  if (!orig) throw new FetchError(`${PACKAGE} ${version} has no .orig tarball among ${planned.map((f) => f.name).join(', ')}`);
  const debian = planned.find((f) => /\.debian\.tar\.[a-z0-9]+$/.test(f.name));
  const record: SourceRecord = {
    package: PACKAGE,
    version,
    suite: SUITE,
    directory,
    dsc: fileRecord(dscPlan.name),
    origTarball: fileRecord(orig.name),
    debianTarball: debian ? fileRecord(debian.name) : null,
  };
  writeFileSync(SOURCE_JSON, JSON.stringify(record, null, 2) + '\n');
  progress(`wrote ${path.relative(REPO_ROOT, SOURCE_JSON)}`);
  return record;
}

/** The source record of the extracted package, fetching it first if needed. */
export async function cpythonSource(): Promise<SourceRecord> {
  const previous = previousRun();
  if (previous) {
    progress(`${previous.package} ${previous.version} already extracted (${path.relative(REPO_ROOT, SOURCE_JSON)}); no network work`);
    return previous;
  }
  return fetchAndExtract();
}

/** The absolute path of the `Modules/` folder of an extracted source. */
export function modulesDirOf(record: SourceRecord): string {
  return path.join(CACHE_DIR, record.directory, 'Modules');
}

/** The absolute path of the extracted CPython 3.11 `Modules/` folder, fetching it first if needed. */
export async function cpythonModulesDir(): Promise<string> {
  return modulesDirOf(await cpythonSource());
}

if (import.meta.main) {
  try {
    process.stdout.write((await cpythonModulesDir()) + '\n');
  } catch (error) {
    process.stderr.write(`fetch-cpython-source: ${error instanceof FetchError ? error.message : (error as Error).stack}\n`);
    process.exitCode = 1;
  }
}
