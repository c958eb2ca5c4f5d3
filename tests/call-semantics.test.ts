/**
 * scripts/sources/call-semantics.ts: preconditions and side effects from the docs' prose. The inline snippets are
 * sentences of the real docs (as docs-html.ts renders them, parameter names marked ⟦name⟧); the last block reads the
 * rendered pages of the offline snapshot itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCallSemantics, type SemanticsParam } from '../scripts/sources/call-semantics.ts';
import { parseDocsPage } from '../scripts/sources/docs-html.ts';
import { parseDeclaration } from '../scripts/lib/c-declaration.ts';
import { SNAPSHOT_DIR, describeSnapshot } from './helpers/snapshot.ts';

const obj = (...names: string[]): SemanticsParam[] => names.map((name) => ({ name, type: 'PyObject *' }));
const kinds = (items: { kind: string; param?: string }[]) => items.map((i) => (i.param ? `${i.kind}:${i.param}` : i.kind));

describe('findCallSemantics: preconditions', () => {
  it('reads a parameter that must not be NULL, and not one that may be', () => {
    const params = [{ name: 'func', type: 'PyThread_func' }, { name: 'arg', type: 'void *' }];
    const found = findCallSemantics('Start function ⟦func⟧ in a new thread with argument ⟦arg⟧. ⟦func⟧ must not be NULL, but ⟦arg⟧ may be NULL.', params);
    expect(found.preconditions).toEqual([{ kind: 'not-null', param: 'func', note: 'must not be NULL' }]);
    expect(findCallSemantics('Set the contents of the cell object ⟦cell⟧ to ⟦value⟧. ⟦value⟧ may be NULL.', obj('cell', 'value')).preconditions).toEqual([]);
    expect(findCallSemantics('The string ⟦value⟧ must be NULL-terminated.', obj('module', 'name', 'value')).preconditions).toEqual([]);
  });

  it('reads "the object must not be NULL" as the only parameter', () => {
    const prose = 'Release a strong reference to object ⟦o⟧, indicating the reference is no longer used. The object must not be NULL; if you aren’t sure that it isn’t NULL, use Py_XDECREF().';
    expect(kinds(findCallSemantics(prose, obj('o')).preconditions)).toEqual(['not-null:o']);
    expect(findCallSemantics('The object must not be NULL.', obj('a', 'b')).preconditions).toEqual([]);
  });

  it('reads a type requirement, and nothing where the docs allow several types', () => {
    expect(findCallSemantics('⟦path⟧ must be a Python str object.', obj('path')).preconditions).toEqual([{ kind: 'type', param: 'path', type: 'str', note: 'must be a str object' }]);
    expect(findCallSemantics('⟦pylong⟧ must be an instance of PyLongObject.', obj('pylong')).preconditions).toEqual([{ kind: 'type', param: 'pylong', type: 'int', note: 'must be an int object' }]);
    const cell = findCallSemantics('No reference counts are adjusted, and no checks are made for safety; ⟦cell⟧ must be non-NULL and must be a cell object.', obj('cell', 'value'));
    expect(kinds(cell.preconditions)).toEqual(['unchecked', 'not-null:cell', 'type:cell']);
    expect(findCallSemantics('⟦defaults⟧ must be Py_None or a tuple.', obj('op', 'defaults')).preconditions).toEqual([]);
    expect(findCallSemantics('⟦path⟧ must be a str object, a bytes object, or a path-like object.', obj('path')).preconditions).toEqual([]);
    expect(findCallSemantics('⟦result⟧ must be a PyBytesObject* which must be released when it is no longer used.', obj('obj', 'result')).preconditions).toEqual([]);
  });

  it('reads the GIL (attached thread state) requirement in the words of 3.9 and of 3.14', () => {
    expect(kinds(findCallSemantics('Return the current thread state. The global interpreter lock must be held.', []).preconditions)).toEqual(['thread-state']);
    expect(kinds(findCallSemantics('This function cannot fail, and the caller must hold an attached thread state.', []).preconditions)).toEqual(['thread-state']);
    expect(findCallSemantics('The global interpreter lock need not be held, but may be held if it is necessary to serialize calls to this function.', []).preconditions).toEqual([]);
    expect(findCallSemantics('It can be called without an attached thread state and from a C signal handler.', []).preconditions).toEqual([]);
  });

  it('reads the fill-in-only macros: unchecked, new objects only, index checked by debug builds only', () => {
    const prose =
      'Like PyTuple_SetItem(), but does no error checking, and should ⟦only⟧ be used to fill in brand new tuples, using it on an existing tuple is thread-unsafe. Bounds checking is performed as an assertion if Python is built in debug mode or with assertions. Note This function “steals” a reference to ⟦o⟧, and, unlike PyTuple_SetItem(), does ⟦not⟧ discard a reference to any item that is being replaced; any reference in the tuple at position ⟦pos⟧ will be leaked.';
    const found = findCallSemantics(prose, [{ name: 'p', type: 'PyObject *' }, { name: 'pos', type: 'Py_ssize_t' }, { name: 'o', type: 'PyObject *' }]);
    expect(kinds(found.preconditions)).toEqual(['unchecked', 'new-object-only', 'in-range:pos']);
    expect(kinds(found.sideEffects)).toEqual(['leaks-old-item']);
  });

  it('skips a requirement stated under a condition', () => {
    expect(findCallSemantics('If ⟦length⟧ is non-zero, ⟦items⟧ must be non-NULL and all strings must be non-NULL.', obj('length', 'items')).preconditions).toEqual([]);
  });
});

describe('findCallSemantics: side effects', () => {
  it('reads the release of the replaced item (3.9 wording and 3.15 wording)', () => {
    const old = 'Note This function “steals” a reference to ⟦item⟧ and discards a reference to an item already in the list at the affected position.';
    const now = 'Note This function “steals” a reference to ⟦item⟧, even on error. On success, it discards a reference to an item already in the list at the affected position (unless it was NULL).';
    for (const prose of [old, now]) expect(kinds(findCallSemantics(prose, obj('list', 'index', 'item')).sideEffects)).toEqual(['releases-old-item']);
  });

  it('reads setting and clearing the error indicator, not an error set on failure', () => {
    expect(kinds(findCallSemantics('Clear the error indicator. If the error indicator is not set, there is no effect.', []).sideEffects)).toEqual(['clears-error']);
    expect(kinds(findCallSemantics('This function sets the error indicator and returns NULL.', obj('exception')).sideEffects)).toEqual(['sets-error']);
    expect(findCallSemantics('This function can fail, in which case it sets the error indicator.', []).sideEffects).toEqual([]);
    expect(kinds(findCallSemantics('Retrieve the error indicator into three variables whose addresses are passed. If it is set, it will be cleared and you own a reference to each object retrieved.', []).sideEffects)).toEqual(['clears-error']);
  });

  it('reads Python code run by the call and exceptions it swallows', () => {
    const found = findCallSemantics('Note Exceptions that occur while this calls __hash__() and __eq__() methods are silently ignored.', obj('p', 'key'));
    expect(found.sideEffects).toEqual([
      { kind: 'runs-python-code', note: 'may run Python code (__hash__(), __eq__()): anything may change meanwhile' },
      { kind: 'suppresses-errors', note: 'swallows exceptions raised on the way: you cannot see them' },
    ]);
    expect(kinds(findCallSemantics('Warning The deallocation function can cause arbitrary Python code to be invoked.', obj('o')).sideEffects)).toEqual(['runs-python-code']);
    expect(findCallSemantics('In particular, it should not call arbitrary Python code, as trying to import the same module again may result in an infinite loop.', obj('spec', 'def')).sideEffects).toEqual([]);
    expect(findCallSemantics('When the function returns, there will be an attached thread state and the thread will be able to call arbitrary Python code.', []).sideEffects).toEqual([]);
  });

  it('reads in-place changes and objects that are gone after the call', () => {
    expect(findCallSemantics('Sort the items of ⟦list⟧ in place. Return 0 on success, -1 on failure.', obj('list')).sideEffects).toEqual([{ kind: 'in-place', param: 'list', note: 'is modified in place' }]);
    expect(kinds(findCallSemantics('The operation is done in-place when ⟦o1⟧ supports it.', obj('o1', 'o2')).sideEffects)).toEqual(['in-place:o1']);
    const writer = [{ name: 'writer', type: 'PyBytesWriter *' }];
    expect(kinds(findCallSemantics('On error, set an exception and return NULL. The writer instance is invalid after the call in any case.', writer).sideEffects)).toEqual(['invalidates:writer']);
  });

  it('never names a parameter the call does not have', () => {
    expect(findCallSemantics('⟦other⟧ must not be NULL.', obj('o')).preconditions).toEqual([]);
  });
});

/** The pages of one snapshot version, by C name: the prose and the declared parameters. */
function snapshotEntry(version: string, page: string, name: string) {
  const html = readFileSync(path.join(SNAPSHOT_DIR, version, 'docs', 'c-api', page), 'utf8');
  const entry = parseDocsPage(html, page).entries.find((e) => e.name === name)!;
  return findCallSemantics(entry.prose, parseDeclaration(entry.signature, name).params ?? []);
}

describeSnapshot('findCallSemantics on the snapshot docs', () => {
  it('PyList_SetItem releases the old item; PyList_SET_ITEM leaks it and is for new lists only, in every version', () => {
    for (const version of ['3.9', '3.11', '3.13', '3.14', '3.15']) {
      expect(kinds(snapshotEntry(version, 'list.html', 'PyList_SetItem').sideEffects)).toContain('releases-old-item');
      const macro = snapshotEntry(version, 'list.html', 'PyList_SET_ITEM');
      expect(kinds(macro.sideEffects)).toContain('leaks-old-item');
      expect(kinds(macro.preconditions)).toContain('new-object-only');
    }
  });

  it('PyTuple_SetItem: for brand new tuples in the 3.15 docs (3.9 says so of the macro only)', () => {
    expect(kinds(snapshotEntry('3.15', 'tuple.html', 'PyTuple_SetItem').preconditions)).toEqual(['new-object-only']);
    expect(kinds(snapshotEntry('3.9', 'tuple.html', 'PyTuple_SetItem').preconditions)).toEqual([]);
  });

  it('PyErr_Occurred needs the GIL, in 3.9 and 3.15 wording', () => {
    expect(kinds(snapshotEntry('3.9', 'exceptions.html', 'PyErr_Occurred').preconditions)).toEqual(['thread-state']);
    expect(kinds(snapshotEntry('3.15', 'exceptions.html', 'PyErr_Occurred').preconditions)).toEqual(['thread-state']);
  });
});
