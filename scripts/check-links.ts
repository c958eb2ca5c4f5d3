/**
 * Link check over the built site: every internal href/src in dist/**\/*.html must resolve to a file (or a folder's
 * index.html), every same-page #fragment must name an id on the page, and every external link must be https.
 * Usage: node scripts/check-links.ts [dist]   Exit code 1 when anything is broken.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'dist');

async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(p)));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

const decode = (s: string) =>
  s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

const resolved = new Map<string, boolean>();
function targetExists(urlPath: string): boolean {
  let hit = resolved.get(urlPath);
  if (hit !== undefined) return hit;
  const p = path.join(root, decodeURIComponent(urlPath));
  hit = p.startsWith(root) && existsSync(p) && (statSync(p).isFile() || existsSync(path.join(p, 'index.html')));
  resolved.set(urlPath, hit);
  return hit;
}

export type LinkProblem = { page: string; link: string; problem: string };

export async function checkLinks(): Promise<{ pages: number; links: number; problems: LinkProblem[] }> {
  const files = await htmlFiles(root);
  const problems: LinkProblem[] = [];
  let links = 0;
  for (const file of files) {
    const html = await readFile(file, 'utf8');
    const page = '/' + path.relative(root, file).replace(/index\.html$/, '').split(path.sep).join('/');
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decode(m[1]!)));
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const raw = decode(m[1]!);
      links++;
      if (/^(mailto:|data:)/.test(raw)) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) {
        if (!raw.startsWith('https://')) problems.push({ page, link: raw, problem: 'external link is not https' });
        continue;
      }
      const url = new URL(raw, `http://site${page}`);
      if (url.pathname === page && url.hash && raw.startsWith('#')) {
        if (!ids.has(decodeURIComponent(url.hash.slice(1)))) problems.push({ page, link: raw, problem: 'no element with this id' });
        continue;
      }
      if (!targetExists(url.pathname)) problems.push({ page, link: raw, problem: 'no such file in dist/' });
    }
  }
  return { pages: files.length, links, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(root)) {
    console.error(`${root} does not exist: run npm run build first`);
    process.exit(1);
  }
  const t0 = performance.now();
  const { pages, links, problems } = await checkLinks();
  for (const p of problems.slice(0, 50)) console.error(`${p.page}: ${p.link}: ${p.problem}`);
  if (problems.length > 50) console.error(`... and ${problems.length - 50} more`);
  console.log(`${pages} pages, ${links} links checked in ${Math.round(performance.now() - t0)} ms: ${problems.length} broken`);
  process.exit(problems.length ? 1 : 0);
}
