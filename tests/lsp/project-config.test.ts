/**
 * The settings file the CLI and the language server share: what it accepts, what it refuses (naming the file and
 * the key), where it is found, and that `capi-refs check` applies it (its options still win).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ConfigFileCache, findProjectConfig, parseProjectConfig } from '../../packages/capi-refs/src/config/project-config.ts';
import { RULE_IDS } from '../../packages/capi-refs/src/rules/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'packages/capi-refs/src/cli.ts');
const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-config-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('parseProjectConfig', () => {
  it('reads every setting of capi-refs.toml', () => {
    const text = 'python = "3.11"\nlimited-api = "3.10"\ngil-disabled = true\nexplain = true\nfail-on = "error"\n[rules]\nreference-leak = "error"\ndeprecated-api = "off"\n';
    expect(parseProjectConfig(text, 'capi-refs.toml', RULE_IDS)).toEqual({
      file: 'capi-refs.toml',
      python: '3.11',
      limitedApi: '3.10',
      gilDisabled: true,
      explain: true,
      failOn: 'error',
      rules: { 'reference-leak': 'error', 'deprecated-api': 'off' },
    });
    expect(parseProjectConfig('limited-api = false\n', 'capi-refs.toml', RULE_IDS)).toEqual({ file: 'capi-refs.toml', limitedApi: null, rules: {} });
  });

  it('reads [tool.capi-refs] of pyproject.toml, and nothing from one without it', () => {
    const text = '[project]\nname = "ext"\n\n[tool.capi-refs]\npython = "3.13"\n\n[tool.capi-refs.rules]\nreturns-borrowed = "warning"\n';
    expect(parseProjectConfig(text, '/p/pyproject.toml', RULE_IDS)).toEqual({ file: '/p/pyproject.toml', python: '3.13', rules: { 'returns-borrowed': 'warning' } });
    expect(parseProjectConfig('[project]\nname = "ext"\n', '/p/pyproject.toml', RULE_IDS)).toBeNull();
  });

  it('refuses what it cannot use, naming the file, the key and what is expected', () => {
    const refuse = (text: string, file = 'capi-refs.toml') => () => parseProjectConfig(text, file, RULE_IDS);
    expect(refuse('pyton = "3.11"')).toThrow(ConfigError);
    expect(refuse('pyton = "3.11"')).toThrow('capi-refs.toml: unknown setting pyton; the settings are python, limited-api');
    expect(refuse('python = 3.11')).toThrow('capi-refs.toml: python must be a version such as "3.13" (got 3.11)');
    expect(refuse('[rules]\nreference-leek = "off"')).toThrow('capi-refs.toml: rules.reference-leek: no such rule');
    expect(refuse('[rules]\nreference-leak = "fatal"')).toThrow('rules.reference-leak must be error, warning, note, off (got "fatal")');
    expect(refuse('[tool.capi-refs]\nfail-on = "always"', 'x/pyproject.toml')).toThrow('x/pyproject.toml: tool.capi-refs.fail-on must be error, warning, note, none');
    expect(refuse('python = "3.11"\npython = "3.13"')).toThrow(/capi-refs.toml: not valid TOML \(line 2, column \d+\)/);
  });
});

describe('findProjectConfig', () => {
  it('takes the nearest folder with settings, capi-refs.toml before pyproject.toml, and skips a pyproject.toml without them', async () => {
    const top = path.join(TMP, 'find');
    const src = path.join(top, 'pkg', 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(top, 'capi-refs.toml'), 'python = "3.9"\n');
    writeFileSync(path.join(top, 'pkg', 'pyproject.toml'), '[project]\nname = "x"\n');
    expect((await findProjectConfig(src, RULE_IDS))?.python).toBe('3.9');
    writeFileSync(path.join(top, 'pkg', 'pyproject.toml'), '[tool.capi-refs]\npython = "3.11"\n');
    expect((await findProjectConfig(src, RULE_IDS))?.file).toBe(path.join(top, 'pkg', 'pyproject.toml'));
    writeFileSync(path.join(top, 'pkg', 'capi-refs.toml'), 'python = "3.13"\n');
    expect((await findProjectConfig(src, RULE_IDS))?.python).toBe('3.13');
  });
});

describe('ConfigFileCache (the language server asks on every edit and hover)', () => {
  it('reads a settings file again only when it changed, and sees files appear and go', async () => {
    const top = path.join(TMP, 'cache');
    const src = path.join(top, 'src');
    mkdirSync(src, { recursive: true });
    const file = path.join(top, 'capi-refs.toml');
    const cache = new ConfigFileCache();
    expect(await findProjectConfig(src, RULE_IDS, cache)).toBeNull();
    const whenWritten = 1_700_000_000; // seconds: a time utimes sets exactly
    writeFileSync(file, 'python = "3.9"\n');
    utimesSync(file, whenWritten, whenWritten);
    expect((await findProjectConfig(src, RULE_IDS, cache))?.python).toBe('3.9');
    // same size and modification time: the cache answers without reading (it still says 3.9)
    writeFileSync(file, 'python = "3.8"\n');
    utimesSync(file, whenWritten, whenWritten);
    expect((await findProjectConfig(src, RULE_IDS, cache))?.python).toBe('3.9');
    // a real edit is read
    writeFileSync(file, 'python = "3.13"\n');
    expect((await findProjectConfig(src, RULE_IDS, cache))?.python).toBe('3.13');
    writeFileSync(file, 'pyton = "3.13"\n');
    await expect(findProjectConfig(src, RULE_IDS, cache)).rejects.toThrow('unknown setting pyton');
    await expect(findProjectConfig(src, RULE_IDS, cache)).rejects.toThrow('unknown setting pyton');
    rmSync(file);
    expect(await findProjectConfig(src, RULE_IDS, cache)).toBeNull();
  });
});

describe('capi-refs check with a settings file', () => {
  const dir = path.join(TMP, 'check');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'ext.c');
  writeFileSync(file, 'static PyObject *\nf(PyObject *d, PyObject *k)\n{\n    PyObject *v = PyDict_GetItem(d, k);\n    return PyObject_Repr(v);\n}\n');
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'check', file, ...args], { cwd: dir, encoding: 'utf8' });

  it('applies the target version and rule levels of the folder it runs in; options override them', () => {
    writeFileSync(path.join(dir, 'capi-refs.toml'), 'python = "3.13"\n[rules]\nerror-hiding-call = "error"\n');
    const withFile = run([]);
    expect(withFile.stdout).toContain('error [error-hiding-call]');
    expect(withFile.stderr).toContain('for Python 3.13');
    expect(run(['--python', '3.11']).stdout).not.toContain('error-hiding-call'); // 3.11 has no PyDict_GetItemRef
    writeFileSync(path.join(dir, 'capi-refs.toml'), 'python = "3.13"\n[rules]\nerror-hiding-call = "off"\n');
    expect(run([]).stdout).not.toContain('error-hiding-call');
  });

  it('stops with the file and the problem when the settings are wrong', () => {
    writeFileSync(path.join(dir, 'capi-refs.toml'), 'python = "3.13"\n[rules]\nno-such-rule = "off"\n');
    const r = run([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'capi-refs.toml')}: rules.no-such-rule: no such rule`);
    writeFileSync(path.join(dir, 'other.toml'), 'python = "2.7"\n');
    expect(run(['--config', path.join(dir, 'other.toml')]).stderr).toContain('python must be a version such as "3.13" (got "2.7")');
  });
});
