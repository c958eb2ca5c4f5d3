/**
 * /search-names.json: every API name with its return ownership, whether it steals or fills an out-parameter, its
 * deprecation and its Limited API since, in its latest version. The
 * search page reads it to put an exact name first, list the names a prefix starts, and suggest near misses;
 * Pagefind answers the rest. Read from data/ as /refcounts.dat is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CombinedDataset, VersionDataset } from '../../packages/capi-refs/src/types.ts';
import { hasOutParam, steals } from '../lib/site/model.ts';

const DATA = path.resolve(process.cwd(), 'data');

export function GET(): Response {
  const combined = JSON.parse(readFileSync(path.join(DATA, 'capi.json'), 'utf8')) as CombinedDataset;
  // [name, return ownership, steals (1/0), fills an out-parameter (1/0), deprecated since ('' if not), Limited API since ('' if not)]
  const latest = new Map<string, [string, string, number, number, string, string]>();
  // Oldest to newest: a name's entry is that of the newest version that has it.
  for (const version of combined.versions) {
    const dataset = JSON.parse(readFileSync(path.join(DATA, 'versions', `${version}.json`), 'utf8')) as VersionDataset;
    for (const api of dataset.apis) {
      const deprecated = api.deprecated && !api.deprecated.soft ? api.deprecated.version : '';
      latest.set(api.name, [api.name, api.returns?.ownership ?? '', steals(api) ? 1 : 0, hasOutParam(api) ? 1 : 0, deprecated, api.stableAbi?.since ?? '']);
    }
  }
  const names = [...latest.values()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Response(JSON.stringify(names), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}
