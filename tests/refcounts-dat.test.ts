import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../scripts/lib/errors.ts';
import { parseRefcountsDat, parseWholeRefcountsDat } from '../scripts/sources/refcounts-dat.ts';
import type { RefcountEffect, RefcountEntry, RefcountParam } from '../scripts/sources/refcounts-dat.ts';
import { normaliseType } from '../scripts/lib/c-declaration.ts';
import { sourceErrorOf } from './helpers/source-error.ts';
import { describeSnapshot, SNAPSHOT_DIR, SNAPSHOT_PRESENT } from './helpers/snapshot.ts';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/refcounts');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function parseFixture(name: string): Map<string, RefcountEntry> {
  return parseRefcountsDat(fixture(name), `fixtures/refcounts/${name}`);
}

function paramsOf(entries: Map<string, RefcountEntry>, fn: string): Array<Pick<RefcountParam, 'name' | 'type' | 'refcount'>> {
  return (entries.get(fn)?.params ?? []).map(({ name, type, refcount }) => ({ name, type, refcount }));
}

describe('parseRefcountsDat: real-format quirks', () => {
  const entries = parseFixture('quirks.dat');

  it('keeps file order and reads return lines and params', () => {
    expect([...entries.keys()]).toEqual([
      'PyBytes_FromFormat',
      'PyDict_GetItemWithError',
      'PyErr_Restore',
      'PyErr_NoMemory',
      'PyFloat_GetInfo',
      'PyImport_AddModule',
      'PyTimeZone_FromOffset',
      'PyCell_Check',
      'PyCapsule_New',
    ]);
    const restore = entries.get('PyErr_Restore');
    expect(restore?.line).toBe(13);
    expect(restore?.returns).toEqual({ type: 'void', refcount: '', comment: '', line: 13 });
    expect(paramsOf(entries, 'PyErr_Restore')).toEqual([
      { name: 'type', type: 'PyObject *', refcount: '-1' },
      { name: 'value', type: 'PyObject *', refcount: '-1' },
      { name: 'traceback', type: 'PyObject *', refcount: '-1' },
    ]);
    expect(restore?.params.map((p) => p.line)).toEqual([14, 15, 16]);
    expect(entries.get('PyErr_NoMemory')?.returns.refcount).toBe('null');
  });

  it('keeps varargs as a parameter named "..."', () => {
    expect(paramsOf(entries, 'PyBytes_FromFormat')).toEqual([
      { name: 'format', type: 'const char *', refcount: '' },
      { name: '...', type: '', refcount: '' },
    ]);
  });

  it('takes everything after the fourth colon as the comment', () => {
    expect(entries.get('PyDict_GetItemWithError')?.returns).toMatchObject({ refcount: '0', comment: '0' });
    expect(entries.get('PyTimeZone_FromOffset')?.params[0]).toMatchObject({
      name: 'offset',
      refcount: '+1',
      comment: 'Reference count not increased if offset is +00:00',
    });
  });

  it('removes spaces before "*" in types', () => {
    const addModule = entries.get('PyImport_AddModule');
    expect(addModule?.returns.type).toBe('PyObject *');
    expect(addModule?.returns.comment).toBe('reference borrowed from sys.modules');
    expect(addModule?.params[0]?.type).toBe('const char *');
    expect(entries.get('PyCapsule_New')?.params[1]?.type).toBe('const char *');
  });

  it('keeps params with an empty type verbatim', () => {
    expect(paramsOf(entries, 'PyCell_Check')).toEqual([{ name: 'ob', type: '', refcount: '' }]);
    expect(paramsOf(entries, 'PyFloat_GetInfo')).toEqual([{ name: 'void', type: '', refcount: '' }]);
    expect(entries.get('PyCapsule_New')?.params[2]?.name).toBe('void (* destructor)(PyObject* )');
  });

  it('ignores trailing whitespace and accepts "...:::" varargs', () => {
    const ws = parseFixture('whitespace-varargs.dat');
    expect(ws.get('PyList_Size')?.returns).toEqual({ type: 'Py_ssize_t', refcount: '', comment: '', line: 1 });
    expect(paramsOf(ws, 'PyList_Size')).toEqual([{ name: 'list', type: 'PyObject *', refcount: '0' }]);
    expect(paramsOf(ws, 'PyErr_Format').at(-1)).toEqual({ name: '...', type: '', refcount: '' });
    // Same again inline, in case an editor strips the fixture's trailing blanks.
    const inline = parseRefcountsDat('F:int:::  \t\nF:PyObject*:o:-1 : note  \n', 'inline');
    expect(inline.get('F')?.params[0]).toEqual({ name: 'o', type: 'PyObject *', refcount: '-1', comment: 'note', line: 2 });
  });

  it('gives the same result for CRLF line endings', () => {
    const lf = fixture('quirks.dat');
    expect(parseRefcountsDat(lf.replace(/\n/g, '\r\n'), 'crlf')).toEqual(parseRefcountsDat(lf, 'lf'));
  });

  it('keeps a param with an empty name inside a block (3.9 has one)', () => {
    const entries39 = parseRefcountsDat('PyImport_ImportFrozenModule:int:::\nPyImport_ImportFrozenModule:const char*:::\n', 'x');
    expect(paramsOf(entries39, 'PyImport_ImportFrozenModule')).toEqual([{ name: '', type: 'const char *', refcount: '' }]);
  });

  it('returns an empty map for a file of comments', () => {
    expect(parseRefcountsDat('# nothing\n\n', 'x').size).toBe(0);
    expect(parseRefcountsDat('', 'x').size).toBe(0);
  });
});

describe('parseRefcountsDat: errors name file, line, expectation and remedy', () => {
  it('rejects a line with fewer than 4 fields', () => {
    const error = sourceErrorOf(() => parseFixture('too-few-fields.dat'));
    expect(error.line).toBe(4);
    expect(error.message).toContain('fixtures/refcounts/too-few-fields.dat:4:');
    expect(error.message).toContain('expected function:type:param:refcount:comment');
  });

  it('rejects an unknown refcount value and names it', () => {
    const error = sourceErrorOf(() => parseFixture('bad-refcount.dat'));
    expect(error.message).toContain('fixtures/refcounts/bad-refcount.dat:5:');
    expect(error.message).toContain('"+2"');
    expect(error.message).toMatch(/\+1, 0, -1, null or empty/);
  });

  it('rejects a block that starts with a parameter line', () => {
    const error = sourceErrorOf(() => parseFixture('param-first.dat'));
    expect(error.message).toContain('fixtures/refcounts/param-first.dat:4:');
    expect(error.message).toContain('PyList_Append');
    expect(error.message).toContain('return-value line');
  });

  it('rejects a function with two blocks, naming both lines', () => {
    const error = sourceErrorOf(() => parseFixture('duplicate-block.dat'));
    expect(error.message).toContain('fixtures/refcounts/duplicate-block.dat:7:');
    expect(error.message).toContain('line 1');
    expect(error.message).toContain('PyList_New');
  });

  it('rejects a line without a function name', () => {
    const error = sourceErrorOf(() => parseRefcountsDat('F:int:::\n:int:x::\n', 'label'));
    expect(error.message).toContain('label:2:');
  });
});

describe('parseWholeRefcountsDat: what the pipeline reads', () => {
  const whole = 'PyList_New:PyObject*::+1:\nPyList_New:Py_ssize_t:len::\n';

  it('reads a whole file', () => {
    expect(parseWholeRefcountsDat(whole, 'refcounts.dat').get('PyList_New')?.returns.refcount).toBe('+1');
  });

  it('rejects an empty file, or one of comments only, naming the file', () => {
    for (const text of ['', '# nothing here\n\n']) {
      const error = sourceErrorOf(() => parseWholeRefcountsDat(text, 'Doc/data/refcounts.dat'));
      expect(error.location).toBe('Doc/data/refcounts.dat');
      expect(error.message).toContain('found none');
    }
  });

  it('rejects a file cut mid-line, naming its last line', () => {
    const error = sourceErrorOf(() => parseWholeRefcountsDat(whole.slice(0, -8), 'Doc/data/refcounts.dat'));
    expect(error.line).toBe(2);
    expect(error.message).toContain('truncated');
  });
});

describeSnapshot('parseRefcountsDat: real CPython files', () => {
  const versions = ['3.9', '3.11', '3.13', '3.14'] as const;
  // Read while the tests are collected, which happens for skipped blocks too: only where the snapshot is.
  const parsed = new Map(
    (SNAPSHOT_PRESENT ? versions : []).map((v) => {
      const file = path.join(SNAPSHOT_DIR, v, 'src/Doc/data/refcounts.dat');
      return [v, parseRefcountsDat(readFileSync(file, 'utf8'), file)] as const;
    }),
  );

  it.each(versions)('%s parses into hundreds of entries with sane returns', (v) => {
    const entries = parsed.get(v);
    // Roughly 770-810 functions in 3.9-3.14.
    expect(entries?.size).toBeGreaterThan(750);
    expect(entries?.get('PyList_GetItem')?.returns.refcount).toBe('0');
    expect(entries?.get('PyList_New')?.returns.refcount).toBe('+1');
    expect(entries?.get('PyErr_Format')?.returns.refcount).toBe('null');
    expect(entries?.get('PyErr_Format')?.params.at(-1)?.name).toBe('...');
  });

  it('3.13: known facts about list, tuple and error functions', () => {
    const e = parsed.get('3.13');
    expect(e?.get('PyList_GetItem')?.returns).toMatchObject({ type: 'PyObject *', refcount: '0' });
    expect(paramsOf(e ?? new Map(), 'PyList_GetItem')).toEqual([
      { name: 'list', type: 'PyObject *', refcount: '0' },
      { name: 'index', type: 'Py_ssize_t', refcount: '' },
    ]);
    expect(e?.get('PyErr_Restore')?.params.map((p) => p.refcount)).toEqual(['-1', '-1', '-1']);
    // refcounts.dat says 0 for the stolen item; the steal is only in the prose.
    expect(e?.get('PyList_SetItem')?.params.find((p) => p.name === 'item')?.refcount).toBe('0');
    expect(e?.get('PyTuple_SetItem')?.returns.type).toBe('int');
    expect(e?.get('PyTuple_SetItem')?.params.map((p) => p.name)).toEqual(['p', 'pos', 'o']);
    expect(e?.get('PyList_GetItemRef')?.returns.refcount).toBe('+1');
    expect(e?.get('PyDict_GetItemWithError')?.returns.comment).toBe('0');
  });

  it('every type is normalised and every refcount is from the allowed set', () => {
    const allowed: ReadonlySet<string> = new Set<RefcountEffect>(['+1', '0', '-1', 'null', '']);
    const bad: string[] = [];
    for (const [v, entries] of parsed) {
      for (const entry of entries.values()) {
        for (const slot of [entry.returns, ...entry.params]) {
          if (slot.type !== normaliseType(slot.type) || /[^\s(*]\*/.test(slot.type) || !allowed.has(slot.refcount)) bad.push(`${v}:${slot.line}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('parseRefcountsDat: properties', () => {
  const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);

  /** Either returns or throws a SourceError that points at a real line of `text`. */
  function parsesOrFailsCleanly(text: string): void {
    try {
      parseRefcountsDat(text, 'prop.dat');
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      const lines = text.split(/\r\n|\r|\n/).length;
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.line).toBeLessThanOrEqual(lines);
      expect(error.message.startsWith(`prop.dat:${error.line}: `)).toBe(true);
    }
  }

  it('arbitrary text either parses or throws SourceError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), parsesOrFailsCleanly), { numRuns: 300 });
  });

  it('mangled lines either parse or throw SourceError', () => {
    const piece = fc.oneof(
      fc.constantFrom(':', '::', ':::', '::::', '#', ' ', '\t', '\r', '\n', '+1', '-1', '0', 'null', '...', '*', 'PyObject *'),
      identifier,
      fc.string({ maxLength: 8 }),
    );
    const line = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    const text = fc.array(line, { maxLength: 20 }).map((lines) => lines.join('\n'));
    fc.assert(fc.property(text, parsesOrFailsCleanly), { numRuns: 300 });
  });

  it('randomly edited fixture either parses or throws SourceError', () => {
    const base = fixture('quirks.dat');
    const edit = fc.record({ at: fc.nat(base.length), remove: fc.nat(4), insert: fc.string({ maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = base;
        for (const { at, remove, insert } of edits) {
          const pos = Math.min(at, text.length);
          text = text.slice(0, pos) + insert + text.slice(pos + remove);
        }
        parsesOrFailsCleanly(text);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips well-formed entries', () => {
    // [normalised type, how it may be written in the file]
    const types: Array<[string, string]> = [
      ['PyObject *', 'PyObject *'],
      ['PyObject *', 'PyObject *'],
      ['const char *', 'const char  *'],
      ['int', 'int'],
      ['Py_ssize_t', 'Py_ssize_t'],
      ['unsigned long long', 'unsigned long long'],
      ['void (*)(PyObject *)', 'void (*)(PyObject *)'],
      ['PyObject **', 'PyObject **'],
      ['', ''],
    ];
    const slot = fc.record({
      type: fc.constantFrom(...types),
      refcount: fc.constantFrom<RefcountEffect>('+1', '0', '-1', 'null', ''),
      // Comments are free text that may contain ':' or '#'; the parser trims them.
      comment: fc
        .array(fc.oneof(fc.constantFrom(':', '#', ' ', '+00:00', 'a'), fc.string({ maxLength: 6 })), { maxLength: 5 })
        .map((parts) => parts.join('').replace(/[\r\n]/g, ' ').trim()),
    });
    const param = fc.record({ name: fc.oneof({ weight: 5, arbitrary: identifier }, fc.constant('...')), slot });
    const entry = fc.record({ returns: slot, params: fc.array(param, { maxLength: 5 }) });
    const file = fc.uniqueArray(identifier, { maxLength: 8 }).chain((names) =>
      fc.record({
        names: fc.constant(names),
        bodies: fc.array(entry, { minLength: names.length, maxLength: names.length }),
        crlf: fc.boolean(),
        commentsBetween: fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
      }),
    );

    fc.assert(
      fc.property(file, ({ names, bodies, crlf, commentsBetween }) => {
        const lines: string[] = ['# generated', ''];
        const expected = new Map<string, RefcountEntry>();
        names.forEach((name, i) => {
          const body = bodies[i];
          if (body === undefined) return;
          if (commentsBetween[i] === true) lines.push('# next block', '');
          const returnLine = lines.length + 1;
          const [retType, retWritten] = body.returns.type;
          lines.push(`${name}:${retWritten}::${body.returns.refcount}:${body.returns.comment}`);
          const params = body.params.map(({ name: pname, slot: s }) => {
            const [type, written] = pname === '...' ? ['', ''] : s.type;
            lines.push(`${name}:${written}:${pname}:${s.refcount}:${s.comment}`);
            return { name: pname, type, refcount: s.refcount, comment: s.comment, line: lines.length };
          });
          lines.push('');
          expected.set(name, {
            name,
            line: returnLine,
            returns: { type: retType, refcount: body.returns.refcount, comment: body.returns.comment, line: returnLine },
            params,
          });
        });
        const parsed = parseRefcountsDat(lines.join(crlf ? '\r\n' : '\n'), 'roundtrip.dat');
        expect([...parsed.keys()]).toEqual([...expected.keys()]);
        expect(parsed).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
