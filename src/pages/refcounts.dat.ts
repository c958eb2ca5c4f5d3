/**
 * /refcounts.dat: the latest version of the dataset in the format of CPython's Doc/data/refcounts.dat, with this
 * project's corrections (steals as -1). Made by toRefcountsDat (packages/capi-refs/src/exports.ts, unit-tested).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toRefcountsDat } from '../../packages/capi-refs/src/exports.ts';
import type { CombinedDataset, VersionDataset } from '../../packages/capi-refs/src/types.ts';

const DATA = path.resolve(process.cwd(), 'data');

export function GET(): Response {
  const combined = JSON.parse(readFileSync(path.join(DATA, 'capi.json'), 'utf8')) as CombinedDataset;
  const latest = combined.versions[combined.versions.length - 1]!;
  const dataset = JSON.parse(readFileSync(path.join(DATA, 'versions', `${latest}.json`), 'utf8')) as VersionDataset;
  return new Response(toRefcountsDat(dataset), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
