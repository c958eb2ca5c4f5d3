import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../scripts/lib/errors.ts';
import { parseStableAbiDat, parseStableAbiToml } from '../scripts/sources/stable-abi.ts';
import type { StableAbiEntry } from '../scripts/sources/stable-abi.ts';
import { sourceErrorOf } from './helpers/source-error.ts';
import { describeSnapshot, SNAPSHOT_DIR } from './helpers/snapshot.ts';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/stable-abi');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function label(name: string): string {
  return `fixtures/stable-abi/${name}`;
}

function entry(partial: Partial<StableAbiEntry> & Pick<StableAbiEntry, 'name' | 'role' | 'added'>): StableAbiEntry {
  return { ifdef: null, abiOnly: false, structAbiKind: null, members: null, ...partial };
}

describe('parseStableAbiDat', () => {
  it('normalises the 3.11 role names and folds member rows into their struct', () => {
    const entries = parseStableAbiDat(fixture('roles-3.11.dat'), label('roles-3.11.dat'));
    expect([...entries.values()]).toEqual([
      entry({ name: 'PyList_GetItem', role: 'function', added: '3.2' }),
      entry({ name: 'PyErr_SetFromWindowsErr', role: 'function', added: '3.7', ifdef: 'on Windows' }),
      entry({ name: 'PyOS_AfterFork_Child', role: 'function', added: '3.7', ifdef: 'on platforms with fork()' }),
      entry({ name: 'PyList_Type', role: 'data', added: '3.2' }),
      entry({ name: 'PyObject', role: 'struct', added: '3.2', structAbiKind: 'members', members: ['ob_refcnt', 'ob_type'] }),
      entry({ name: 'PyMethodDef', role: 'struct', added: '3.2', structAbiKind: 'full-abi' }),
      entry({ name: 'PyTypeObject', role: 'struct', added: '3.2', structAbiKind: 'opaque' }),
      entry({ name: 'PyCFunction', role: 'typedef', added: '3.2' }),
      entry({ name: 'Py_BEGIN_ALLOW_THREADS', role: 'macro', added: '3.2' }),
    ]);
    expect(entries.has('PyObject.ob_refcnt')).toBe(false);
  });

  it('normalises the 3.13 role names and reads quoted CSV fields', () => {
    const entries = parseStableAbiDat(fixture('roles-3.13.dat'), label('roles-3.13.dat'));
    expect(entries.get('METH_CLASS')?.role).toBe('macro');
    expect(entries.get('PyList_GetItemRef')).toEqual(entry({ name: 'PyList_GetItemRef', role: 'function', added: '3.13' }));
    expect(entries.get('PyList_Type')?.role).toBe('data');
    expect(entries.get('PyVarObject')?.members).toEqual(['ob_base', 'ob_size']);
    expect(entries.get('Py_buffer')).toMatchObject({ role: 'struct', structAbiKind: 'full-abi', added: '3.11' });
    expect(entries.get('PyQuoted_Name')?.ifdef).toBe('on platforms with a, comma');
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const text = fixture('roles-3.13.dat');
    const expected = parseStableAbiDat(text, 'lf');
    expect(parseStableAbiDat(`\uFEFF${text.replace(/\n/g, '\r\n')}`, 'crlf')).toEqual(expected);
  });

  it.each([
    ['bad-header.dat', 1, 'role,name,added,ifdef_note,struct_abi_kind'],
    ['unknown-role.dat', 3, 'unknown role "enumerator"'],
    ['bad-added.dat', 3, '"three"'],
    ['duplicate.dat', 4, 'lines 2 and 4'],
    ['wrong-field-count.dat', 3, 'expected 5 fields'],
    ['orphan-member.dat', 3, 'PyTypeObject.tp_name'],
  ])('%s → SourceError at line %i', (name, line, text) => {
    const error = sourceErrorOf(() => parseStableAbiDat(fixture(name), label(name)));
    expect(error.line).toBe(line);
    expect(error.message).toContain(`${label(name)}:${line}: `);
    expect(error.message).toContain(text);
  });

  it('rejects malformed quoting and struct_abi_kind on a non-type row', () => {
    const header = 'role,name,added,ifdef_note,struct_abi_kind\n';
    expect(sourceErrorOf(() => parseStableAbiDat(`${header}func,"PyX,3.2,,\n`, 'q')).message).toContain('q:2: ');
    expect(sourceErrorOf(() => parseStableAbiDat(`${header}func,PyX,3.2,,opaque\n`, 'k')).message).toContain('k:2: ');
    expect(sourceErrorOf(() => parseStableAbiDat(`${header}type,PyX,3.2,,abi-only\n`, 'k')).message).toContain('"abi-only"');
    expect(sourceErrorOf(() => parseStableAbiDat('', 'empty')).message).toContain('empty:1: ');
  });
});

describe('parseStableAbiToml', () => {
  const entries = parseStableAbiToml(fixture('items.toml'), label('items.toml'));

  it('reads every item kind, in file order', () => {
    expect([...entries.keys()]).toEqual([
      'MS_WINDOWS',
      'HAVE_FORK',
      'PyObject',
      'PyTypeObject',
      'PyList_GetItem',
      'PyList_Type',
      'Py_tp_new',
      'Py_BEGIN_ALLOW_THREADS',
      'PyCFunction',
      'PyErr_SetFromWindowsErr',
      '_Py_Dealloc',
      'Py_buffer',
      'PyList_GetItemRef',
    ]);
    expect(entries.get('PyObject')).toEqual(
      entry({ name: 'PyObject', role: 'struct', added: '3.2', structAbiKind: 'members', members: ['ob_refcnt', 'ob_type'] }),
    );
    expect(entries.get('PyTypeObject')).toEqual(entry({ name: 'PyTypeObject', role: 'struct', added: '3.2', structAbiKind: 'opaque' }));
    expect(entries.get('Py_tp_new')?.role).toBe('const');
    expect(entries.get('Py_BEGIN_ALLOW_THREADS')?.role).toBe('macro');
    expect(entries.get('PyCFunction')?.role).toBe('typedef');
    expect(entries.get('PyList_Type')?.role).toBe('data');
  });

  it('keeps feature macros with added "" and resolves ifdef to their names', () => {
    expect(entries.get('MS_WINDOWS')).toEqual(entry({ name: 'MS_WINDOWS', role: 'feature_macro', added: '' }));
    expect(entries.get('PyErr_SetFromWindowsErr')).toEqual(
      entry({ name: 'PyErr_SetFromWindowsErr', role: 'function', added: '3.7', ifdef: 'MS_WINDOWS' }),
    );
  });

  it('reads abi_only', () => {
    expect(entries.get('_Py_Dealloc')).toEqual(entry({ name: '_Py_Dealloc', role: 'function', added: '3.2', abiOnly: true }));
    expect(entries.get('PyList_GetItem')?.abiOnly).toBe(false);
  });

  it('accepts CRLF line endings', () => {
    const text = fixture('items.toml');
    expect(parseStableAbiToml(text.replace(/\n/g, '\r\n'), 'crlf')).toEqual(entries);
  });

  it.each([
    ['syntax-error.toml', 3, 'expected valid TOML'],
    ['unknown-kind.toml', 3, 'unknown top-level item kind "enumerator"'],
    ['bad-added.toml', 3, "like '3.2'"],
    ['duplicate.toml', 4, '(line 1)'],
    ['unknown-ifdef.toml', 3, "ifdef = 'HAVE_FORK'"],
    ['bad-struct-abi-kind.toml', 3, '"abi-only"'],
    ['unknown-key.toml', 1, '"removed"'],
  ])('%s → SourceError at line %i', (name, line, text) => {
    const error = sourceErrorOf(() => parseStableAbiToml(fixture(name), label(name)));
    expect(error.line).toBe(line);
    expect(error.message).toContain(`${label(name)}:${line}: `);
    expect(error.message).toContain(text);
  });

  it('rejects members without struct_abi_kind "members", and a missing members list', () => {
    const extra = "[struct.PyX]\n    added = '3.2'\n    struct_abi_kind = 'opaque'\n    members = ['a']\n";
    expect(sourceErrorOf(() => parseStableAbiToml(extra, 'm')).message).toContain('m:1: ');
    const missing = "\n[struct.PyX]\n    added = '3.2'\n    struct_abi_kind = 'members'\n";
    expect(sourceErrorOf(() => parseStableAbiToml(missing, 'm')).message).toContain('m:2: ');
  });
});

describeSnapshot('stable ABI: real CPython files', () => {
  const read = (v: string, file: string) => {
    const full = path.join(SNAPSHOT_DIR, v, 'src', file);
    return [readFileSync(full, 'utf8'), full] as const;
  };
  // Read before the tests run, not while they are collected (which happens for skipped blocks too).
  let dat311: ReturnType<typeof parseStableAbiDat>;
  let dat313: ReturnType<typeof parseStableAbiDat>;
  let toml311: ReturnType<typeof parseStableAbiToml>;
  let toml313: ReturnType<typeof parseStableAbiToml>;
  beforeAll(() => {
    dat311 = parseStableAbiDat(...read('3.11', 'Doc/data/stable_abi.dat'));
    dat313 = parseStableAbiDat(...read('3.13', 'Doc/data/stable_abi.dat'));
    toml311 = parseStableAbiToml(...read('3.11', 'Misc/stable_abi.toml'));
    toml313 = parseStableAbiToml(...read('3.13', 'Misc/stable_abi.toml'));
  });

  it('parses both .dat files, which share PyList_GetItem', () => {
    // 3.11: 886 rows, 3.13: 1062 rows, minus 4 member rows each.
    expect(dat311.size).toBe(882);
    expect(dat313.size).toBe(1058);
    for (const dat of [dat311, dat313]) {
      expect(dat.get('PyList_GetItem')).toEqual(entry({ name: 'PyList_GetItem', role: 'function', added: '3.2' }));
      expect(dat.get('PyObject')?.members).toEqual(['ob_refcnt', 'ob_type']);
    }
    expect(dat313.get('PyList_GetItemRef')?.added).toBe('3.13');
    expect(dat311.has('PyList_GetItemRef')).toBe(false);
  });

  it('parses both toml files', () => {
    expect(toml313.get('PyList_GetItem')).toEqual(entry({ name: 'PyList_GetItem', role: 'function', added: '3.2' }));
    expect([...toml313.values()].some((e) => e.abiOnly)).toBe(true);
    expect(toml313.get('PyErr_SetFromWindowsErr')?.ifdef).toBe('MS_WINDOWS');
    expect(toml313.get('Py_TRACE_REFS')?.role).toBe('feature_macro');
    expect(toml311.get('PyVarObject')?.members).toEqual(['ob_base', 'ob_size']);
    expect(toml311.size).toBeGreaterThan(1000);
  });

  it('every Limited API item of the 3.13 toml is in the 3.13 .dat with the same role and version', () => {
    const mismatches: string[] = [];
    for (const t of toml313.values()) {
      if (t.abiOnly || t.role === 'feature_macro') continue;
      const d = dat313.get(t.name);
      // The .dat spells toml `const` items as the Sphinx role `macro`.
      const role = t.role === 'const' ? 'macro' : t.role;
      if (d === undefined || d.role !== role || d.added !== t.added || d.abiOnly) mismatches.push(t.name);
    }
    expect(mismatches).toEqual([]);
    expect([...dat313.keys()].filter((n) => toml313.get(n)?.abiOnly !== false)).toEqual([]);
  });
});

describe('stable ABI: properties', () => {
  const edits = (length: number) =>
    fc.array(fc.record({ at: fc.nat(length), remove: fc.nat(4), insert: fc.string({ maxLength: 4 }) }), {
      minLength: 1,
      maxLength: 6,
    });

  function mangle(base: string, list: Array<{ at: number; remove: number; insert: string }>): string {
    let text = base;
    for (const { at, remove, insert } of list) {
      const pos = Math.min(at, text.length);
      text = text.slice(0, pos) + insert + text.slice(pos + remove);
    }
    return text;
  }

  function onlySourceError(parse: () => unknown): void {
    try {
      parse();
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
    }
  }

  it('mangled .dat either parses or throws SourceError with a line', () => {
    const base = fixture('roles-3.11.dat') + fixture('roles-3.13.dat').split('\n').slice(1).join('\n');
    fc.assert(
      fc.property(edits(base.length), (list) => {
        const text = mangle(base, list);
        try {
          parseStableAbiDat(text, 'prop.dat');
        } catch (error) {
          if (!(error instanceof SourceError)) throw error;
          expect(error.message.startsWith(`prop.dat:${error.line}: `)).toBe(true);
          expect(error.line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary rows after a valid header either parse or throw SourceError', () => {
    const row = fc
      .array(fc.oneof(fc.constantFrom(',', '"', 'member', 'type', 'func', '3.2', 'members', 'Py.x', '\n'), fc.string({ maxLength: 6 })), {
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) =>
        onlySourceError(() => parseStableAbiDat(['role,name,added,ifdef_note,struct_abi_kind', ...rows].join('\n'), 'prop.dat')),
      ),
      { numRuns: 300 },
    );
  });

  it('mangled toml either parses or throws SourceError', () => {
    const base = fixture('items.toml');
    fc.assert(
      fc.property(edits(base.length), (list) => onlySourceError(() => parseStableAbiToml(mangle(base, list), 'prop.toml'))),
      { numRuns: 300 },
    );
  });

  it('arbitrary TOML-ish text either parses or throws SourceError', () => {
    const piece = fc.oneof(
      fc.constantFrom('[', ']', '.', '=', "'", '"', '\n', '{', '}', 'function', 'struct', 'added', "'3.2'", 'members', '[]', 'true', '__proto__'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => onlySourceError(() => parseStableAbiToml(parts.join(''), 'prop.toml'))),
      { numRuns: 300 },
    );
  });
});
