/**
 * Deterministic JSON and all-or-nothing writes: the dataset is compared byte for byte with what the code
 * produces, and a failed run must never leave a half-written file behind.
 */
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from './errors.ts';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Replaces every file or none. Each text is first written to a temporary sibling; then the files it replaces are
 * moved aside and the new ones moved in. If any step fails, what was moved aside is put back and the temporaries
 * are removed, so a failed run leaves the previous outputs exactly as they were.
 */
export async function writeFilesAtomically(files: ReadonlyMap<string, string>): Promise<void> {
  const suffix = `${process.pid}.${Date.now()}`;
  const staged: { file: string; temporary: string; backup: string; hadFile: boolean }[] = [];
  const failure = (file: string, cause: unknown): SourceError =>
    new SourceError(file, `could not write the output (${(cause as Error).message})`, 'Check that the output folder exists, is writable and that nothing else holds this path (a folder of the same name, say); no output was changed.', { cause });
  try {
    for (const [file, text] of files) {
      const entry = { file, temporary: `${file}.${suffix}.tmp`, backup: `${file}.${suffix}.bak`, hadFile: false };
      staged.push(entry);
      try {
        const existing = await lstat(file).catch(() => null);
        if (existing && !existing.isFile()) throw new Error('it exists and is not a regular file');
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(entry.temporary, text);
      } catch (cause) {
        throw failure(file, cause);
      }
    }
    const moved: typeof staged = [];
    try {
      for (const entry of staged) {
        entry.hadFile = await rename(entry.file, entry.backup).then(() => true, (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw failure(entry.file, error);
        });
        moved.push(entry);
        await rename(entry.temporary, entry.file).catch((error: unknown) => { throw failure(entry.file, error); });
      }
    } catch (error) {
      for (const entry of moved.reverse()) {
        await rm(entry.file, { force: true }).catch(() => undefined);
        if (entry.hadFile) await rename(entry.backup, entry.file);
      }
      throw error;
    }
  } finally {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
  }
  await Promise.all(staged.filter((entry) => entry.hadFile).map(({ backup }) => rm(backup, { force: true })));
}

/** The files whose content differs from what is on disk (a missing file differs). */
export async function findStaleFiles(files: ReadonlyMap<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, text] of files) {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current !== text) stale.push(file);
  }
  return stale;
}
