import type { APIRoute, GetStaticPaths } from 'astro';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR } from '../../lib/site/paths.ts';

/** The dataset files that sit at the top of data/, served as they are. */
export const getStaticPaths = (() => ['capi', 'audit'].map((file) => ({ params: { file } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) =>
  new Response(await readFile(path.join(DATA_DIR, `${params.file}.json`)), { headers: { 'Content-Type': 'application/json' } });
