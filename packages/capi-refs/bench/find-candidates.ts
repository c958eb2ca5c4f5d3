// List candidate reference-counting fixes in a local bare clone, or print the manifest skeleton of one fix.
//
// Candidates: non-merge commits whose message matches one of the grep terms below (case-insensitive) and that touch
// a .c file; for each, the .c files changed with their added/removed line counts, so small one-file fixes stand out.
//
//   node packages/capi-refs/bench/find-candidates.ts --repo giampaolo/psutil [--max-lines 60]
//   node packages/capi-refs/bench/find-candidates.ts --repo giampaolo/psutil --commit SHA --path psutil/_psutil_linux.c
//
// The clone is looked up as `<mirrors>/<owner+name>` (default mirrors: /work/.mirror), like rebuild-fixes.ts.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { findGitDir } from './rebuild-fixes.ts';

export const GREP_TERMS = ['leak', 'refcount', 'refleak', 'decref', 'incref', 'reference count'];

type Range = [number, number];

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** Line ranges removed (before) and added (after) by a `git diff -U0` text; a pure insertion or deletion records
 *  the neighbouring lines of the other side instead, so every hunk has a range on both sides. */
export function changedLines(diff: string): { before: Range[]; after: Range[] } {
  const before: Range[] = [];
  const after: Range[] = [];
  for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    const [oldStart, oldCount, newStart, newCount] = [m[1], m[2] ?? '1', m[3], m[4] ?? '1'].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    // With a zero count, git gives the line *before* the insertion/deletion point (0 at the top of the file).
    before.push(oldCount === 0 ? [Math.max(oldStart, 1), oldStart + 1] : [oldStart, oldStart + oldCount - 1]);
    after.push(newCount === 0 ? [Math.max(newStart, 1), newStart + 1] : [newStart, newStart + newCount - 1]);
  }
  return { before, after };
}

function listCandidates(gitDir: string, maxLines: number): void {
  const grep = GREP_TERMS.flatMap((t) => ['--grep', t]);
  const log = git(gitDir, ['log', '--no-merges', '-i', ...grep, '--format=@@%H %s', '--numstat', '--', '*.c']);
  for (const block of log.split(/^@@/m).filter(Boolean)) {
    const [head = '', ...rest] = block.trim().split('\n');
    const files = rest
      .map((l) => l.split('\t'))
      .filter((p) => p.length === 3 && p[2]!.endsWith('.c'))
      .map(([a, d, f]) => ({ f: f!, n: Number(a) + Number(d) }));
    const small = files.filter((x) => x.n <= maxLines);
    if (small.length === 0) continue;
    console.log(`${head}\n    ${files.map((x) => `${x.f} (${x.n})`).join(', ')}`);
  }
}

function skeleton(repo: string, gitDir: string, commit: string, path: string): void {
  const sha = git(gitDir, ['rev-parse', `${commit}^{commit}`]).trim();
  const parents = git(gitDir, ['rev-list', '--parents', '-n1', sha]).trim().split(' ').slice(1);
  const diff = git(gitDir, ['diff', '-U0', `${sha}^`, sha, '--', path]);
  const entry: Record<string, unknown> = {
    id: `${repo.split('/')[1]}-${sha.slice(0, 7)}`,
    repo,
    commit: sha,
    path,
    changedLines: changedLines(diff),
    kind: 'other',
    apis: [],
    bug: '',
  };
  if (parents.length > 1) entry.parent = parents[0];
  console.log(JSON.stringify(entry));
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      repo: { type: 'string' },
      mirrors: { type: 'string', default: '/work/.mirror' },
      commit: { type: 'string' },
      path: { type: 'string' },
      'max-lines': { type: 'string', default: '60' },
    },
  });
  if (!values.repo) throw new Error('--repo owner/name is required');
  const gitDir = findGitDir(values.mirrors, values.repo);
  if (!gitDir) throw new Error(`no clone of ${values.repo} under ${values.mirrors}: fetch the repository first`);
  if (values.commit) {
    if (!values.path) throw new Error('--commit needs --path');
    skeleton(values.repo, gitDir, values.commit, values.path);
  } else {
    listCandidates(gitDir, Number(values['max-lines']));
  }
}
