/**
 * `capi-refs lsp` through a real client (vscode-jsonrpc over stdio, as editors speak to it): hover matches the
 * dataset, the checker's findings arrive as diagnostics, a code action's edit makes its diagnostic go away, and
 * settings come from the editor and the project's file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, HoverRequest, type Diagnostic, type MarkupContent, type TextEdit } from 'vscode-languageserver-protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVersion } from '../../packages/capi-refs/src/data.ts';
import { PARAM_WORDS, RETURN_WORDS } from '../../packages/capi-refs/src/ownership-words.ts';
import { startClient, type TestClient } from '../../packages/capi-refs/bench/lsp-client.ts';

const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-lsp-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A PyDict_GetItem call that error-hiding-call reports for 3.13 (the Neovim test opens the same file). */
const LOOKUP = readFileSync(path.resolve(import.meta.dirname, '../fixtures/lsp/lookup.c'), 'utf8');

/** 20 names of 3.13 spread over the dataset (every n-th documented function or macro, by name). */
function sampledNames(count: number): string[] {
  const names = [...getVersion('3.13').apis.values()]
    .filter((api) => (api.kind === 'function' || api.kind === 'macro') && api.documented)
    .map((api) => api.name)
    .sort();
  const step = Math.floor(names.length / count);
  return Array.from({ length: count }, (_, i) => names[i * step]!);
}

describe('capi-refs lsp with a vscode-jsonrpc client', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await startClient({ python: '3.13' });
  });
  afterAll(async () => client.stop());

  it('hovers: for 20 names sampled from the dataset, the facts of the configured version', async () => {
    const names = sampledNames(20);
    const uri = pathToFileURL(path.join(TMP, 'hover.c')).href;
    client.open(uri, names.map((n) => `    ${n}`).join('\n'));
    const index = getVersion('3.13');
    for (const [line, name] of names.entries()) {
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 6 } });
      const text = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      const api = index.apis.get(name)!;
      expect(text, name).toContain(`**${name}** — ${api.kind}, Python 3.13`);
      expect(text, name).toContain(api.signature);
      if (api.returns) expect(text, name).toContain(`**Returns:** ${RETURN_WORDS[api.returns.ownership]}`);
      for (const p of api.params) expect(text, `${name} ${p.name}`).toContain(`\`${p.name}\`: ${PARAM_WORDS[p.ownership as keyof typeof PARAM_WORDS]}`);
      expect(text, name).toContain(`(https://capi-refs.org/api/${name}/?v=3.13)`);
      expect(hover?.range).toEqual({ start: { line, character: 4 }, end: { line, character: 4 + name.length } });
    }
    const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
    expect(nothing).toBeNull(); // indentation, not a name
  });

  it('publishes a diagnostic for PyDict_GetItem, and its code action makes it go away', async () => {
    const uri = pathToFileURL(path.join(TMP, 'lookup.c')).href;
    const first = client.diagnostics(uri);
    client.open(uri, LOOKUP);
    const { diagnostics } = await first;
    expect(diagnostics.map((d) => [d.range.start.line, d.code, d.source])).toEqual([[8, 'error-hiding-call', 'capi-refs']]);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
    expect(actions).toHaveLength(1);
    const action = actions![0] as { title: string; edit: { changes: Record<string, TextEdit[]> } };
    expect(action.title).toContain('PyDict_GetItemRef');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'c', 1, LOOKUP), action.edit.changes[uri]!);
    const after = client.diagnostics(uri, (p) => p.version === 2);
    client.change(uri, fixed, 2);
    expect((await after).diagnostics).toEqual([]);
  });

  it('analyses the latest text after a burst of changes', async () => {
    const uri = pathToFileURL(path.join(TMP, 'burst.c')).href;
    const opened = client.diagnostics(uri);
    client.open(uri, LOOKUP);
    await opened;
    const last = client.diagnostics(uri, (p) => p.version === 6);
    for (let v = 2; v <= 6; v++) client.change(uri, LOOKUP.replace('PyDict_GetItem(d, k)', v === 6 ? 'PyDict_GetItemWithError(d, k)' : `PyDict_GetItem(d, k) /* ${v} */`), v);
    expect((await last).diagnostics.map((d: Diagnostic) => d.code)).not.toContain('error-hiding-call');
  });
});

describe('settings', () => {
  it('reports a broken capi-refs.toml (or a version with no data) once, not on every edit, and again once it is broken another way', async () => {
    const dir = mkdtempSync(path.join(TMP, 'broken-'));
    const settings = path.join(dir, 'capi-refs.toml');
    writeFileSync(settings, 'pyton = "3.11"\n');
    const uri = pathToFileURL(path.join(dir, 'ext.c')).href;
    const client = await startClient();
    try {
      const edits = [LOOKUP, `${LOOKUP}\n`, `${LOOKUP}\n\n`];
      for (const [i, text] of edits.entries()) {
        const published = client.diagnostics(uri, (p) => p.version === i + 1);
        if (i === 0) client.open(uri, text);
        else client.change(uri, text, i + 1);
        await published;
      }
      expect(client.messages.map((m) => m.message)).toEqual([expect.stringContaining('unknown setting pyton')]);
      writeFileSync(settings, 'python = 3.11\n');
      const published = client.diagnostics(uri, (p) => p.version === 4);
      client.change(uri, LOOKUP, 4);
      await published;
      expect(client.messages.map((m) => m.message)).toEqual([expect.stringContaining('unknown setting pyton'), expect.stringContaining('python must be a version')]);
      // a version with no data is reported the same way: once while it lasts
      writeFileSync(settings, 'python = "3.99"\n');
      for (const version of [5, 6]) {
        const done = client.diagnostics(uri, (p) => p.version === version);
        client.change(uri, `${LOOKUP}${'\n'.repeat(version)}`, version);
        await done;
      }
      expect(client.messages.slice(2).map((m) => m.message)).toEqual([expect.stringContaining('no data for Python 3.99')]);
    } finally {
      await client.stop();
    }
  });

  it("the editor's settings override the project's capi-refs.toml, key by key", async () => {
    const dir = mkdtempSync(path.join(TMP, 'project-'));
    writeFileSync(path.join(dir, 'capi-refs.toml'), 'python = "3.11"\n[rules]\nreturns-borrowed = "off"\n');
    const source = `${LOOKUP}\nstatic PyObject *\nnone(PyObject *self, PyObject *unused)\n{\n    return Py_None;\n}\nstatic PyMethodDef methods[] = {{"none", none, METH_NOARGS, NULL}, {NULL}};\n`;
    const uri = pathToFileURL(path.join(dir, 'ext.c')).href;

    const projectOnly = await startClient();
    try {
      const published = projectOnly.diagnostics(uri);
      projectOnly.open(uri, source);
      // 3.11 has no PyDict_GetItemRef to suggest, and returns-borrowed is off.
      expect((await published).diagnostics).toEqual([]);
    } finally {
      await projectOnly.stop();
    }

    const editor = await startClient({ python: '3.13' });
    try {
      const published = editor.diagnostics(uri);
      editor.open(uri, source);
      expect((await published).diagnostics.map((d) => d.code)).toEqual(['error-hiding-call']);
    } finally {
      await editor.stop();
    }
  });
});
