/**
 * CPython 3.11's `Modules/` folder as the checker benchmarks read it: every .c and .h file under it,
 * without the vendored third-party code, which is not CPython's use of its own C-API.
 * Shared by measure-speed.ts and measure-noise.ts.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cpythonModulesDir, cpythonSource, modulesDirOf, type SourceRecord } from './fetch-cpython-source.ts';

export { cpythonModulesDir, cpythonSource, modulesDirOf, type SourceRecord };

/** Paths relative to `Modules/` (`*` matches within one path segment); a folder excludes all below it. */
export const VENDORED: readonly { readonly pattern: string; readonly what: string }[] = [
  { pattern: '_decimal/libmpdec', what: 'libmpdec' },
  { pattern: 'expat', what: 'Expat' },
  { pattern: '_ctypes/libffi*', what: 'libffi (libffi_osx, libffi_msvc)' },
  { pattern: 'zlib', what: 'zlib' },
  { pattern: '_blake2/impl', what: 'BLAKE2 reference code' },
  { pattern: '_sha3/kcp', what: 'Keccak Code Package (3.10 and earlier)' },
  { pattern: '_sha3/sha3.[ch]', what: 'tiny_sha3 (3.11)' },
  { pattern: '_hacl', what: 'HACL* (3.12 and later)' },
  { pattern: '_ctypes/darwin', what: 'dlfcn for old macOS' },
];

/** `*` matches within one path segment and `[ch]` is a character class; everything else is literal. */
function patternRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${body}(?:/.*)?$`);
}

const C_FILE = /\.(c|h)$/;

export interface ExcludedGroup {
  pattern: string;
  what: string;
  files: number;
  lines: number;
}

export interface ModulesSelection {
  /** The Debian source package the folder comes from. */
  source: SourceRecord;
  /** Absolute path of `Modules/`. */
  dir: string;
  /** Absolute paths of the .c and .h files kept, sorted. */
  files: string[];
  lines: number;
  /** Every pattern, with what it removed (0 files when the folder is not in this version). */
  excluded: ExcludedGroup[];
}

/** Number of '\n' in a file. */
export async function countLines(file: string): Promise<number> {
  const bytes = await readFile(file);
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile() && C_FILE.test(entry.name)) out.push(full);
  }
}

/** The .c and .h files of CPython 3.11's `Modules/` minus the vendored code, fetching the source if needed. */
export async function cpythonModuleFiles(): Promise<ModulesSelection> {
  const source = await cpythonSource();
  const dir = modulesDirOf(source);
  const all: string[] = [];
  await walk(dir, all);
  all.sort();
  const groups = VENDORED.map((v) => ({ ...v, re: patternRegExp(v.pattern), files: 0, lines: 0 }));
  const files: string[] = [];
  let lines = 0;
  for (const file of all) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const group = groups.find((g) => g.re.test(relative));
    const n = await countLines(file);
    if (group) {
      group.files++;
      group.lines += n;
    } else {
      files.push(file);
      lines += n;
    }
  }
  return { source, dir, files, lines, excluded: groups.map(({ pattern, what, files: f, lines: l }) => ({ pattern, what, files: f, lines: l })) };
}

export function describeExcluded(excluded: readonly ExcludedGroup[]): string {
  return excluded
    .map((g) => `Modules/${g.pattern} (${g.what}): ${g.files ? `${g.files} files, ${g.lines} lines` : 'not present'}`)
    .join('; ');
}
