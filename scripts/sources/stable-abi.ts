/**
 * Parsers for CPython's two descriptions of the Limited API / Stable ABI:
 * - Doc/data/stable_abi.dat, a CSV generated for the docs (3.11 onwards);
 * - Misc/stable_abi.toml, the hand-maintained source of truth.
 * Pure: text in, data out.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { SourceError } from '../lib/errors.ts';

export type StableAbiRole = 'function' | 'macro' | 'const' | 'data' | 'struct' | 'typedef' | 'feature_macro';

/** The only values CPython 3.11–3.13 use (see the header of Misc/stable_abi.toml). */
export type StructAbiKind = 'full-abi' | 'opaque' | 'members';

export interface StableAbiEntry {
  name: string;
  role: StableAbiRole;
  /** 'X.Y'; '' only for feature_macro items of the toml, which are switches, not APIs. */
  added: string;
  /** toml: the feature macro's name (e.g. MS_WINDOWS); .dat: the note text (e.g. "on Windows"). */
  ifdef: string | null;
  /** Part of the stable ABI but not of the Limited API (toml only; the .dat never lists such items). */
  abiOnly: boolean;
  structAbiKind: StructAbiKind | null;
  /** Exposed members of a struct whose structAbiKind is 'members', else null. */
  members: string[] | null;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VERSION = /^3\.\d+$/;
const STRUCT_ABI_KINDS: ReadonlySet<string> = new Set<StructAbiKind>(['full-abi', 'opaque', 'members']);

function isStructAbiKind(value: string): value is StructAbiKind {
  return STRUCT_ABI_KINDS.has(value);
}

function quote(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Any parsed TOML value, for messages; String() would throw on null-prototype tables. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return quote(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

// ---------------------------------------------------------------------------
// stable_abi.dat

const DAT_HEADER = 'role,name,added,ifdef_note,struct_abi_kind';

/**
 * Roles are Sphinx C-domain roles, and their spelling changed between
 * releases (3.11 `function`/`var`, 3.13 `func`/`data`). `type` covers both
 * structs and typedefs; a struct_abi_kind tells them apart. `member` rows are
 * folded into their struct's `members`.
 */
const DAT_ROLES: Readonly<Record<string, StableAbiRole | 'member' | 'type'>> = {
  function: 'function',
  func: 'function',
  var: 'data',
  data: 'data',
  macro: 'macro',
  type: 'type',
  member: 'member',
};

type CsvSplit = { fields: string[] } | { error: string };

/** RFC 4180 fields on one line; Python's csv writer only quotes when needed. */
function splitCsvLine(line: string): CsvSplit {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return { error: 'unterminated quoted field' };
        const ch = line[i];
        if (ch === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
      if (i < line.length && line[i] !== ',') return { error: 'text after a closing quote' };
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      field = line.slice(i, stop);
      if (field.includes('"')) return { error: 'a quote inside an unquoted field' };
      i = stop;
    }
    fields.push(field);
    if (i >= line.length) return { fields };
    i++; // the comma
  }
}

export function parseStableAbiDat(text: string, file: string): Map<string, StableAbiEntry> {
  const entries = new Map<string, StableAbiEntry>();
  const lineOf = new Map<string, number>();
  const lines = text.split(/\r\n|\r|\n/);

  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').trim();
  if (header !== DAT_HEADER) {
    throw new SourceError(
      file,
      `expected the CSV header "${DAT_HEADER}", found ${quote(header)}`,
      'Check that this is Doc/data/stable_abi.dat; if its columns changed, update scripts/sources/stable-abi.ts',
      { line: 1 },
    );
  }

  for (let index = 1; index < lines.length; index++) {
    const line = index + 1;
    const raw = lines[index] ?? '';
    if (raw.trim() === '') continue;
    // Annotated so that TypeScript narrows after calls to it.
    const fail: (problem: string, remedy?: string) => never = (problem, remedy = 'Fix the row') => {
      throw new SourceError(file, problem, remedy, { line });
    };

    const split = splitCsvLine(raw);
    if ('error' in split) fail(`malformed CSV row (${split.error}): ${quote(raw)}`);
    const fields = split.fields.map((f) => f.trim());
    if (fields.length !== 5) {
      fail(`expected 5 fields (${DAT_HEADER}), found ${fields.length} in ${quote(raw)}`);
    }
    const [roleField = '', name = '', added = '', ifdefNote = '', kindField = ''] = fields;

    const role = Object.hasOwn(DAT_ROLES, roleField) ? DAT_ROLES[roleField] : undefined;
    if (role === undefined) {
      fail(
        `unknown role ${quote(roleField)}; expected one of ${Object.keys(DAT_ROLES).join(', ')}`,
        'If Sphinx role names changed again, add the new spelling to DAT_ROLES in scripts/sources/stable-abi.ts',
      );
    }
    if (!VERSION.test(added)) {
      fail(`expected "added" to be a version like 3.2, found ${quote(added)} for ${quote(name)}`);
    }
    if (kindField !== '' && (role !== 'type' || !isStructAbiKind(kindField))) {
      fail(
        `unexpected struct_abi_kind ${quote(kindField)} for ${role} ${quote(name)}; ` +
          `expected one of ${[...STRUCT_ABI_KINDS].join(', ')} on a type row, or empty`,
      );
    }

    if (role === 'member') {
      const dot = name.indexOf('.');
      const parentName = name.slice(0, dot);
      const member = name.slice(dot + 1);
      if (dot === -1 || !IDENTIFIER.test(parentName) || !IDENTIFIER.test(member)) {
        fail(`expected a member name like Struct.member, found ${quote(name)}`);
      }
      const parent = entries.get(parentName);
      if (parent === undefined || parent.members === null) {
        fail(
          `member ${quote(name)} does not follow a type row for ${parentName} with struct_abi_kind "members"`,
          'Put member rows after their struct, whose struct_abi_kind must be "members"',
        );
      }
      if (parent.members.includes(member)) fail(`member ${quote(name)} is listed twice`);
      parent.members.push(member);
      continue;
    }

    if (!IDENTIFIER.test(name)) fail(`expected a C identifier as name, found ${quote(name)}`);
    const earlier = lineOf.get(name);
    if (earlier !== undefined) {
      fail(`${name} is listed twice, at lines ${earlier} and ${line}`, 'Remove one of the two rows');
    }

    const structAbiKind = kindField === '' || !isStructAbiKind(kindField) ? null : kindField;
    entries.set(name, {
      name,
      role: role === 'type' ? (structAbiKind === null ? 'typedef' : 'struct') : role,
      added,
      ifdef: ifdefNote === '' ? null : ifdefNote,
      abiOnly: false,
      structAbiKind,
      members: structAbiKind === 'members' ? [] : null,
    });
    lineOf.set(name, line);
  }

  return entries;
}

// ---------------------------------------------------------------------------
// stable_abi.toml

const TOML_KINDS: readonly StableAbiRole[] = ['struct', 'function', 'const', 'macro', 'data', 'typedef', 'feature_macro'];

/**
 * Keys the file's header documents. Anything else is rejected: the format
 * "is not fixed", and a new key might change what an item means.
 */
const ITEM_KEYS = new Set(['added', 'ifdef', 'abi_only']);
const STRUCT_KEYS = new Set([...ITEM_KEYS, 'struct_abi_kind', 'members']);
const FEATURE_MACRO_KEYS = new Set(['doc', 'windows']);

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** smol-toml reports no positions for values, so item lines come from their `[kind.name]` headers. */
function headerLines(text: string): Map<string, number> {
  const result = new Map<string, number>();
  const lines = text.split(/\r\n|\r|\n/);
  // `[kind.name]`, or `[kind.name.more]` when an edit turned a key into a subtable.
  const header = /^\s*\[\s*([A-Za-z0-9_-]+)\s*\.\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[\].]/;
  lines.forEach((l, i) => {
    const m = header.exec(l);
    if (m === null) return;
    const key = `${m[1]}.${m[2] ?? m[3] ?? m[4]}`;
    if (!result.has(key)) result.set(key, i + 1);
  });
  return result;
}

/** First line that mentions a top-level key, as a table header or as `key = …`. */
function kindLine(text: string, kind: string): number | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const index = lines.findIndex((l) => {
    const t = l.trimStart();
    return t.startsWith(`[${kind}`) || t.startsWith(`${kind}.`) || (t.startsWith(kind) && /^\s*=/.test(t.slice(kind.length)));
  });
  return index === -1 ? undefined : index + 1;
}

interface Located {
  entry: StableAbiEntry;
  line: number | undefined;
}

/**
 * feature_macro items (MS_WINDOWS, HAVE_FORK, …) are kept with role
 * 'feature_macro' and added '' so that ifdef values can be resolved; filter
 * them out when only APIs are wanted.
 */
export function parseStableAbiToml(text: string, file: string): Map<string, StableAbiEntry> {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new SourceError(file, `expected valid TOML: ${message}`, 'Fix the TOML syntax at that point', {
      line,
      cause: error,
    });
  }

  const lines = headerLines(text);
  const items: Located[] = [];
  const featureMacros = new Set<string>();
  const ifdefs: { name: string; ifdef: string; line: number | undefined }[] = [];

  for (const [kind, table] of Object.entries(doc)) {
    const role = TOML_KINDS.find((k) => k === kind);
    if (role === undefined) {
      throw new SourceError(
        file,
        `unknown top-level item kind ${quote(kind)}; expected one of ${TOML_KINDS.join(', ')}`,
        'If stable_abi.toml gained a new kind, teach scripts/sources/stable-abi.ts about it',
        { line: kindLine(text, kind) },
      );
    }
    if (!isTable(table)) {
      throw new SourceError(file, `expected [${kind}.NAME] tables, found a plain value for ${quote(kind)}`, 'Fix the item', {
        line: kindLine(text, kind),
      });
    }

    for (const [name, item] of Object.entries(table)) {
      const line = lines.get(`${kind}.${name}`);
      const fail: (problem: string, remedy?: string) => never = (problem, remedy = `Fix the [${kind}.${name}] item`) => {
        throw new SourceError(file, problem, remedy, { line });
      };
      if (!IDENTIFIER.test(name)) fail(`expected a C identifier as item name, found ${quote(name)}`);
      if (!isTable(item)) fail(`expected [${kind}.${name}] to be a table`);

      const allowed = role === 'feature_macro' ? FEATURE_MACRO_KEYS : role === 'struct' ? STRUCT_KEYS : ITEM_KEYS;
      for (const key of Object.keys(item)) {
        if (!allowed.has(key)) {
          fail(
            `unexpected key ${quote(key)} in [${kind}.${name}]; expected only ${[...allowed].join(', ')}`,
            'If stable_abi.toml gained a new key, teach scripts/sources/stable-abi.ts what it means',
          );
        }
      }

      if (role === 'feature_macro') {
        const { doc: blurb, windows } = item;
        if (blurb !== undefined && typeof blurb !== 'string') fail(`expected "doc" of ${name} to be a string`);
        if (windows !== undefined && windows !== true && windows !== false && windows !== 'maybe') {
          fail(`expected "windows" of ${name} to be true, false or 'maybe'`);
        }
        featureMacros.add(name);
        items.push({
          line,
          entry: { name, role, added: '', ifdef: null, abiOnly: false, structAbiKind: null, members: null },
        });
        continue;
      }

      const { added, ifdef, abi_only: abiOnly, struct_abi_kind: kindValue, members } = item;
      if (typeof added !== 'string' || !VERSION.test(added)) {
        fail(`expected "added" of ${name} to be a version string like '3.2', found ${show(added)}`);
      }
      if (ifdef !== undefined && (typeof ifdef !== 'string' || !IDENTIFIER.test(ifdef))) {
        fail(`expected "ifdef" of ${name} to name a feature macro, found ${show(ifdef)}`);
      }
      if (abiOnly !== undefined && typeof abiOnly !== 'boolean') {
        fail(`expected "abi_only" of ${name} to be true or false`);
      }
      let structAbiKind: StructAbiKind | null = null;
      if (kindValue !== undefined) {
        if (typeof kindValue !== 'string' || !isStructAbiKind(kindValue)) {
          fail(`unknown struct_abi_kind ${show(kindValue)} for ${name}; expected one of ${[...STRUCT_ABI_KINDS].join(', ')}`);
        }
        structAbiKind = kindValue;
      }
      let memberList: string[] | null = null;
      if (structAbiKind === 'members') {
        if (!Array.isArray(members) || !members.every((m) => typeof m === 'string' && IDENTIFIER.test(m))) {
          fail(`expected "members" of ${name} to be a list of member names, as struct_abi_kind is 'members'`);
        }
        memberList = [...members];
      } else if (members !== undefined) {
        fail(`"members" of ${name} is only meaningful with struct_abi_kind = 'members'`);
      }

      if (typeof ifdef === 'string') ifdefs.push({ name, ifdef, line });
      items.push({
        line,
        entry: {
          name,
          role,
          added,
          ifdef: typeof ifdef === 'string' ? ifdef : null,
          abiOnly: abiOnly === true,
          structAbiKind,
          members: memberList,
        },
      });
    }
  }

  for (const { name, ifdef, line } of ifdefs) {
    if (!featureMacros.has(ifdef)) {
      throw new SourceError(
        file,
        `${name} has ifdef = '${ifdef}', which is not a declared [feature_macro.${ifdef}]`,
        `Declare [feature_macro.${ifdef}] or fix the ifdef of ${name}`,
        { line },
      );
    }
  }

  // Object key order groups items by kind; header lines restore file order.
  const ordered = items
    .map((item, i) => ({ ...item, i }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || a.i - b.i);
  const entries = new Map<string, StableAbiEntry>();
  const lineOf = new Map<string, { kind: string; line: number | undefined }>();
  for (const { entry, line } of ordered) {
    const earlier = lineOf.get(entry.name);
    if (earlier !== undefined) {
      throw new SourceError(
        file,
        `${entry.name} is declared twice: as [${earlier.kind}.${entry.name}] (line ${earlier.line ?? '?'}) and as [${entry.role}.${entry.name}] (line ${line ?? '?'})`,
        'Remove one of the two items',
        { line },
      );
    }
    lineOf.set(entry.name, { kind: entry.role, line });
    entries.set(entry.name, entry);
  }
  return entries;
}
