// Rebuild the reference-counting fix benchmark from local bare clones of the public repositories it names.
//
// For every entry of fixes.json, writes `<out>/<id>/before.c` (the file at the fix's parent), `<out>/<id>/after.c`
// (the file at the fix) and `<out>/<id>/meta.json` (the manifest entry). With --heads, writes instead every .c/.h
// file of each repository's HEAD (vendored third-party folders left out) to `<out-heads>/<owner+name>/...`, plus
// `<out-heads>/heads.json` naming the commit of each, for measuring the checker's noise on current code.
//
//   node packages/capi-refs/bench/rebuild-fixes.ts [--mirrors DIR] [--out DIR]
//   node packages/capi-refs/bench/rebuild-fixes.ts --heads [--mirrors DIR] [--out-heads DIR]
//
// A repository owner/name is looked up as the folder `<mirrors>/<owner+name>` (the git dir may be nested in it).
// Missing clones or commits are reported and skipped; the script then exits 1 listing them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type Fix = {
  id: string;
  repo: string;
  commit: string;
  path: string;
  parent?: string;
  changedLines: { before: [number, number][]; after: [number, number][] };
  kind: string;
  apis: string[];
  bug: string;
};

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const MANIFEST = join(import.meta.dirname, 'fixes.json');

/** Folders holding code that is plainly not the project's own: by common name anywhere, and per repository. */
const VENDORED = /(^|\/)(deps|vendor|vendored|third_party|thirdparty|third-party|external|libs)\//;
const VENDORED_IN: Record<string, string[]> = {
  'indygreg/python-zstandard': ['zstd/'], // the zstd library
  'python-lz4/python-lz4': ['lz4libs/'], // the lz4 library
  'WojciechMula/pyahocorasick': ['src/msinttypes/'], // MSVC stdint/inttypes shims
};

function isVendored(repo: string, file: string): boolean {
  return VENDORED.test(file) || (VENDORED_IN[repo] ?? []).some((dir) => file.startsWith(dir));
}

/** The git directory (a folder with HEAD and objects/) of `owner/name` under `mirrors`, searched a few levels deep. */
export function findGitDir(mirrors: string, repo: string): string | undefined {
  const search = (dir: string, depth: number): string | undefined => {
    if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'))) return dir;
    if (depth === 0) return undefined;
    for (const name of readdirSync(dir).sort()) {
      const sub = join(dir, name);
      if (statSync(sub).isDirectory()) {
        const found = search(sub, depth - 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  const top = join(mirrors, repo.replace('/', '+'));
  return existsSync(top) ? search(top, 3) : undefined;
}

function gitShow(gitDir: string, spec: string): Buffer {
  const options = { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
  return execFileSync('git', ['--git-dir', gitDir, 'show', spec], options);
}

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

function write(file: string, data: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

function rebuildFixes(fixes: Fix[], mirrors: string, out: string, missing: string[]): number {
  let written = 0;
  for (const fix of fixes) {
    const gitDir = findGitDir(mirrors, fix.repo);
    if (!gitDir) {
      missing.push(`${fix.id}: no clone of ${fix.repo} under ${mirrors}: fetch the repository first`);
      continue;
    }
    const parent = fix.parent ?? `${fix.commit}^`;
    let before: Buffer;
    let after: Buffer;
    try {
      before = gitShow(gitDir, `${parent}:${fix.path}`);
      after = gitShow(gitDir, `${fix.commit}:${fix.path}`);
    } catch {
      const what = `commit ${fix.commit} (${fix.path})`;
      missing.push(`${fix.id}: ${what} not in the clone of ${fix.repo}: fetch the repository first`);
      continue;
    }
    const dir = join(out, fix.id);
    write(join(dir, 'before.c'), before);
    write(join(dir, 'after.c'), after);
    write(join(dir, 'meta.json'), `${JSON.stringify(fix, null, 2)}\n`);
    written += 3;
  }
  return written;
}

function rebuildHeads(repos: string[], mirrors: string, out: string, missing: string[]): number {
  let written = 0;
  const heads: { repo: string; commit: string; files: number; absent?: string[] }[] = [];
  for (const repo of repos) {
    const gitDir = findGitDir(mirrors, repo);
    if (!gitDir) {
      missing.push(`${repo}: no clone under ${mirrors}: fetch the repository first`);
      continue;
    }
    const commit = git(gitDir, ['rev-parse', 'HEAD^{commit}']).trim();
    const files = git(gitDir, ['ls-tree', '-r', '--name-only', commit])
      .split('\n')
      .filter((f) => /\.[ch]$/.test(f) && !isVendored(repo, f));
    const dir = join(out, repo.replace('/', '+'));
    rmSync(dir, { recursive: true, force: true });
    // A snapshot may lack its largest files (e.g. generated tables): note them rather than fail.
    const absent: string[] = [];
    for (const f of files) {
      let data: Buffer;
      try {
        data = gitShow(gitDir, `${commit}:${f}`);
      } catch {
        absent.push(f);
        continue;
      }
      write(join(dir, f), data);
      written++;
    }
    if (absent.length > 0) {
      console.warn(`${repo}: ${absent.length} file(s) absent from the clone: ${absent.join(', ')}`);
    }
    heads.push({ repo, commit, files: files.length - absent.length, ...(absent.length > 0 ? { absent } : {}) });
  }
  write(join(out, 'heads.json'), `${JSON.stringify(heads, null, 2)}\n`);
  return written + 1;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      mirrors: { type: 'string', default: '/work/.mirror' },
      out: { type: 'string', default: join(REPO_ROOT, '.cache/checker-bench/fixes') },
      heads: { type: 'boolean', default: false },
      'out-heads': { type: 'string', default: join(REPO_ROOT, '.cache/checker-bench/heads') },
    },
  });
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { fixes: Fix[] };
  const missing: string[] = [];
  const mirrors = resolve(values.mirrors);
  let written: number;
  let out: string;
  if (values.heads) {
    out = resolve(values['out-heads']);
    written = rebuildHeads([...new Set(manifest.fixes.map((f) => f.repo))].sort(), mirrors, out, missing);
  } else {
    out = resolve(values.out);
    written = rebuildFixes(manifest.fixes, mirrors, out, missing);
  }
  console.log(`wrote ${written} files under ${out}`);
  if (missing.length > 0) {
    console.error(`missing (${missing.length}):\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
}
