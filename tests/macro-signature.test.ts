import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCParser } from '../scripts/lib/c-parser.ts';
import { MacroReader } from '../scripts/lib/macro-signature.ts';
import { HAND_READINGS_FILE, SNAPSHOT_VERSIONS, VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { readHeaders } from '../scripts/lib/read-headers.ts';
import { openRoot } from '../scripts/lib/source-root.ts';
import { parseHandReadings } from '../scripts/sources/hand-readings.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';
import { describeSnapshot, SNAPSHOT_DIR } from './helpers/snapshot.ts';

describeSnapshot('MacroReader on the real 3.15 headers', () => {
  let reader: MacroReader;
  beforeAll(async () => {
    const set = (await readHeaders(openRoot(path.join(SNAPSHOT_DIR, '3.15', 'src'))))!;
    reader = new MacroReader(await loadCParser(), [...set.declarations, ...set.helpers], set.structs);
  });

  it('follows an argument through cast helpers to the typed function it reaches', () => {
    const check = reader.read('PyCell_Check')!;
    expect(check.returns).toMatchObject({ role: 'value', type: 'int' });
    expect(check.params[0]).toMatchObject({ role: 'value', type: 'PyObject *', passedTo: { callee: 'Py_IS_TYPE', index: 0 } });
  });

  it('reads a member access through the struct layout, as a reference the object keeps', () => {
    const name = reader.read('PyDescr_NAME')!;
    expect(name.returns).toMatchObject({ role: 'value', type: 'PyObject *', borrowedMember: true });
    expect(name.params[0]).toMatchObject({ type: 'PyDescrObject *' });
    expect(reader.read('PyTuple_GET_ITEM')!.returns).toMatchObject({ type: 'PyObject *', borrowedMember: true });
  });

  it('tells type names and pasted tokens from values', () => {
    const mem = reader.read('PyMem_New')!;
    // `(type *) PyMem_Malloc((n) * sizeof(type))`: a type, whichever use is read first.
    expect(['type-name', 'sizeof']).toContain(mem.params[0]?.role);
    expect(mem.params[1]?.role).toBe('value');
    expect(mem.returns?.type).not.toMatch(/PyObject/);
    expect(reader.read('PyModule_AddIntMacro')!.params[1]).toMatchObject({ role: 'token' });
  });

  it("reads a cast to the caller's type as what the cast value is: PyObject_New gives an object", () => {
    expect(reader.read('PyObject_New')!.returns).toMatchObject({ type: 'PyObject *', passedTo: { callee: '_PyObject_New', index: 'returns' } });
  });

  it('reads a cast between object types of what a call gives as that call\'s result, ownership kept (PyExceptionInstance_Class)', () => {
    expect(reader.read('PyExceptionInstance_Class')!.returns).toMatchObject({ type: 'PyObject *', passedTo: { callee: 'Py_TYPE', index: 'returns' } });
    // near miss: a cast of a parameter reaches no call
    expect(reader.read('_PyObject_CAST')?.returns?.passedTo ?? null).toBeNull();
  });

  it('reads a function pointer member of a capsule struct (the datetime C-API)', () => {
    const date = reader.read('PyDate_FromDate')!;
    expect(date.returns).toMatchObject({ type: 'PyObject *' });
    expect(date.params.map((p) => p?.type)).toEqual(['int', 'int', 'int']);
  });
});

describe('hand readings', () => {
  const text = readFileSync(HAND_READINGS_FILE, 'utf8');
  const readings = parseHandReadings(text, 'hand-readings.toml');

  it('each entry is still needed: some version fills a field from it', () => {
    const used = new Set<string>();
    for (const version of SNAPSHOT_VERSIONS) {
      const dataset = JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')) as VersionDataset;
      for (const api of dataset.apis) if (api.evidence.some((e) => e.raw === 'hand-reading')) used.add(api.name.split('.').at(-1)!);
    }
    expect([...readings.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  it('rejects a malformed file naming the file and line', () => {
    expect(() => parseHandReadings('[Py_X]\nnote = "a note that is long enough"\nreturns = "sideways"\nparams = []\n', 'h.toml')).toThrow(/h\.toml:1.*returns/);
    expect(() => parseHandReadings('[Py_X\n', 'h.toml')).toThrow(/h\.toml:1.*not valid TOML/);
  });
});

describe('the dataset after headers and hand readings', () => {
  it('has no unknown ownership in any version', () => {
    for (const version of SNAPSHOT_VERSIONS) {
      const dataset = JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')) as VersionDataset;
      const unknown = dataset.apis.flatMap((api) => [
        ...(api.returns?.ownership === 'unknown' ? [`${api.name} returns`] : []),
        ...api.params.filter((param) => param.ownership === 'unknown').map((param) => `${api.name} ${param.name}`),
      ]);
      expect(unknown, version).toEqual([]);
    }
  });
});
