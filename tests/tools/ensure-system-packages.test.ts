/** scripts/ensure-system-packages.ts: what the test command says or installs before the tests. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installCommand, missingPackages, TEST_PACKAGES } from '../../scripts/ensure-system-packages.ts';
import { ROOT } from './helpers.ts';

describe('ensure-system-packages', () => {
  it('names the missing packages and the exact command that installs them', () => {
    const missing = missingPackages(TEST_PACKAGES, new Set(['gcc', 'libc6-dev', 'python3-numpy', 'neovim']));
    expect(missing).toEqual(['chromium', 'python3.11-dev', 'python3.11-dbg', 'pre-commit']);
    expect(installCommand(missing)).toBe('apt-get update && apt-get install -y --no-install-recommends chromium python3.11-dev python3.11-dbg pre-commit');
    expect(missingPackages(TEST_PACKAGES, new Set(TEST_PACKAGES))).toEqual([]);
  });

  it('passes on this machine, where the tests run, without installing anything (--check)', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/ensure-system-packages.ts'), '--check'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
