import type { APIRoute, GetStaticPaths } from 'astro';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR } from '../../../lib/site/paths.ts';

export const getStaticPaths = (async () =>
  (await readdir(path.join(DATA_DIR, 'schema')))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ params: { name: f.replace(/\.json$/, '') } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) =>
  new Response(await readFile(path.join(DATA_DIR, 'schema', `${params.name}.json`)), { headers: { 'Content-Type': 'application/schema+json' } });
