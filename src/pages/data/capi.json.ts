import type { APIRoute } from 'astro';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR } from '../../lib/site/paths.ts';

export const GET: APIRoute = async () =>
  new Response(await readFile(path.join(DATA_DIR, 'capi.json')), { headers: { 'Content-Type': 'application/json' } });
