/**
 * Read what pythoncapi-compat provides from a local clone of it (a bare git folder is enough) into
 * scripts/sources/pythoncapi-compat.json, the manifest the pipeline reads. The clone's files are read, never
 * copied: the manifest holds names, versions, line numbers and the commit.
 *
 *   npm run read:pythoncapi-compat -- --repo DIR [--commit SHA]   # write the manifest (default: DIR's HEAD)
 *   npm run read:pythoncapi-compat -- --repo DIR --check          # fail if the manifest is not what DIR gives
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CompatManifest } from '../src/schema/compat.ts';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { SourceError } from './lib/errors.ts';
import { stableJson } from './lib/json-output.ts';
import { COMPAT_MANIFEST_FILE } from './lib/paths.ts';
import { parseCompatHeader } from './sources/pythoncapi-compat.ts';

const { values } = parseArgs({ options: { repo: { type: 'string' }, commit: { type: 'string', default: 'HEAD' }, check: { type: 'boolean', default: false } } });

await runStage(async () => {
  if (!values.repo) throw new SourceError('read-pythoncapi-compat', 'no clone given', 'Give --repo DIR: a clone of python/pythoncapi-compat (bare or not).');
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', ['--git-dir', gitDir(values.repo!), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new SourceError(values.repo!, `git ${args.join(' ')} failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`, 'Give a clone of python/pythoncapi-compat that has this commit.');
    }
  };
  const commit = git('rev-parse', `${values.commit}^{commit}`).trim();
  const parsed = parseCompatHeader(git('show', `${commit}:pythoncapi_compat.h`), git('show', `${commit}:docs/api.rst`), `pythoncapi_compat.h at ${commit}`);
  const manifest = CompatManifest.parse({
    generated: `by scripts/read-pythoncapi-compat.ts from python/pythoncapi-compat at ${commit}; do not edit`,
    repository: 'python/pythoncapi-compat',
    commit,
    header: 'pythoncapi_compat.h',
    oldest: parsed.oldest,
    apis: parsed.apis,
  });
  if (await writeOrCheck(new Map([[COMPAT_MANIFEST_FILE, stableJson(manifest)]]), values.check, 'scripts/sources/pythoncapi-compat.json')) {
    console.error(`wrote scripts/sources/pythoncapi-compat.json: ${manifest.apis.length} names, Python ${manifest.oldest} and later, commit ${commit}`);
  }
});

/** A bare clone is the folder itself; a work tree keeps it in .git. */
function gitDir(repo: string): string {
  const dir = execFileSync('git', ['-C', repo, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).trim();
  return path.resolve(repo, dir);
}
