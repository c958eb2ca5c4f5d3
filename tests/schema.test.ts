/**
 * The schemas reject bad data: each case breaks one rule of the contract on an otherwise valid record.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { Api } from '../src/schema/api.ts';
import { CombinedDataset } from '../src/schema/capi.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

const dataset = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, '3.13.json'), 'utf8')));
const listSetItem = dataset.apis.find((api) => api.name === 'PyList_SetItem')!;
const clone = <T>(value: T): T => structuredClone(value);

describe('Api schema', () => {
  it('accepts a real record', () => {
    expect(Api.safeParse(listSetItem).success).toBe(true);
  });

  const broken: [string, (api: Record<string, any>) => void][] = [
    ['an ownership value outside the vocabulary', (api) => { api.params[2].ownership = 'steals'; }],
    ['a return ownership that is a parameter value', (api) => { api.returns = { type: 'PyObject *', ownership: 'stolen' }; }],
    ['an unknown kind', (api) => { api.kind = 'class'; }],
    ['a field the contract does not have', (api) => { api.owner = 'caller'; }],
    ['a missing field', (api) => { delete api.conflicts; }],
    ['a name that is not a C identifier', (api) => { api.name = 'PyList SetItem'; }],
    ['a version that is not X.Y', (api) => { api.added = { version: 'three' }; }],
    ['an evidence field that is neither returns nor a parameter', (api) => { api.evidence[0].field = 'item'; }],
    ['an evidence source the contract does not name', (api) => { api.evidence[0].source = 'hearsay'; }],
    ['a conflict with a single source', (api) => { api.conflicts[0].values = api.conflicts[0].values.slice(0, 1); }],
    ['a docs URL that is not a URL', (api) => { api.docsUrl = 'list.html#c.PyList_SetItem'; }],
    ['a thread-safety level the docs do not define', (api) => { api.threadSafety = { level: 'mostly' }; }],
    ['a Stable ABI entry without since', (api) => { api.stableAbi = { scope: 'stable-abi', struct: null, platform: null, slotId: null, source: 'docs-annotation' }; }],
  ];
  for (const [what, breakIt] of broken) {
    it(`rejects ${what}`, () => {
      const api = clone(listSetItem) as Record<string, any>;
      breakIt(api);
      expect(Api.safeParse(api).success).toBe(false);
    });
  }
});

describe('VersionDataset schema', () => {
  const small = { ...dataset, apis: dataset.apis.slice(0, 3) };

  it('accepts sorted, unique APIs', () => {
    expect(VersionDataset.safeParse(small).success).toBe(true);
  });
  it('rejects APIs out of order', () => {
    expect(VersionDataset.safeParse({ ...small, apis: [...small.apis].reverse() }).success).toBe(false);
  });
  it('rejects the same API twice', () => {
    expect(VersionDataset.safeParse({ ...small, apis: [small.apis[0], small.apis[0]] }).success).toBe(false);
  });
  it('rejects a version that is not X.Y', () => {
    expect(VersionDataset.safeParse({ ...small, version: '3.13.1' }).success).toBe(false);
  });
  it('rejects a source with a malformed sha256', () => {
    const sources = [{ ...small.sources[0]!, sha256: 'abc' }];
    expect(VersionDataset.safeParse({ ...small, sources }).success).toBe(false);
  });
});

describe('CombinedDataset schema', () => {
  const history = {
    kind: 'function', versions: ['3.13'], documentedIn: ['3.13'], firstSeen: '3.13', lastSeen: '3.13', added: null,
    docsUrl: 'https://docs.python.org/3.13/c-api/list.html#c.PyList_SetItem', changes: [], compat: null,
  };
  it('accepts a history', () => {
    expect(CombinedDataset.safeParse({ versions: ['3.13'], apis: { PyList_SetItem: history } }).success).toBe(true);
  });
  it('accepts what pythoncapi-compat provides, and refuses it without its source', () => {
    const compat = { project: 'pythoncapi-compat', before: '3.13', oldest: '3.6', source: 'https://github.com/python/pythoncapi-compat/blob/f6121eb60f9fe9ff227fc78f9b39d3bd2a81f434/pythoncapi_compat.h#L813' };
    expect(CombinedDataset.safeParse({ versions: ['3.13'], apis: { PyDict_GetItemRef: { ...history, compat } } }).success).toBe(true);
    const { source: _, ...unsourced } = compat;
    expect(CombinedDataset.safeParse({ versions: ['3.13'], apis: { PyDict_GetItemRef: { ...history, compat: unsourced } } }).success).toBe(false);
  });
  it('rejects a change kind it does not define', () => {
    const changes = [{ version: '3.13', change: 'renamed', field: null, from: null, to: null }];
    expect(CombinedDataset.safeParse({ versions: ['3.13'], apis: { PyList_SetItem: { ...history, changes } } }).success).toBe(false);
  });
});
