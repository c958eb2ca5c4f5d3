/**
 * The npm package as published: builds, packs exactly the allowed files, runs from the compiled bin, and carries
 * types equal to the zod schemas without needing zod.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type * as Packaged from '../../packages/capi-refs/src/types.ts';
import type * as Schema from '../../src/schema/index.ts';
import { renderTypes } from '../../packages/capi-refs/tools/render-types.ts';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startClient } from '../../packages/capi-refs/bench/lsp-client.ts';
import { PACKAGE, ROOT, runCli } from './helpers.ts';

// Compile-time proof that the generated types are the zod schemas' inferred types (tsc fails otherwise).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typesMatch: [
  Equal<Packaged.Api, z.infer<typeof Schema.Api>>,
  Equal<Packaged.VersionDataset, z.infer<typeof Schema.VersionDataset>>,
  Equal<Packaged.CombinedDataset, z.infer<typeof Schema.CombinedDataset>>,
  Equal<Packaged.ParamOwnership, z.infer<typeof Schema.ParamOwnership>>,
] = [true, true, true, true];

function build(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-package.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-package failed:\n${r.stdout}\n${r.stderr}`);
}

describe('the npm package', () => {
  beforeAll(build);

  it('has types generated from the zod schemas, committed up to date', () => {
    expect(typesMatch).toEqual([true, true, true, true]);
    expect(readFileSync(path.join(PACKAGE, 'src/types.ts'), 'utf8')).toBe(renderTypes());
  });

  it('packs exactly the allowed files (build-package --check)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-package.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toContain('packs exactly the expected files');
    expect(r.status).toBe(0);
  });

  it('lists only dist, data, schema, bin and the package files in npm pack --dry-run --json', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const [info] = JSON.parse(r.stdout) as { name: string; files: { path: string }[]; size: number }[];
    expect(info!.name).toBe('capi-refs');
    const allowed = /^(package\.json|README\.md|LICENSE|bin\/capi-refs\.js|dist\/(?:(?:analysis|config|lsp|rules|run)\/)?[\w-]+\.(js|d\.ts)|dist\/tree-sitter-c\.(wasm|LICENSE)|data\/capi\.json|data\/(?:versions|checker)\/3\.\d+\.json|schema\/\w+\.schema\.json)$/;
    for (const f of info!.files) expect(f.path).toMatch(allowed);
    const paths = info!.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/types.d.ts', 'data/versions/3.15.json', 'data/checker/3.15.json', 'schema/version.schema.json']));
    expect(paths.some((p) => p.includes('src/') || p.includes('tools/') || p.endsWith('.ts') && !p.endsWith('.d.ts'))).toBe(false);
    expect(info!.size).toBeLessThan(5_000_000);
  });

  it('needs no zod at run time and its .d.ts files do not mention zod', () => {
    for (const file of ['index.js', 'query.js', 'data.js', 'check.js', 'cli.js', 'types.d.ts', 'index.d.ts']) {
      expect(readFileSync(path.join(PACKAGE, 'dist', file), 'utf8')).not.toMatch(/from ['"]zod['"]/);
    }
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['smol-toml', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'web-tree-sitter']);
  });

  it('answers from the compiled bin', () => {
    const r = runCli(['PyList_GetItem', '--version', '3.15', '--json'], { built: true });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).returns.ownership).toBe('borrowed');
    const c = runCli(['check', 'tests/fixtures/c/hazards.c'], { built: true });
    expect(c.status).toBe(1);
    expect(c.stdout).toContain('[steal-of-borrowed] PyModule_AddObject steals argument 3');
    // The compiled analysis explains the path under the finding.
    expect(c.stdout).toMatch(/\n {4}tests\/fixtures\/c\/hazards\.c:\d+:\d+: /);
    // A folder runs on the compiled worker threads (dist/run/worker.js).
    const folder = runCli(['check', 'tests/fixtures/c', '--format', 'json', '--fail-on', 'none'], { built: true });
    expect(folder.stderr).toBe('');
    expect(folder.status).toBe(0);
    expect(JSON.parse(folder.stdout).findings.length).toBeGreaterThan(5);
  });

  it('serves the language server from the compiled bin', async () => {
    const client = await startClient({ python: '3.13' }, path.join(PACKAGE, 'bin/capi-refs.js'));
    try {
      const uri = 'file:///tmp/capi-refs-package-test.c';
      const published = client.diagnostics(uri);
      client.open(uri, 'static int\nf(PyObject *d, PyObject *k)\n{\n    return PyDict_GetItem(d, k) != NULL;\n}\n');
      expect((await published).diagnostics.map((d) => d.code)).toEqual(['error-hiding-call']);
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 14 } });
      expect((hover?.contents as MarkupContent).value).toContain('**PyDict_GetItem** — function, Python 3.13');
    } finally {
      await client.stop();
    }
  });

  it('answers through npx from the workspace link', () => {
    const r = spawnSync('npx', ['--no-install', 'capi-refs', 'PyList_GetItem', '--version', '3.15', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).returns.ownership).toBe('borrowed');
  });

  it('resolves its JSON subpaths through the exports map', () => {
    const require = createRequire(path.join(ROOT, 'package.json'));
    expect(require.resolve('capi-refs/versions/3.15.json')).toMatch(/packages\/capi-refs\/data\/versions\/3\.15\.json$/);
    expect(require.resolve('capi-refs/capi.json')).toMatch(/data\/capi\.json$/);
    expect(require.resolve('capi-refs/schema/version.schema.json')).toMatch(/schema\/version\.schema\.json$/);
  });

  it('works as a library from its published entry point', async () => {
    const lib = (await import(path.join(PACKAGE, 'dist/index.js'))) as typeof import('../../packages/capi-refs/src/index.ts');
    expect(lib.getApi('PyDict_GetItem', '3.13')?.returns?.ownership).toBe('borrowed');
    expect(lib.filterApis(lib.getVersion('3.15'), { steals: true }).length).toBeGreaterThan(10);
  });
});
