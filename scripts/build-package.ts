/**
 * Build the npm package packages/capi-refs:
 *   1. write packages/capi-refs/src/types.ts: TypeScript types generated from the zod schemas (committed), and the
 *      rules block of packages/capi-refs/README.md: every checker rule, generated from the rules' metadata (committed);
 *   2. compile packages/capi-refs/src to dist/ with tsc (JavaScript + .d.ts: Node does not strip types under node_modules);
 *   3. copy tree-sitter-c.wasm (and its licence) next to the compiled checker;
 *   4. copy data/capi.json, data/versions/*.json and data/schema/*.json into the package (never edited by hand);
 *   5. write data/checker/X.Y.json for each version: what the checker reads of it (src/checker-facts.ts).
 *
 *   npm run build:package               # build (also run by `npm ci` through the root prepare script)
 *   npm run build:package -- --check    # build nothing; fail if types.ts, the README's rules, the data copies, the checker's facts or the packed file list are not what they should be
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RULES } from '../packages/capi-refs/src/check.ts';
import { deriveCheckerFacts } from '../packages/capi-refs/src/checker-facts.ts';
import type { CombinedDataset, VersionDataset } from '../packages/capi-refs/src/types.ts';
import { readRulesBlock, renderRulesSection, replaceRulesBlock } from '../packages/capi-refs/tools/render-rules-doc.ts';
import { renderTypes } from '../packages/capi-refs/tools/render-types.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PKG = path.join(ROOT, 'packages/capi-refs');
const require = createRequire(import.meta.url);

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

/** Every data file the package ships: [source in the repo, destination in the package], relative paths. */
export function dataCopies(): [string, string][] {
  const copies: [string, string][] = [['data/capi.json', 'data/capi.json']];
  for (const f of readdirSync(path.join(ROOT, 'data/versions')).filter((f) => f.endsWith('.json')).sort()) {
    copies.push([`data/versions/${f}`, `data/versions/${f}`]);
  }
  for (const f of readdirSync(path.join(ROOT, 'data/schema')).filter((f) => f.endsWith('.json')).sort()) {
    copies.push([`data/schema/${f}`, `schema/${f}`]);
  }
  return copies;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
}

/** Where the package keeps the checker's facts of a version. */
function checkerFactPath(version: string): string {
  return `data/checker/${version}.json`;
}

/** The checker's facts of each version, as the package ships them: [destination in the package, file text]. */
export function checkerFactFiles(): [string, string][] {
  const combined = readJson('data/capi.json') as CombinedDataset;
  const datasets = new Map<string, VersionDataset>();
  const load = (version: string): VersionDataset => {
    let dataset = datasets.get(version);
    if (!dataset) datasets.set(version, (dataset = readJson(`data/versions/${version}.json`) as VersionDataset));
    return dataset;
  };
  // One line, no indentation: the file is read by every checker worker as it starts, never by people.
  return combined.versions.map((version) => [checkerFactPath(version), `${JSON.stringify(deriveCheckerFacts(version, combined, load))}\n`]);
}

const TYPES_FILE = path.join(PKG, 'src/types.ts');
const README_FILE = path.join(PKG, 'README.md');

function build(): void {
  writeFileSync(TYPES_FILE, renderTypes());
  writeFileSync(README_FILE, replaceRulesBlock(readFileSync(README_FILE, 'utf8'), renderRulesSection(RULES)));
  rmSync(path.join(PKG, 'dist'), { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(PKG, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('tsc failed to compile packages/capi-refs');
  const grammarDir = path.dirname(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
  copyFileSync(path.join(grammarDir, 'tree-sitter-c.wasm'), path.join(PKG, 'dist/tree-sitter-c.wasm'));
  copyFileSync(path.join(grammarDir, 'LICENSE'), path.join(PKG, 'dist/tree-sitter-c.LICENSE'));
  rmSync(path.join(PKG, 'data'), { recursive: true, force: true });
  rmSync(path.join(PKG, 'schema'), { recursive: true, force: true });
  for (const [from, to] of dataCopies()) {
    mkdirSync(path.dirname(path.join(PKG, to)), { recursive: true });
    copyFileSync(path.join(ROOT, from), path.join(PKG, to));
  }
  const facts = checkerFactFiles();
  mkdirSync(path.join(PKG, 'data/checker'), { recursive: true });
  for (const [to, text] of facts) writeFileSync(path.join(PKG, to), text);
  console.error(`built packages/capi-refs: dist/, ${dataCopies().length} data files, ${facts.length} checker fact files`);
}

/** The files `npm pack` includes, from `npm pack --dry-run --json`. */
export function packedFiles(): { files: string[]; size: number; unpackedSize: number } {
  const npm = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PKG, encoding: 'utf8' });
  if (npm.status !== 0) throw new Error(`npm pack --dry-run failed: ${npm.stderr}`);
  const [info] = JSON.parse(npm.stdout) as { files: { path: string }[]; size: number; unpackedSize: number }[];
  return { files: info!.files.map((f) => f.path).sort(), size: info!.size, unpackedSize: info!.unpackedSize };
}

/** What the package must contain, exactly. */
export function expectedFiles(): string[] {
  const dist = (readdirSync(path.join(PKG, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .flatMap((f) => [`dist/${f.replace(/\.ts$/, '.js')}`, `dist/${f.replace(/\.ts$/, '.d.ts')}`]);
  return [
    'LICENSE',
    'README.md',
    'package.json',
    'bin/capi-refs.js',
    'dist/tree-sitter-c.wasm',
    'dist/tree-sitter-c.LICENSE',
    ...dist,
    ...dataCopies().map(([, to]) => to),
    // Named from the versions alone: deriving the files' text to list them read every version's file again.
    ...(readJson('data/capi.json') as CombinedDataset).versions.map(checkerFactPath),
  ].sort();
}

function check(): void {
  const problems: string[] = [];
  if (!existsSync(TYPES_FILE) || readFileSync(TYPES_FILE, 'utf8') !== renderTypes()) {
    problems.push('packages/capi-refs/src/types.ts differs from the zod schemas: run npm run build:package');
  }
  if (readRulesBlock(readFileSync(README_FILE, 'utf8')) !== renderRulesSection(RULES)) {
    problems.push("packages/capi-refs/README.md: the checker rules block differs from the rules' metadata: run npm run build:package");
  }
  for (const [from, to] of dataCopies()) {
    const dest = path.join(PKG, to);
    if (!existsSync(dest) || !readFileSync(dest).equals(readFileSync(path.join(ROOT, from)))) {
      problems.push(`packages/capi-refs/${to} is not a copy of ${from}: run npm run build:package`);
    }
  }
  for (const [to, text] of checkerFactFiles()) {
    const dest = path.join(PKG, to);
    if (!existsSync(dest) || readFileSync(dest, 'utf8') !== text) {
      problems.push(`packages/capi-refs/${to} is not what data/versions/ and data/capi.json give: run npm run build:package`);
    }
  }
  if (problems.length === 0) {
    const { files } = packedFiles();
    const expected = expectedFiles();
    const extra = files.filter((f) => !expected.includes(f));
    const missing = expected.filter((f) => !files.includes(f));
    if (extra.length) problems.push(`npm pack would include files it should not: ${extra.join(', ')}`);
    if (missing.length) problems.push(`npm pack would miss: ${missing.join(', ')}`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else {
    console.error('packages/capi-refs is up to date and packs exactly the expected files.');
  }
}

if (import.meta.main) {
  if (values.check) check();
  else build();
}
