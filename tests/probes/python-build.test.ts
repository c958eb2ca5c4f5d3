/**
 * The network path of the probe builds against a tiny Debian archive served from 127.0.0.1: real apt-get (with
 * its own sources list and state), a real signed InRelease (a throwaway gpg key), real .deb files built by
 * dpkg-deb. A cold run downloads and unpacks; a warm run with the pins makes no request at all; a changed
 * archive or a vanished version fails with the file to look at and what to do.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebianBuild } from '../../scripts/probes/debian-builds.ts';
import { ensurePythonBuild, type AptSetup } from '../../scripts/probes/python-build.ts';
import type { RuntimePackage } from '../../src/schema/runtime.ts';

const available = ['apt-get', 'dpkg-deb', 'gpg'].every((tool) => existsSync(`/usr/bin/${tool}`));
const VERSION = '3.99';
const BUILD: DebianBuild = { suite: 'fake', packages: ['python3.99-dbg', 'libfake1'], loaderDir: 'usr/lib' };

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A .deb holding one file, built by dpkg-deb. */
function buildDeb(work: string, name: string, version: string, file: string): string {
  const tree = path.join(work, `${name}-tree`);
  mkdirSync(path.join(tree, 'DEBIAN'), { recursive: true });
  mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
  writeFileSync(path.join(tree, file), `${name} ${version}\n`);
  writeFileSync(path.join(tree, 'DEBIAN/control'), `Package: ${name}\nVersion: ${version}\nArchitecture: amd64\nMaintainer: test <t@example.invalid>\nDescription: fake\n`);
  const deb = path.join(work, `${name}_${version}_amd64.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', tree, deb], { stdio: 'ignore' });
  return deb;
}

describe.skipIf(!available)('fetching a build from a Debian archive', () => {
  let work: string;
  let server: Server;
  let requests: string[] = [];
  let files = new Map<string, Buffer>();
  let apt: AptSetup;

  /** Writes the archive: pool files, Packages, a Release with their hashes, and InRelease signed by the test key. */
  function publish(debs: string[], gnupg: string): void {
    files = new Map();
    const stanzas = debs.map((deb) => {
      const data = readFileSync(deb);
      const [name, version] = path.basename(deb, '.deb').split('_') as [string, string];
      const pool = `pool/main/${name}_${version}_amd64.deb`;
      files.set(`/debian/${pool}`, data);
      return `Package: ${name}\nVersion: ${version}\nArchitecture: amd64\nFilename: ${pool}\nSize: ${data.length}\nSHA256: ${sha256(data)}\nDescription: fake\n`;
    });
    const packages = Buffer.from(stanzas.join('\n'));
    files.set('/debian/dists/fake/main/binary-amd64/Packages', packages);
    const release = `Suite: fake\nCodename: fake\nArchitectures: amd64\nComponents: main\nDate: Thu, 03 Dec 2026 00:00:00 UTC\nSHA256:\n ${sha256(packages)} ${packages.length} main/binary-amd64/Packages\n`;
    writeFileSync(path.join(work, 'Release'), release);
    execFileSync('gpg', ['--homedir', gnupg, '--batch', '--yes', '--clearsign', '-o', path.join(work, 'InRelease'), path.join(work, 'Release')], { stdio: 'ignore' });
    files.set('/debian/dists/fake/InRelease', readFileSync(path.join(work, 'InRelease')));
  }

  let gnupg: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'capi-refs-fake-archive-'));
    gnupg = path.join(work, 'gnupg');
    mkdirSync(gnupg, { mode: 0o700 });
    execFileSync('gpg', ['--homedir', gnupg, '--batch', '--passphrase', '', '--quick-gen-key', 'fake archive <a@example.invalid>', 'rsa2048', 'sign', 'never'], { stdio: 'ignore' });
    const keyring = path.join(work, 'archive.gpg');
    writeFileSync(keyring, execFileSync('gpg', ['--homedir', gnupg, '--export']));
    publish([buildDeb(work, 'python3.99-dbg', '1.0-1', 'usr/bin/python3.99d'), buildDeb(work, 'libfake1', '2:1.0-1', 'usr/lib/x86_64-linux-gnu/libfake.so.1')], gnupg);
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const body = files.get(request.url ?? '');
      response.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const configDir = path.join(work, 'etc-apt');
    mkdirSync(path.join(configDir, 'sources.list.d'), { recursive: true });
    writeFileSync(path.join(configDir, 'sources.list.d', 'debian.sources'), `Types: deb\nURIs: http://127.0.0.1:${port}/debian\nSuites: stable\nComponents: main\n`);
    apt = { configDir, keyring };
  }, 60_000);
  afterAll(() => {
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const cacheDir = () => path.join(work, 'cache');
  const ensure = (pins: readonly RuntimePackage[]) => ensurePythonBuild(VERSION, { pins, cacheDir: cacheDir(), build: BUILD, apt, log: () => {} });
  let pins: RuntimePackage[];

  it('cold: downloads every package through its own sources list, records version and hash, unpacks one root', async () => {
    const build = await ensure([]);
    pins = build.packages;
    expect(pins.map(({ name, version }) => `${name}=${version}`)).toEqual(['libfake1=2:1.0-1', 'python3.99-dbg=1.0-1']);
    expect(pins[1]!.sha256).toBe(sha256(files.get('/debian/pool/main/python3.99-dbg_1.0-1_amd64.deb')!));
    expect(build.downloaded).toBeGreaterThan(0);
    expect(readFileSync(build.layout.python, 'utf8')).toBe('python3.99-dbg 1.0-1\n');
    expect(existsSync(path.join(build.layout.root, 'usr/lib/x86_64-linux-gnu/libfake.so.1'))).toBe(true);
    expect(readFileSync(build.layout.sourcesList, 'utf8')).toContain(`/debian fake main`);
    expect(requests).toContain('/debian/dists/fake/InRelease');
  }, 60_000);

  it('warm: with the pins and the cache, no request and no download', async () => {
    requests = [];
    const build = await ensure(pins);
    expect(requests).toEqual([]);
    expect(build.downloaded).toBe(0);
    expect(build.packages).toEqual(pins);
  });

  it('a pinned .deb whose hash differs from the pin fails, naming the file', async () => {
    const wrong = pins.map((pin) => (pin.name === 'libfake1' ? { ...pin, sha256: '0'.repeat(64) } : pin));
    await expect(ensure(wrong)).rejects.toThrow(/libfake1_2%3a1\.0-1_amd64\.deb: SHA-256 [0-9a-f]{64}, but data\/runtime pins libfake1 2:1\.0-1/);
  });

  it('a pinned version the archive no longer has fails, naming the sources list and --repin', async () => {
    const gone = pins.map((pin) => (pin.name === 'libfake1' ? { ...pin, version: '2:0.9-1' } : pin));
    await expect(ensure(gone)).rejects.toThrow(/sources\.list: apt-get download failed .*--repin/s);
  }, 60_000);
});
