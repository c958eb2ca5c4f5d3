/**
 * scripts/serve-site.ts, probed over real HTTP on 127.0.0.1 with raw request paths (no client-side normalising):
 * traversal, encoded slashes, a sibling folder whose name starts like the served one, bad encodings, methods,
 * headers, the 404 page, compression.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, serveSite } from '../scripts/serve-site.ts';

const TMP = mkdtempSync(path.join(os.tmpdir(), 'serve-site-'));
const DIST = path.join(TMP, 'dist');
let server: Server;
let port: number;

function file(relative: string, text: string): void {
  mkdirSync(path.dirname(relative), { recursive: true });
  writeFileSync(relative, text);
}

beforeAll(async () => {
  file(path.join(DIST, 'index.html'), '<!DOCTYPE html><title>home</title>');
  file(path.join(DIST, '404.html'), '<!DOCTYPE html><title>not found page</title>');
  file(path.join(DIST, 'versions/index.html'), '<!DOCTYPE html><title>versions</title>');
  file(path.join(DIST, 'style.css'), 'body { color: black; }');
  file(path.join(DIST, 'api/PyList_SetItem/index.html'), `<!DOCTYPE html><title>PyList_SetItem</title>${'<p>steals a reference</p>'.repeat(200)}`);
  file(path.join(TMP, 'dist-secret/key.txt'), 'secret');
  file(path.join(TMP, 'outside.txt'), 'outside');
  server = await serveSite(DIST, 0);
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(TMP, { recursive: true, force: true });
});

interface Answer<Body> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
}

/** One request with the path sent exactly as written, and these request headers; the body as bytes, as sent. */
function send(rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer<Buffer>> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One request with no Accept-Encoding (so never compressed), its body as text. */
async function get(rawPath: string, method = 'GET'): Promise<Answer<string>> {
  const answer = await send(rawPath, method);
  return { ...answer, body: answer.body.toString('utf8') };
}

describe('serve-site', () => {
  it('serves pages, folder indexes and assets with the security headers', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('home');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(home.headers[name.toLowerCase()]).toBe(value);
    expect((await get('/versions/')).body).toContain('versions');
    expect((await get('/style.css')).headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers a miss with the 404 page and status 404', async () => {
    const miss = await get('/no/such/page/');
    expect(miss.status).toBe(404);
    expect(miss.body).toContain('not found page');
  });

  it('never leaves the folder: dot segments, encoded ones, encoded slashes, a sibling folder', async () => {
    for (const probe of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/..%2Foutside.txt', '/%2F..%2Foutside.txt', '/../dist-secret/key.txt', '/..%2fdist-secret%2fkey.txt', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const answer = await get(probe);
      expect(answer.status, probe).toBe(404);
      expect(answer.body, probe).not.toMatch(/outside|secret|root:/);
    }
  });

  it('redirects nowhere: an encoded slash that once became //host is a plain miss', async () => {
    const answer = await get('/%2Fevil.example/..%2Fversions');
    expect(answer.status).toBe(404);
    expect(answer.headers.location).toBeUndefined();
  });

  it('answers 400, not 500, for a path that does not decode', async () => {
    expect((await get('/%')).status).toBe(400);
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('takes GET and HEAD only', async () => {
    const head = await get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const answer = await get('/', method);
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
  });

  it('compresses a page for a client that accepts it (brotli, else gzip), as a static host does, and sends it plain to one that does not', async () => {
    const plainAnswer = await send('/api/PyList_SetItem/');
    expect(plainAnswer.headers['content-encoding']).toBeUndefined();
    const text = plainAnswer.body.toString('utf8');
    expect(text).toContain('<title>PyList_SetItem</title>');
    for (const [accepted, sent, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip, deflate', 'gzip', gunzipSync]] as const) {
      const compressed = await send('/api/PyList_SetItem/', 'GET', { 'Accept-Encoding': accepted });
      expect(compressed.status).toBe(200);
      expect(compressed.headers['content-encoding'], accepted).toBe(sent);
      expect(compressed.headers.vary).toMatch(/Accept-Encoding/);
      expect(decode(compressed.body).toString('utf8')).toBe(text);
      expect(compressed.body.length).toBeLessThan(text.length / 10);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(compressed.headers[name.toLowerCase()]).toBe(value);
    }
  });

  it('refuses to start on a folder with no built site, saying what to do', () => {
    expect(() => serveSite(path.join(TMP, 'dist-secret'), 0)).toThrow(/no index\.html: build the site first/);
  });
});
