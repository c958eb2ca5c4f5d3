/** What CPython's headers declare on this machine, read with gcc's preprocessor (Windows-only names are absent). */
import { spawnSync } from 'node:child_process';

export const PYTHON_311_INCLUDE = '/usr/include/python3.11';

/** Macros the headers define, and every identifier of the preprocessed headers. */
export function declaredNames(headers: string, includeDir = PYTHON_311_INCLUDE): Set<string> {
  const gcc = (args: string[]) => spawnSync('gcc', [...args, `-I${includeDir}`, '-x', 'c', '-'], { input: headers, encoding: 'utf8', maxBuffer: 64 << 20 });
  const macros = gcc(['-E', '-dM']).stdout.split('\n').map((l) => l.split(/[\s(]/)[1] ?? '');
  return new Set([...macros, ...(gcc(['-E']).stdout.match(/\b[A-Za-z_]\w*\b/g) ?? [])]);
}
