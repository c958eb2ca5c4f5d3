/**
 * A tiny static server for dist/ on 127.0.0.1 (default port 4321): directory index, 404.html on a miss, gzip when
 * asked. Used by `npm run serve` and by the Playwright tests.  Usage: node tests/site/serve.ts [dir] [port]
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { createGzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.dat': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.xml', '.txt', '.dat']);

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export function serveStatic(root: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const base = path.resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let rel = decodeURIComponent(url.pathname);
      let file = path.join(base, rel);
      if (!file.startsWith(base)) {
        res.writeHead(403).end();
        return;
      }
      let status = 200;
      if (!(await isFile(file))) {
        if (await isFile(path.join(file, 'index.html'))) {
          if (!rel.endsWith('/')) {
            res.writeHead(301, { Location: `${rel}/${url.search}` }).end();
            return;
          }
          file = path.join(file, 'index.html');
        } else {
          status = 404;
          file = path.join(base, '404.html');
          rel = '/404.html';
          if (!(await isFile(file))) {
            res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
            return;
          }
        }
      }
      const ext = path.extname(file);
      const headers: Record<string, string> = { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' };
      const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (gzip) headers['Content-Encoding'] = 'gzip';
      res.writeHead(status, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(file);
      (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? process.env.PORT ?? 4321);
  await serveStatic(root, port);
  console.log(`serving ${root} on http://127.0.0.1:${port}/`);
}
