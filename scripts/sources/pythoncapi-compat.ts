/**
 * Pure: which C-API names CPython's compatibility header project, pythoncapi-compat, provides to code built for
 * older Pythons, read from its pythoncapi_compat.h and its docs/api.rst. A name counts when the header defines it
 * (`static inline T Name(`, `#define Name`) inside an `#if` that tests `PY_VERSION_HEX < 0x...`: the header
 * provides it below that version. Names with a leading underscore are the header's own helpers.
 */
import { SourceError } from '../lib/errors.ts';
export interface CompatApi {
  readonly name: string;
  /** The header provides it when built for a Python older than this ('3.13'). */
  readonly before: string;
  /** The header's line that defines it. */
  readonly line: number;
}

export interface CompatHeader {
  /** The oldest Python the project supports (docs/api.rst: "Supported Python versions"). */
  readonly oldest: string;
  readonly apis: readonly CompatApi[];
}


/** `0x030D00A1` → '3.13'. */
function hexVersion(hex: string): string {
  const value = Number.parseInt(hex, 16);
  return `${(value >>> 24) & 0xff}.${(value >>> 16) & 0xff}`;
}

const IF = /^#\s*if(n?def)?\b(.*)$/;
const ELSE = /^#\s*(else|elif)\b/;
const ENDIF = /^#\s*endif\b/;
const BELOW = /PY_VERSION_HEX\s*<\s*(0x[0-9A-Fa-f]{8})/;
/** At the start of a line: `static inline T Name(`, `#define Name`, or the name of a definition whose type took the line before. */
const DEFINITION = /^(?:static\s+inline\s+[\w\s*]+?\b([A-Za-z]\w*)\s*\(|#\s*define\s+([A-Za-z]\w*)\b)/;
const TYPE_LINE = /^static\s+inline\b[^(;]*$/;
const NAME_LINE = /^([A-Za-z]\w*)\s*\(/;

export function parseCompatHeader(header: string, apiDocs: string, where = 'pythoncapi_compat.h'): CompatHeader {
  const supported = /Supported Python versions:\s*\n\s*\n\*\s*Python\s+(\d+\.\d+)\s*-\s*\d+\.\d+/.exec(apiDocs);
  if (!supported) throw new SourceError('docs/api.rst', 'expected a "Supported Python versions:" list starting "* Python X.Y - X.Y"', 'The docs changed: update parseCompatHeader.');
  // Per open #if: the version it tests below, if any; an #else branch is the opposite case, so it tests none.
  const stack: (string | null)[] = [];
  const apis = new Map<string, CompatApi>();
  let typeAbove = false;
  header.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const afterType = typeAbove;
    typeAbove = TYPE_LINE.test(raw);
    const opened = IF.exec(line);
    if (opened) {
      stack.push(opened[1] ? null : (BELOW.exec(opened[2]!)?.[1] ?? null));
      return;
    }
    if (ELSE.test(line)) {
      if (stack.length === 0) throw new SourceError(where, '#else or #elif without #if', 'Is it pythoncapi_compat.h?', { line: i + 1 });
      stack[stack.length - 1] = null;
      return;
    }
    if (ENDIF.test(line)) {
      if (stack.pop() === undefined) throw new SourceError(where, '#endif without #if', 'Is it pythoncapi_compat.h?', { line: i + 1 });
      return;
    }
    const defined = DEFINITION.exec(raw.replace(/^#\s+/, '#')) ?? (afterType ? NAME_LINE.exec(raw) : null);
    const name = defined?.[1] ?? defined?.[2];
    if (!name) return;
    const below = [...stack].reverse().find((v) => v !== null);
    // The first definition counts: a later one for the same name is the same API for another case.
    if (below && !apis.has(name)) apis.set(name, { name, before: hexVersion(below), line: i + 1 });
  });
  if (stack.length > 0) throw new SourceError(where, `${stack.length} #if without #endif at the end of the file`, 'Is the file complete?');
  if (apis.size === 0) throw new SourceError(where, 'no definition under a PY_VERSION_HEX test', 'It is not the header this parser reads: update parseCompatHeader.');
  return { oldest: supported[1]!, apis: [...apis.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}
