/**
 * `capi-refs lsp` through Neovim's built-in client, headless (Debian's neovim; scripts/ensure-system-packages.ts
 * installs it for the tests): a C file opened in a buffer gets the diagnostic, hover shows the facts, and the
 * code action's edit, applied by Neovim, makes the diagnostic go away.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../../packages/capi-refs/bench/lsp-client.ts';

const NVIM = '/usr/bin/nvim';
const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-nvim-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

// CI installs Neovim (ensure-system-packages); elsewhere a machine without it skips, saying why.
const skip = !existsSync(NVIM) && process.env.CI !== 'true';

describe.skipIf(skip)('capi-refs lsp in Neovim (headless)', () => {
  it('shows the diagnostic, hovers, and applies the code action that clears it', () => {
    const file = path.join(TMP, 'lookup.c');
    copyFileSync(path.resolve(import.meta.dirname, '../fixtures/lsp/lookup.c'), file);
    const out = path.join(TMP, 'out.json');
    const run = spawnSync(NVIM, ['--headless', '--clean', '-n', '-c', `luafile ${path.join(import.meta.dirname, 'neovim/client.lua')}`], {
      env: { ...process.env, CAPI_REFS_NODE: process.execPath, CAPI_REFS_CLI: CLI, CAPI_REFS_FILE: file, CAPI_REFS_OUT: out },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(existsSync(out), `nvim wrote nothing: ${run.stderr}${run.stdout}`).toBe(true);
    const seen = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(seen.error).toBeUndefined();
    expect(seen.diagnostics_arrived).toBe(true);
    expect(seen.diagnostics).toEqual([{ line: 8, code: 'error-hiding-call', source: 'capi-refs', message: expect.stringContaining('PyDict_GetItemRef') }]);
    expect(seen.hover).toContain('**PyDict_GetItem** — function, Python 3.13');
    expect(seen.hover).toContain('a borrowed reference');
    expect(seen.action_title).toContain('PyDict_GetItemRef');
    expect(seen.text_after).toContain('if (PyDict_GetItemRef(d, k, &v) < 0) {');
    expect(seen.cleared).toBe(true);
  }, 240_000);
});
