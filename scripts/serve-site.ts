/**
 * Serves the built site (dist/) on loopback for `npm start`, the browser tests and the site benchmark.
 *
 *   node scripts/serve-site.ts [dir] [port]        (defaults: dist, 4321; host 127.0.0.1, or HOST)
 *
 * Files are served by sirv, a maintained static-file handler: it lists the folder once at start and answers only
 * for files in that list, so no URL (`..`, encoded slashes, a sibling folder with a similar name) reaches anything
 * else. Around it: GET and HEAD only (405 otherwise), 404.html with status 404 for a miss, 400 for a URL that does
 * not decode, and the security headers a static site can send.
 *
 * Text answers are compressed (brotli or gzip, by the `compression` middleware) for clients that accept it, as any
 * static host serves them: the browser tests and the Lighthouse benchmark then see the pages as readers get them.
 * An API page is 59 KB of HTML and about 7.5 KB compressed; sent plain, Lighthouse's simulated phone network takes
 * ~350 ms longer to deliver it, and the page's first paint and blocking time are measured against that.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import compression from 'compression';
import sirv from 'sirv';

/** Headers for every answer. No full Content-Security-Policy: the pages inline their styles and scripts. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

export function serveSite(root: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const dir = path.resolve(root);
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir} holds no index.html: build the site first (npm run build), then serve it`);
  }
  const notFoundPage = existsSync(path.join(dir, '404.html')) ? readFileSync(path.join(dir, '404.html')) : null;
  const files = sirv(dir, { dev: false, etag: true, dotfiles: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
  // compression's types name Express's request and response; at run time it needs only Node's (it reads the
  // request's headers and wraps the response's write and end).
  const compress = compression() as unknown as (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  const notFound = (req: IncomingMessage, res: ServerResponse): void => {
    if (notFoundPage === null) return plain(res, 404, 'not found\n');
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : notFoundPage);
  };
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    try {
      decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return plain(res, 400, 'bad request: the path is not a valid percent-encoded URL\n');
    }
    compress(req, res, () => files(req, res, () => notFound(req, res)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? process.env['PORT'] ?? 4321);
  const host = process.env['HOST'] ?? '127.0.0.1';
  try {
    await serveSite(root, port, host);
  } catch (error) {
    process.stderr.write(`serve-site: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`serving ${root} on http://${host}:${port}/\n`);
}
