/**
 * Reads the public headers of a CPython source root by following #include from Python.h and the public headers
 * an extension includes on its own, the way the docs are crawled from their index: a URL root cannot be listed.
 */
import path from 'node:path';
import type { FetchedFile, SourceRoot } from './source-root.ts';
// The checker's loader: one place that knows where tree-sitter's C grammar is, from source and when packed.
import { loadCParser } from './c-parser.ts';
import { parseHeader, type HeaderDeclaration, type StructLayout } from '../sources/headers.ts';
import { SourceError } from './errors.ts';

/** Public headers that Python.h does not include: an extension includes them itself. */
export const STANDALONE_HEADERS = ['Include/datetime.h', 'Include/frameobject.h', 'Include/marshal.h', 'Include/py_curses.h', 'Include/pyexpat.h', 'Include/structmember.h'];

export interface HeaderSet {
  files: Map<string, FetchedFile | null>;
  declarations: HeaderDeclaration[];
  /** Underscored functions and macros that public macros expand to. */
  helpers: HeaderDeclaration[];
  structs: StructLayout[];
  /** header → lines tree-sitter could not read. */
  unreadable: Map<string, number[]>;
}

/** null when the root has no Include/Python.h: a source root without headers is allowed, and recorded as such. */
export async function readHeaders(src: SourceRoot): Promise<HeaderSet | null> {
  const python = await src.read('Include/Python.h');
  if (!python) return null;
  const parser = await loadCParser();
  const files = new Map<string, FetchedFile | null>([['Include/Python.h', python]]);
  const set: HeaderSet = { files, declarations: [], helpers: [], structs: [], unreadable: new Map() };
  let frontier: string[] = STANDALONE_HEADERS;
  const parse = (header: string, file: FetchedFile): string[] => {
    const parsed = parseHeader(file.text, header, parser);
    set.declarations.push(...parsed.declarations);
    set.helpers.push(...parsed.helpers);
    set.structs.push(...parsed.structs);
    if (parsed.unreadable.length > 0) set.unreadable.set(header, parsed.unreadable);
    const lost = parsed.lost[0];
    if (lost) {
      // A declaration the text shows and the parse did not yield would be missing from the data without a word.
      throw new SourceError(
        `${src.base}${header}:${lost.line}`,
        `expected to read the declaration of ${parsed.lost.map((l) => l.name).join(', ')} (PyAPI_FUNC or PyAPI_DATA), but the C parser lost it, most likely to a syntax error near it`,
        'Nothing was written. Check the header; if it is right, teach scripts/sources/headers.ts the shape of that declaration.',
      );
    }
    // A quoted include is looked for beside the including header first, then in Include/, as the compiler does.
    return parsed.includes.map((include) => `${path.posix.dirname(header)}/${include}|Include/${include}`);
  };
  /** 'a|b': read a, or b if a does not exist; the path read is what counts as seen. */
  const readFirst = async (candidates: string): Promise<[string, FetchedFile | null]> => {
    const [first = '', second] = candidates.split('|');
    const file = await src.read(first);
    if (file || !second || second === first) return [first, file];
    return [second, await src.read(second)];
  };
  const seen = (candidates: string): boolean => candidates.split('|').some((header) => files.has(header));
  // Internal headers are CPython's own, even where a public header includes them under Py_BUILD_CORE.
  const isPublic = (candidates: string): boolean => !candidates.split('|').some((header) => header.includes('/internal/'));
  frontier = [...new Set([...parse('Include/Python.h', python), ...frontier])];
  while (frontier.length > 0) {
    const batch = [...new Set(frontier.filter((candidates) => isPublic(candidates) && !seen(candidates)))];
    const fetched = await Promise.all(batch.map(readFirst));
    const next: string[] = [];
    for (const [header, file] of fetched) {
      if (files.has(header)) continue;
      files.set(header, file);
      if (file) next.push(...parse(header, file));
    }
    frontier = next;
  }
  return set;
}
