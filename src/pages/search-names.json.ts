/**
 * /search-names.json: every API name with its return ownership and whether it steals, in its latest version. The
 * search page reads it to put an exact name first, list the names a prefix starts, and suggest near misses;
 * Pagefind answers the rest.
 */
import { getCollection } from 'astro:content';
import { steals } from '../lib/site/model.ts';
import { siteData } from '../lib/site/site-data.ts';

export async function GET(): Promise<Response> {
  const data = await siteData(getCollection);
  const names = data.apis.map((entry) => {
    const latest = [...data.versions].reverse().find((v) => entry.byVersion[v])!;
    const api = entry.byVersion[latest]!;
    return [entry.name, api.returns?.ownership ?? '', steals(api) ? 1 : 0] as const;
  });
  return new Response(JSON.stringify(names), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}
