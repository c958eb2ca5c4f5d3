/**
 * /api/<Name>.json: one JSON document per API name: its history across versions, the record of each version that
 * documents it, and the safer alternatives. Made by apiDocuments (packages/capi-refs/src/exports.ts, unit-tested).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiDocuments, type ApiDocument } from '../../../packages/capi-refs/src/exports.ts';
import type { CombinedDataset, VersionDataset } from '../../../packages/capi-refs/src/types.ts';

const DATA = path.resolve(process.cwd(), 'data');

function loadDocuments(): Map<string, ApiDocument> {
  const combined = JSON.parse(readFileSync(path.join(DATA, 'capi.json'), 'utf8')) as CombinedDataset;
  const datasets = combined.versions.map(
    (v) => JSON.parse(readFileSync(path.join(DATA, 'versions', `${v}.json`), 'utf8')) as VersionDataset,
  );
  return apiDocuments(combined, datasets);
}

export async function getStaticPaths(): Promise<{ params: { name: string }; props: { document: ApiDocument } }[]> {
  return [...loadDocuments()].map(([name, document]) => ({ params: { name }, props: { document } }));
}

export function GET({ props }: { props: { document: ApiDocument } }): Response {
  return new Response(JSON.stringify(props.document), { headers: { 'Content-Type': 'application/json' } });
}
