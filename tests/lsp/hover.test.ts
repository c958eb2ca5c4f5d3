/** The hover's pieces: the name under the cursor, and the site address it links to. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { identifierAt, pageUrl, SITE_URL } from '../../packages/capi-refs/src/lsp/hover.ts';

describe('identifierAt', () => {
  it('finds the whole name around the offset, at its start, middle or end', () => {
    const text = '    v = PyDict_GetItem(d, k);';
    for (const offset of [8, 12, 22]) expect(identifierAt(text, offset)).toEqual({ name: 'PyDict_GetItem', start: 8 });
  });

  it('near miss: nothing on spaces, punctuation or a number', () => {
    expect(identifierAt('a (  ) b', 3)).toBeNull();
    expect(identifierAt('x = 42;', 5)).toBeNull();
  });
});

// Read as text: the Astro config is for the site's build, not for the type-checked code.
const DEFAULT_SITE_URL = /DEFAULT_SITE_URL = '([^']+)'/.exec(readFileSync(path.resolve(import.meta.dirname, '../../astro.config.mjs'), 'utf8'))![1];

describe('links', () => {
  it("point at the site's own address and its API pages, with the version", () => {
    expect(SITE_URL).toBe(DEFAULT_SITE_URL);
    expect(pageUrl('PyList_SetItem', '3.11')).toBe(`${DEFAULT_SITE_URL}/api/PyList_SetItem/?v=3.11`);
  });
});
