/** scripts/lib/drift-guard.ts: which drops of documented objects stop a scrape. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatasetObjects, describeDrop, documentedDrops, PAGE_MIN_OBJECTS } from '../scripts/lib/drift-guard.ts';
import { readDatasetsAs, readVersionDatasets } from '../scripts/lib/read-datasets.ts';
import type { VersionDataset } from '../src/schema/version-dataset.ts';

/** A dataset with `counts[page]` documented objects on each page (only what the guard reads). */
function dataset(counts: Record<string, number>, undocumented = 0): VersionDataset {
  const apis = Object.entries(counts).flatMap(([page, n]) =>
    Array.from({ length: n }, (_, i) => ({ name: `Py${page}_${i}`, documented: true, docsUrl: `https://docs.python.org/3.13/c-api/${page}.html#c.Py${page}_${i}` })),
  );
  for (let i = 0; i < undocumented; i++) apis.push({ name: `_Py_Hidden${i}`, documented: false, docsUrl: null as unknown as string });
  return { version: '3.13', apis } as unknown as VersionDataset;
}

describe('documentedDrops', () => {
  it('finds nothing when the pages keep their objects, or gain some', () => {
    expect(documentedDrops(dataset({ list: 20, dict: 30 }), dataset({ list: 20, dict: 31 }))).toEqual([]);
  });

  it('names a page that lost more than a quarter of its objects, and the version when it lost more than 5%', () => {
    const drops = documentedDrops(dataset({ list: 20, dict: 30 }), dataset({ list: 8, dict: 30 }));
    expect(drops).toEqual([
      { version: '3.13', page: 'https://docs.python.org/3.13/c-api/list.html', before: 20, after: 8 },
      { version: '3.13', page: null, before: 50, after: 38 },
    ]);
    expect(describeDrop(drops[0]!)).toBe('https://docs.python.org/3.13/c-api/list.html documents 8 C objects where the committed dataset has 20 (60% fewer)');
  });

  it('names a page that is gone entirely', () => {
    const drops = documentedDrops(dataset({ list: 20, gone: 6, dict: 200 }), dataset({ list: 20, dict: 200 }));
    expect(drops.map((d) => d.page)).toEqual(['https://docs.python.org/3.13/c-api/gone.html']);
  });

  it('lets small pages and small shares go (a near miss on each threshold)', () => {
    expect(documentedDrops(dataset({ tiny: PAGE_MIN_OBJECTS - 1, big: 400 }), dataset({ big: 400 }))).toEqual([]);
    expect(documentedDrops(dataset({ list: 20, dict: 200 }), dataset({ list: 15, dict: 200 }))).toEqual([]);
  });

  it('names a header that declares far fewer objects (a syntax error the C parser skipped past)', () => {
    const declared = (n: number): VersionDataset => {
      const base = dataset({ list: 20 });
      const apis = [...base.apis, ...Array.from({ length: n }, (_, i) => ({ name: `PyX_${i}`, documented: false, docsUrl: null, header: { file: 'Include/xobject.h', line: i + 1 } }))];
      return { ...base, apis } as unknown as VersionDataset;
    };
    const drops = documentedDrops(declared(40), declared(10));
    expect(drops).toEqual([{ version: '3.13', page: 'Include/xobject.h', before: 40, after: 10 }]);
    expect(describeDrop(drops[0]!)).toBe('Include/xobject.h declares 10 C objects where the committed dataset has 40 (75% fewer)');
    expect(documentedDrops(declared(40), declared(35))).toEqual([]);
  });

  it('counts documented objects only', () => {
    expect(documentedDrops(dataset({ list: 20 }, 50), dataset({ list: 20 }, 0))).toEqual([]);
  });
});

describe('readDatasetsAs with DatasetObjects', () => {
  it('reads a committed dataset that an older schema wrote, which the full schema rejects', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'drift-'));
    try {
      // An Api of an older schema: `changed` held bare versions, and fields since added are missing.
      const old = { version: '3.13', coverage: {}, sources: [], apis: [{ name: 'PyThing_Get', documented: true, docsUrl: 'https://docs.python.org/3.13/c-api/thing.html#c.PyThing_Get', header: null, changed: [{ version: '3.12' }] }] };
      writeFileSync(path.join(folder, '3.13.json'), JSON.stringify(old));
      await expect(readVersionDatasets(folder)).rejects.toThrow(/does not match the schema/);
      // The version about to be replaced is not read in full (a partial rescrape after a schema change).
      await expect(readVersionDatasets(folder, { except: ['3.13'] })).rejects.toThrow(/found none/);
      expect(await readVersionDatasets(folder, { except: ['3.13'], allowNone: true })).toEqual([]);
      const [objects] = await readDatasetsAs(folder, DatasetObjects);
      expect(objects).toEqual({ version: '3.13', apis: [{ documented: true, docsUrl: old.apis[0]!.docsUrl, header: null }] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
