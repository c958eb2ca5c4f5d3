/**
 * The docs' "Contents of Limited API" list as a Stable ABI source: its parser (on HTML written here), the dating
 * of entries it alone states, and the committed data against the snapshot's lists.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateListedStableAbi } from '../scripts/lib/limited-api-since.ts';
import { VERSIONS_DIR } from '../scripts/lib/paths.ts';
import { parseLimitedApiList } from '../scripts/sources/limited-api-list.ts';
import type { Api } from '../src/schema/api.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { describeSnapshot, SNAPSHOT_DIR } from './helpers/snapshot.ts';

const PAGE = `<html><body><section id="stable-abi"><p>Part of the Stable ABI.</p></section>
<section id="contents-of-limited-api"><h2>Contents of Limited API</h2><p><ul class="simple">
<li><p><a href="structures.html#c.METH_O"><code><span class="pre">METH_O</span></code></a></p></li>
<li><p><a href="arg.html#c.PyArg_Parse"><code><span class="pre">PyArg_Parse()</span></code></a></p></li>
<li><p><code><span class="pre">Py_UTF8Mode</span></code></p></li>
<li><p><code><span class="pre">PyVarObject.ob_base</span></code></p></li>
</ul></p></section></body></html>`;

describe('parseLimitedApiList', () => {
  it('reads linked and plain names, without the parentheses of a function', () => {
    expect([...parseLimitedApiList(PAGE, 'stable.html')!]).toEqual(['METH_O', 'PyArg_Parse', 'Py_UTF8Mode']);
  });

  it('is null for a page without the list (3.9, 3.10)', () => {
    expect(parseLimitedApiList('<html><body><section id="stable-abi"></section></body></html>', 'stable.html')).toBeNull();
  });

  it('names the page when the list is there but holds no name', () => {
    expect(() => parseLimitedApiList('<section id="contents-of-limited-api"><ul><li>?</li></ul></section>', 'docs/c-api/stable.html')).toThrow(/docs\/c-api\/stable\.html.*found none/);
  });
});

describe('dateListedStableAbi', () => {
  const api = (name: string, stableAbi: Api['stableAbi']): Api => ({ name, stableAbi }) as Api;
  type Entry = NonNullable<Api['stableAbi']>;
  const listed = (since: string, source: Entry['source'] = 'docs-limited-api-list'): Entry => ({ since, scope: 'stable-abi', struct: null, platform: null, slotId: null, source });
  const dataset = (version: string, apis: Api[]): VersionDataset => ({ version, apis }) as VersionDataset;

  it('takes the since of the latest earlier version that has the name, and keeps 3.2 otherwise', () => {
    const out = dateListedStableAbi([
      dataset('3.15', [api('Py_UTF8Mode', listed('3.2')), api('PyNew_Thing', listed('3.2'))]),
      dataset('3.13', [api('Py_UTF8Mode', listed('3.8', 'stable_abi.dat'))]),
      dataset('3.14', [api('Py_UTF8Mode', listed('3.2'))]),
    ]);
    expect(out.map((d) => d.version)).toEqual(['3.15', '3.13', '3.14']);
    expect(out[0]!.apis.map((a) => a.stableAbi?.since)).toEqual(['3.8', '3.2']);
    expect(out[2]!.apis[0]!.stableAbi?.since).toBe('3.8');
    expect(out[1]!.apis[0]!.stableAbi?.source).toBe('stable_abi.dat');
  });
});

function apisOf(version: string): Map<string, Api> {
  const data = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')));
  return new Map(data.apis.map((a) => [a.name, a]));
}

describe('the committed data', () => {
  it('has what 3.14 and 3.15 list but do not annotate in their Stable ABI, dated from earlier versions', () => {
    const v315 = apisOf('3.15');
    expect(v315.get('PyExc_TypeError')?.stableAbi).toMatchObject({ since: '3.2', scope: 'stable-abi' });
    expect(v315.get('Py_UTF8Mode')?.stableAbi).toMatchObject({ since: '3.8', source: 'docs-limited-api-list' });
    expect(v315.get('Py_tp_repr')?.stableAbi).toMatchObject({ scope: 'macro' });
    expect(apisOf('3.14').get('PyUnicode_AsEncodedObject')?.stableAbi).toMatchObject({ since: '3.2', source: 'docs-limited-api-list' });
  });
});

describe('the Stable ABI across versions', () => {
  it('never shrinks from one version to the next (the Stable ABI drops nothing; 3.14 once seemed to)', () => {
    const counts = ['3.11', '3.13', '3.14', '3.15'].map((version) => [...apisOf(version).values()].filter((a) => a.stableAbi !== null).length);
    for (let i = 1; i < counts.length; i++) expect(counts[i]!, `${counts.join(' → ')}`).toBeGreaterThanOrEqual(counts[i - 1]!);
  });
});

describeSnapshot('the data against the snapshot docs', () => {
  it.each(['3.11', '3.13', '3.14', '3.15'])('%s: every name of the Limited API list that the data has is in its Stable ABI', (version) => {
    const file = path.join(SNAPSHOT_DIR, version, 'docs', 'c-api', 'stable.html');
    const listed = parseLimitedApiList(readFileSync(file, 'utf8'), file)!;
    const apis = apisOf(version);
    const missing = [...listed].filter((name) => apis.has(name) && apis.get(name)!.stableAbi === null);
    expect(listed.size).toBeGreaterThan(800);
    expect(missing).toEqual([]);
  });
});
