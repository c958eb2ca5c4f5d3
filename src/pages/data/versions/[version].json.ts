import type { APIRoute, GetStaticPaths } from 'astro';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR } from '../../../lib/site/paths.ts';

export const getStaticPaths = (async () =>
  (await readdir(path.join(DATA_DIR, 'versions')))
    .filter((f) => /^3\.\d+\.json$/.test(f))
    .map((f) => ({ params: { version: f.replace(/\.json$/, '') } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) =>
  new Response(await readFile(path.join(DATA_DIR, 'versions', `${params.version}.json`)), { headers: { 'Content-Type': 'application/json' } });
