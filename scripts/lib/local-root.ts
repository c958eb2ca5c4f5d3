import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from './errors.ts';
import { checkRelativePath, toFetchedFile } from './source-root.ts';
import type { FetchedFile, SourceRoot } from './source-root.ts';

const ROOT_REMEDY =
  'Check the --docs/--src option, or that the offline snapshot exists at ../shared/cpython (e.g. ../shared/cpython/3.13/docs/)';

/** A snapshot folder on disk, such as ../shared/cpython/3.13/src/. */
export class LocalRoot implements SourceRoot {
  readonly base: string;

  constructor(folder: string) {
    const absolute = path.resolve(folder);
    this.base = absolute.endsWith(path.sep) ? absolute : absolute + path.sep;
  }

  async read(relativePath: string): Promise<FetchedFile | null> {
    checkRelativePath(this.base, relativePath);
    const file = path.resolve(this.base, relativePath);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      const code = errorCode(cause);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        // A missing file is normal for some versions, a missing root is a wrong option:
        // telling them apart here keeps a typo in --docs from looking like an empty dataset.
        await this.#assertRootIsFolder();
        return null;
      }
      if (code === 'EISDIR') {
        throw new SourceError(
          file,
          'expected a file, but this path is a folder',
          'Check the relative path the caller asked for; it must name a file under the root',
          { cause },
        );
      }
      throw new SourceError(file, `could not be read (${code ?? String(cause)})`, 'Check that the file is readable', {
        cause,
      });
    }
    return toFetchedFile(file, bytes);
  }

  async #assertRootIsFolder(): Promise<void> {
    let isFolder: boolean;
    try {
      // Without the trailing separator, so that a root which is a file stats as a file.
      isFolder = (await stat(path.resolve(this.base))).isDirectory();
    } catch (cause) {
      throw new SourceError(this.base, 'expected a source folder here, but it does not exist', ROOT_REMEDY, { cause });
    }
    if (!isFolder) {
      throw new SourceError(this.base, 'expected a source folder here, but it is a file', ROOT_REMEDY);
    }
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
