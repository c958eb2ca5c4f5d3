import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../scripts/lib/errors.ts';
import {
  classifyChange,
  findLinkedPages,
  parseDocsPage,
  parseStableAbiAnnotation,
  parseVersionNote,
  type DocsEntry,
  type DocsPage,
} from '../scripts/sources/docs-html.ts';
import { parseStableAbiDat } from '../scripts/sources/stable-abi.ts';
import { sourceErrorOf } from './helpers/source-error.ts';
import { describeSnapshot, itSnapshot, SNAPSHOT_DIR } from './helpers/snapshot.ts';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/docs');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function label(name: string): string {
  return `tests/fixtures/docs/${name}`;
}

function parseFixture(name: string): DocsPage {
  return parseDocsPage(fixture(name), label(name));
}

function byName(page: DocsPage): Map<string, DocsEntry> {
  const map = new Map<string, DocsEntry>();
  for (const entry of page.entries) {
    expect(map.has(entry.name), `${entry.name} appears once`).toBe(false);
    map.set(entry.name, entry);
  }
  return map;
}

function get(entries: Map<string, DocsEntry>, name: string): DocsEntry {
  const entry = entries.get(name);
  if (!entry) throw new Error(`expected an entry named ${name}; have ${[...entries.keys()].join(', ')}`);
  return entry;
}

type Required = Pick<DocsEntry, 'name' | 'kind' | 'signature'>;

/** A complete entry: everything not given is the "nothing said" value. */
function entry(partial: Required & Partial<DocsEntry>): DocsEntry {
  return {
    anchor: `c.${partial.name}`,
    returnAnnotation: null,
    stableAbi: null,
    threadSafety: null,
    added: null,
    changed: [],
    deprecated: null,
    removed: null,
    replacedBy: [],
    unstable: false,
    prose: '',
    ...partial,
  };
}

/** A minimal page in the 3.13+ shape around the given body markup. */
function page(body: string, title = 'Test Objects &#8212; Python 3.13.18 documentation'): string {
  return (
    `<!DOCTYPE html>\n<html lang="en" data-content_root="../">\n<head><meta charset="utf-8" />\n<title>${title}</title></head>\n` +
    `<body><div class="body" role="main"><section id="test-objects">\n${body}\n</section></div></body>\n</html>\n`
  );
}

/** One `int NAME(void)` function in the 3.13+ markup, with the given description. */
function cFunction(name: string, description: string): string {
  return (
    `<dl class="c function">\n<dt class="sig sig-object c" id="c.${name}">\n` +
    `<span class="kt"><span class="pre">int</span></span><span class="w"> </span><span class="sig-name descname"><span class="n"><span class="pre">${name}</span></span></span>` +
    `<span class="sig-paren">(</span><span class="kt"><span class="pre">void</span></span><span class="sig-paren">)</span>` +
    `<a class="headerlink" href="#c.${name}" title="Link to this definition">¶</a><br /></dt>\n<dd>${description}</dd></dl>\n`
  );
}

function onlyEntry(html: string): DocsEntry {
  const { entries } = parseDocsPage(html, 'inline.html');
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

const STABLE_ABI = (rest: string): string =>
  `<em class="stableabi"> Part of the <a class="reference internal" href="stable.html#stable"><span class="std std-ref">Stable ABI</span></a>${rest}</em>`;

// ---------------------------------------------------------------------------

describe('parseDocsPage on the Sphinx 3 markup of 3.9', () => {
  const parsed = parseFixture('widget-3.9.html');
  const entries = byName(parsed);

  it('reads the release from the title', () => {
    expect(parsed.release).toBe('3.9.2');
  });

  it('finds every documented object with an id, in document order, nested members after their type', () => {
    expect(parsed.entries.map((e) => e.name)).toEqual([
      'PyWidgetObject',
      'PyWidget_Type',
      'PyWidget_New',
      'PyWidget_GetPart',
      'PyWidget_SetPart',
      'PyWidget_Size',
      'PyWidget_Length',
      'PyWidget_Fail',
      'PyWidget_Check',
      'Py_RETURN_WIDGET',
      'PyWidgetBuf',
      'PyWidgetBuf.data',
      'PyWidgetBuf.owner',
    ]);
  });

  it('reads a function: signature from <code class="sig-name descname"> and <em> params, the refcount annotation, "New in version"', () => {
    expect(get(entries, 'PyWidget_New')).toEqual(
      entry({
        name: 'PyWidget_New',
        kind: 'function',
        signature: 'PyObject *PyWidget_New(Py_ssize_t size)',
        returnAnnotation: 'new',
        added: '3.4',
        prose: 'Make a widget with room for ⟦size⟧ parts, or give NULL on failure.',
      }),
    );
  });

  it('reads the old type and var signatures ("type " property prefix, linked type name)', () => {
    expect(get(entries, 'PyWidgetObject')).toEqual(
      entry({
        name: 'PyWidgetObject',
        kind: 'type',
        signature: 'type PyWidgetObject',
        prose: 'The C layout of a widget; see PyWidget_New().',
      }),
    );
    expect(get(entries, 'PyWidget_Type')).toMatchObject({ kind: 'var', signature: 'PyTypeObject PyWidget_Type' });
  });

  it('reads Borrowed reference and Always NULL annotations without the class that 3.13 adds', () => {
    expect(get(entries, 'PyWidget_GetPart').returnAnnotation).toBe('borrowed');
    expect(get(entries, 'PyWidget_Fail').returnAnnotation).toBe('always-null');
    expect(get(entries, 'PyWidget_SetPart').returnAnnotation).toBeNull();
  });

  it('keeps admonition prose, leaves the code example and the version notes out, and collects every "Changed in version"', () => {
    const setPart = get(entries, 'PyWidget_SetPart');
    expect(setPart.prose).toBe('Put ⟦part⟧ into slot ⟦index⟧. Give 0 on success. Note This function “steals” a reference to ⟦part⟧.');
    expect(setPart.prose).not.toContain('CODE_ONLY_TOKEN');
    expect(setPart.changed).toEqual([{ version: '3.8', what: ['errors'] }, { version: '3.9', what: ['other'] }]);
    expect(setPart.signature).toBe('int PyWidget_SetPart(PyObject *widget, Py_ssize_t index, PyObject *part)');
  });

  it('gives every <dt> of one <dl> its own entry with the shared description', () => {
    const size = get(entries, 'PyWidget_Size');
    const length = get(entries, 'PyWidget_Length');
    expect(size.signature).toBe('Py_ssize_t PyWidget_Size(PyObject *widget)');
    expect(length.signature).toBe('Py_ssize_t PyWidget_Length(PyObject *widget)');
    expect(length.anchor).toBe('c.PyWidget_Length');
    const { name: _a, anchor: _b, signature: _c, ...sizeDetails } = size;
    const { name: _d, anchor: _e, signature: _f, ...lengthDetails } = length;
    expect(lengthDetails).toEqual(sizeDetails);
    expect(size.deprecated).toEqual({ version: '3.8', removalPlanned: null, soft: false });
    expect(size.prose).toBe('Count the parts of ⟦widget⟧.');
  });

  it('reads the old deprecated-removed note, whose span has no type class', () => {
    expect(get(entries, 'PyWidget_Fail')).toMatchObject({
      deprecated: { version: '3.3', removalPlanned: '4.0', soft: false },
      removed: null,
      prose: 'Raise a widget error with ⟦message⟧.',
    });
  });

  it('reads untyped parameters and object-like macros', () => {
    expect(get(entries, 'PyWidget_Check').signature).toBe('int PyWidget_Check(ob)');
    expect(get(entries, 'Py_RETURN_WIDGET')).toEqual(
      entry({ name: 'Py_RETURN_WIDGET', kind: 'macro', signature: 'Py_RETURN_WIDGET', prose: 'Return the shared widget from a function.' }),
    );
  });

  it('keeps a type and its nested members apart: prose and version notes stay with their own object', () => {
    const buf = get(entries, 'PyWidgetBuf');
    const data = get(entries, 'PyWidgetBuf.data');
    const owner = get(entries, 'PyWidgetBuf.owner');
    expect(buf).toMatchObject({ kind: 'type', added: '3.5', prose: 'PARENT_TAIL_TEXT after the members.' });
    expect(data).toEqual(
      entry({ name: 'PyWidgetBuf.data', kind: 'member', signature: 'void *data', added: '3.7', prose: 'Start of the MEMBER_DATA_TEXT bytes.' }),
    );
    expect(owner).toEqual(
      entry({ name: 'PyWidgetBuf.owner', kind: 'member', signature: 'PyObject *owner', prose: 'The object that lent the bytes.' }),
    );
  });

  it('takes nothing from outside the descriptions, and no permalink sign into signatures', () => {
    for (const e of parsed.entries) {
      expect(e.prose).not.toContain('stray');
      expect(e.signature).not.toContain('¶');
      expect(e.signature).toBe(e.signature.trim());
    }
  });
});

describe('parseDocsPage on the Sphinx 7 markup of 3.13', () => {
  const parsed = parseFixture('gadget-3.13.html');
  const entries = byName(parsed);

  it('reads the release and every kind the C domain has', () => {
    expect(parsed.release).toBe('3.13.18');
    expect(new Set(parsed.entries.map((e) => e.kind))).toEqual(
      new Set(['function', 'macro', 'type', 'var', 'struct', 'member', 'enumerator']),
    );
  });

  it('reads a function from the nested <span> signature, with annotations and "Added in version"', () => {
    expect(get(entries, 'PyGadget_New')).toEqual(
      entry({
        name: 'PyGadget_New',
        kind: 'function',
        signature: 'PyObject *PyGadget_New(Py_ssize_t size)',
        returnAnnotation: 'new',
        stableAbi: { since: '3.12', scope: 'stable-abi', struct: null, platform: null, slotId: null },
        added: '3.12',
        prose: 'Make a gadget with ⟦size⟧ slots. On failure, give NULL with an exception set.',
      }),
    );
  });

  it('reads return_new_ref, return_borrowed_ref and return_null annotations', () => {
    expect(get(entries, 'PyGadget_GetItemRef').returnAnnotation).toBe('new');
    expect(get(entries, 'PyGadget_GetItem').returnAnnotation).toBe('borrowed');
    expect(get(entries, 'PyGadget_Raise').returnAnnotation).toBe('always-null');
    expect(get(entries, 'PyGadget_SetItem').returnAnnotation).toBeNull();
  });

  it('reads an unversioned Stable ABI label as since 3.2, and a var’s label too', () => {
    expect(get(entries, 'PyGadget_GetItem').stableAbi).toEqual({ since: '3.2', scope: 'stable-abi', struct: null, platform: null, slotId: null });
    expect(get(entries, 'PyGadget_Type')).toEqual(
      entry({
        name: 'PyGadget_Type',
        kind: 'var',
        signature: 'PyTypeObject PyGadget_Type',
        stableAbi: { since: '3.2', scope: 'stable-abi', struct: null, platform: null, slotId: null },
        prose: 'The type object of gadgets.',
      }),
    );
  });

  it('keeps glossary links as text and the annotations out of the prose', () => {
    expect(get(entries, 'PyGadget_GetItem').prose).toBe(
      'Same as PyGadget_GetItemRef(), but returns a borrowed reference instead of a strong reference.',
    );
    expect(get(entries, 'PyGadget_SetItem').prose).toBe(
      'Store ⟦item⟧ in slot ⟦index⟧. Give 0 on success. Note The setter “steals” a reference to ⟦item⟧, even on error.',
    );
    for (const e of parsed.entries) {
      for (const word of ['Return value', 'Stable ABI', 'Added in version', 'Changed in version', 'eprecated', 'Unstable API', '¶']) {
        expect(e.prose, `${e.name} prose`).not.toContain(word);
      }
    }
  });

  it('marks emphasised identifiers (parameter names, and also an emphasised "not") as ⟦name⟧ and leaves other emphasis as text', () => {
    expect(get(entries, 'PyGadget_Raise').prose).toBe('Raise a gadget error; ⟦message⟧ is ⟦not⟧ copied (see the manual).');
  });

  it('marks the Unstable API admonition and keeps its text out of the prose', () => {
    expect(get(entries, 'PyUnstable_Gadget_Peek')).toMatchObject({
      unstable: true,
      added: '3.13',
      prose: 'Look inside ⟦gadget⟧ without locking it.',
    });
    expect(parsed.entries.filter((e) => e.unstable).map((e) => e.name)).toEqual(['PyUnstable_Gadget_Peek']);
  });

  it('reads "will be removed in version" as a planned removal, not a removal', () => {
    expect(get(entries, 'PyGadget_OldName')).toMatchObject({
      signature: 'int PyGadget_OldName(void)',
      deprecated: { version: '3.13', removalPlanned: '3.15', soft: false },
      removed: null,
      prose: 'An older spelling.',
    });
  });

  it('reads a soft deprecation, whose label is a glossary link', () => {
    expect(get(entries, 'PyGadget_Reset')).toMatchObject({
      deprecated: { version: '3.13', removalPlanned: null, soft: true },
      changed: [],
      prose: 'Empty every slot of ⟦gadget⟧.',
    });
  });

  it('gives both <dt> of one <dl> the shared annotations and notes', () => {
    for (const name of ['PyGadget_Size', 'PyGadget_Length']) {
      expect(get(entries, name)).toEqual(
        entry({
          name,
          kind: 'function',
          signature: `Py_ssize_t ${name}(PyObject *gadget)`,
          stableAbi: { since: '3.2', scope: 'stable-abi', struct: null, platform: null, slotId: null },
          changed: [{ version: '3.12', what: ['other'] }],
          prose: 'Count the slots of ⟦gadget⟧.',
        }),
      );
    }
  });

  it('skips a <dt> without an id, beside an indexed one and alone', () => {
    expect(get(entries, 'PyGadget_Clear')).toEqual(
      entry({ name: 'PyGadget_Clear', kind: 'function', signature: 'int PyGadget_Clear(PyObject *gadget)', prose: 'Drop every slot.' }),
    );
    expect(entries.has('PyGadget_CLEAR')).toBe(false);
    expect(entries.has('PyGadget_NoIndexOnly')).toBe(false);
    expect(parsed.entries.some((e) => e.prose.includes('Documented in full elsewhere'))).toBe(false);
  });

  it('reads a struct without its code example and without its members’ prose, annotations or notes', () => {
    expect(get(entries, 'PyGadgetDef')).toEqual(
      entry({
        name: 'PyGadgetDef',
        kind: 'struct',
        signature: 'struct PyGadgetDef',
        stableAbi: { since: '3.2', scope: 'stable-abi', struct: 'all-members', platform: null, slotId: null },
        changed: [{ version: '3.12', what: ['other'] }],
        prose: 'Describes one PARENT_HEAD_TEXT gadget kind. Its definition is: PARENT_TAIL_TEXT after the members.',
      }),
    );
  });

  it('gives each nested member its own entry named Struct.member, without the struct’s prose, annotations or notes', () => {
    expect(get(entries, 'PyGadgetDef.gd_name')).toEqual(
      entry({
        name: 'PyGadgetDef.gd_name',
        kind: 'member',
        signature: 'const char *gd_name',
        added: '3.13',
        prose: 'The MEMBER_NAME_TEXT of the kind, as UTF-8.',
      }),
    );
    for (const name of ['gd_flags', 'gd_mode']) {
      expect(get(entries, `PyGadgetDef.${name}`)).toEqual(
        entry({ name: `PyGadgetDef.${name}`, kind: 'member', signature: `int ${name}` }),
      );
    }
    expect(get(entries, 'PyGadgetDef.gd_init')).toMatchObject({ kind: 'member', signature: 'PyObject *(*gd_init)(void)', prose: 'Builds the gadget.' });
    const memberNames = parsed.entries.filter((e) => e.kind === 'member').map((e) => e.name);
    for (const name of memberNames) {
      const member = get(entries, name);
      expect(member.prose).not.toContain('PARENT_');
      expect(member.changed).toEqual([]);
      expect(member.stableAbi).toBeNull();
    }
  });

  it('gives enumerators nested in an enum type their own entries named Type.ENUMERATOR', () => {
    expect(get(entries, 'PyGadget_STATE')).toMatchObject({ kind: 'type', signature: 'enum PyGadget_STATE', prose: 'What a gadget is doing.' });
    expect(get(entries, 'PyGadget_STATE.PyGadget_ON')).toEqual(
      entry({ name: 'PyGadget_STATE.PyGadget_ON', kind: 'enumerator', signature: 'enumerator PyGadget_ON', prose: 'It runs.' }),
    );
    expect(get(entries, 'PyGadget_STATE.PyGadget_OFF')).toMatchObject({ kind: 'enumerator', prose: 'It rests.', stableAbi: null });
  });

  it('reads macros with untyped parameters and object-like macros', () => {
    expect(get(entries, 'PyGadget_NEW')).toEqual(
      entry({ name: 'PyGadget_NEW', kind: 'macro', signature: 'PyGadget_NEW(TYPE, typeobj)', prose: 'Allocate a gadget of C type ⟦TYPE⟧ for ⟦typeobj⟧.' }),
    );
    expect(get(entries, 'PyGadget_MAXSIZE')).toMatchObject({ kind: 'macro', signature: 'PyGadget_MAXSIZE' });
  });
});

describe('parseDocsPage on the 3.15 markup', () => {
  const parsed = parseFixture('doohickey-3.15.html');
  const entries = byName(parsed);

  it('reads every thread-safety level from the threadsafety-LEVEL class, and its label stays out of the prose', () => {
    expect(
      Object.fromEntries(parsed.entries.filter((e) => e.threadSafety !== null).map((e) => [e.name, e.threadSafety])),
    ).toEqual({
      PyDoohickey_Append: 'distinct',
      PyDoohickey_Count: 'atomic',
      PyDoohickey_Merge: 'shared',
      PyDoohickey_FromHandle: 'compatible',
      PyDoohickey_Unsafe: 'incompatible',
    });
    expect(get(entries, 'PyDoohickey_Count').prose).toBe('Count what ⟦d⟧ holds.');
    expect(get(entries, 'PyDoohickey_Unsafe').prose).toBe('Poke global state.');
  });

  it('reads "Deprecated since version X, removed in version Y" (versionmodified removed) as a removal', () => {
    expect(get(entries, 'PyDoohickey_Legacy')).toEqual(
      entry({
        name: 'PyDoohickey_Legacy',
        kind: 'function',
        signature: 'int PyDoohickey_Legacy(PyObject *d)',
        deprecated: { version: '3.12', removalPlanned: '3.15', soft: false },
        removed: '3.15',
        prose: 'The old way.',
      }),
    );
  });

  it('reads the newer Stable ABI labels: opaque since 3.15, see below, slot ID, macro, platforms', () => {
    expect(get(entries, 'PyDoohickeyObject').stableAbi).toEqual({ since: '3.15', scope: 'stable-abi', struct: 'opaque', platform: null, slotId: null });
    expect(get(entries, 'PyDoohickeySpec').stableAbi).toEqual({ since: '3.2', scope: 'stable-abi', struct: 'see-below', platform: null, slotId: null });
    expect(get(entries, 'PyDoohickeySpec.ds_size').stableAbi).toEqual({ since: '3.14', scope: 'slot', struct: null, platform: null, slotId: 'Py_dh_size' });
    expect(get(entries, 'Py_DOOHICKEY_LIMIT').stableAbi).toEqual({ since: '3.15', scope: 'macro', struct: null, platform: null, slotId: null });
    expect(get(entries, 'PyDoohickey_Merge').stableAbi).toEqual({ since: '3.2', scope: 'stable-abi', struct: null, platform: 'on platforms with fork()', slotId: null });
    expect(get(entries, 'PyDoohickey_FromHandle').stableAbi).toEqual({ since: '3.7', scope: 'stable-abi', struct: null, platform: 'on Windows', slotId: null });
  });

  it('reads a PyObject ** parameter and its prose', () => {
    expect(get(entries, 'PyDoohickey_Append')).toMatchObject({
      signature: 'void PyDoohickey_Append(PyObject **p_left, PyObject *right)',
      prose:
        'Glue ⟦right⟧ onto ⟦p_left⟧. ⟦p_left⟧ must point to a strong reference to a doohickey; PyDoohickey_Append() releases (”steals”) this reference. When it works, set *p_left to a new strong reference to the combined value.',
    });
  });

  it('does not attach a page-level <p class="stableabi"> to the objects of the table that follows it', () => {
    expect(get(entries, 'PyDoohickey_SmallType')).toEqual(
      entry({ name: 'PyDoohickey_SmallType', kind: 'var', signature: 'PyObject *PyDoohickey_SmallType' }),
    );
  });
});

describe('parseDocsPage on small pages', () => {
  it('rejects text that is not an HTML page, naming the file', () => {
    for (const text of ['', 'just text', '<p>no title or body</p>', '<html><body><p>no title</p></body></html>']) {
      const error = sourceErrorOf(() => parseDocsPage(text, 'c-api/empty.html'));
      expect(error.location).toBe('c-api/empty.html');
      expect(error.message).toContain('c-api/empty.html');
    }
  });

  it('rejects a page cut short (no closing </html>), naming the file: its entries would be lost silently', () => {
    const whole = page(cFunction('PyList_SetItem', '<p>Steals a reference.</p>') + cFunction('PyList_Size', '<p>Size.</p>'));
    for (const cut of [whole.indexOf('PyList_Size'), Math.floor(whole.length / 2), whole.length - 10]) {
      const error = sourceErrorOf(() => parseDocsPage(whole.slice(0, cut), 'c-api/list.html'));
      expect(error.location).toBe('c-api/list.html');
      expect(error.message).toContain('cut short');
    }
    expect(parseDocsPage(whole, 'c-api/list.html').entries).toHaveLength(2);
  });

  it('gives release null when the title names no Python release, and keeps pre-release tags', () => {
    expect(parseDocsPage(page('', 'Gadgets'), 'x.html').release).toBeNull();
    expect(parseDocsPage(page('', 'Gadgets &#8212; Python 3.14.0a1 documentation'), 'x.html').release).toBe('3.14.0a1');
    expect(parseDocsPage(page('', 'Gadgets &#8212; Python 3.12 Documentation'), 'x.html').release).toBe('3.12');
  });

  it('returns no entries for a page without C objects, and ignores <dl> of other domains', () => {
    const html = page('<dl class="py function"><dt id="gadget.make">gadget.make()</dt><dd><p>Python side.</p></dd></dl><dl class="c enum-unknown"><dt id="c.X">X</dt><dd></dd></dl>');
    expect(parseDocsPage(html, 'x.html').entries).toEqual([]);
  });

  it('rejects a C object id that is no C name with a SourceError, not a stack trace from a regular expression', () => {
    for (const id of ['c.Evil(', 'c.a b', 'c.[x]', 'c.']) {
      const html = page(`<dl class="c function"><dt id="${id}">x</dt><dt id="c.Fine">y</dt><dd><p>Deprecated.</p></dd></dl>`);
      const error = sourceErrorOf(() => parseDocsPage(html, 'c-api/evil.html'));
      expect(error.location).toBe('c-api/evil.html');
      expect(error.message).toContain(`<dt id="${id}">`);
    }
    expect(onlyEntry(page(cFunction('PyObject.ob_refcnt', '<p>A member.</p>'))).name).toBe('PyObject.ob_refcnt');
  });

  it('reads an empty refcount annotation as no annotation', () => {
    expect(onlyEntry(page(cFunction('PyT_Empty', '<em class="refcount"></em><p>Body.</p>'))).returnAnnotation).toBeNull();
  });

  it('rejects an unrecognised return annotation with a SourceError naming the file and the text', () => {
    const error = sourceErrorOf(() => parseFixture('bad-refcount.html'));
    expect(error.location).toBe(label('bad-refcount.html'));
    expect(error.message).toContain(label('bad-refcount.html'));
    expect(error.message).toContain('Return value: Stolen reference.');
  });

  it('rejects an unrecognised Stable ABI label with a SourceError naming the file and the text', () => {
    const error = sourceErrorOf(() => parseFixture('bad-stableabi.html'));
    expect(error.location).toBe(label('bad-stableabi.html'));
    expect(error.message).toContain(label('bad-stableabi.html'));
    expect(error.message).toContain('Part of the Stable ABI, more or less.');
  });

  it('keeps the first of two annotations of one kind in a description', () => {
    const e = onlyEntry(
      page(
        cFunction(
          'PyT_Twice',
          '<em class="refcount return_new_ref">Return value: New reference.</em>' + STABLE_ABI(' since version 3.10.') +
            '<p>Body.</p><em class="refcount return_borrowed_ref">Return value: Borrowed reference.</em>' + STABLE_ABI(' since version 3.12.'),
        ),
      ),
    );
    expect(e.returnAnnotation).toBe('new');
    expect(e.stableAbi?.since).toBe('3.10');
  });

  it('leaves <pre> literal blocks and highlight blocks out of the prose, but keeps inline code', () => {
    const e = onlyEntry(
      page(
        cFunction(
          'PyT_Code',
          '<p>Use <code class="docutils literal notranslate"><span class="pre">PyT_Code()</span></code> like this:</p>' +
            '<pre class="literal-block">LITERAL_ONLY</pre>' +
            '<div class="highlight-c notranslate"><div class="highlight"><pre><span></span><span class="n">HIGHLIGHT_ONLY</span></pre></div></div>' +
            '<p>Then <em>stop</em>.</p>',
        ),
      ),
    );
    expect(e.prose).toBe('Use PyT_Code() like this: Then ⟦stop⟧.');
  });

  it('separates block elements with a space and collapses whitespace', () => {
    const e = onlyEntry(page(cFunction('PyT_Blocks', '<p>One.</p><p>Two\n   lines.</p><ul><li>three</li><li>four</li></ul><table><tr><td>five</td><td>six</td></tr></table>')));
    expect(e.prose).toBe('One. Two lines. three four five six');
  });

  it('marks only emphasis whose whole text is one identifier', () => {
    const e = onlyEntry(page(cFunction('PyT_Em', '<p>Pass <em>obj</em>, <em> padded </em>, <em>*ptr</em>, <em>two words</em>, <em>3rd</em> and <strong>bold</strong>.</p>')));
    expect(e.prose).toBe('Pass ⟦obj⟧, ⟦padded⟧, *ptr, two words, 3rd and bold.');
  });

  it('property: any identifier in <em> comes out as ⟦identifier⟧ between the surrounding words', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), fc.stringMatching(/^[a-z]{1,8}$/), (name, word) => {
        const e = onlyEntry(page(cFunction('PyT_Prop', `<p>${word} <em>${name}</em> ${word}.</p>`)));
        expect(e.prose).toBe(`${word} ⟦${name}⟧ ${word}.`);
      }),
      { numRuns: 200 },
    );
  });

  // A level outside the five the schema knows must not come out typed as a ThreadSafetyLevel. Whether the parser
  // should throw (as it does for unknown refcount and Stable ABI labels) or drop it is open; either is accepted.
  it('does not pass an unknown thread-safety level through as a level', () => {
    const html = page(cFunction('PyT_Level', '<em class="threadsafety threadsafety-sometimes"> Thread safety: Sometimes.</em><p>Body.</p>'));
    let level: string | null = null;
    try {
      level = onlyEntry(html).threadSafety;
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      return;
    }
    expect([null, 'incompatible', 'compatible', 'distinct', 'shared', 'atomic']).toContain(level);
  });

  // Sphinx (7.3+) renders `.. versionremoved::` as <div class="versionremoved"> with "Removed in version X."; the
  // parser lists the block class but parseVersionNote has no pattern for its label, so the removal is dropped.
  it('reads a versionremoved block as a removal', () => {
    const e = onlyEntry(
      page(cFunction('PyT_Gone', '<p>Body.</p><div class="versionremoved"><p><span class="versionmodified removed">Removed in version 3.13.</span></p></div>')),
    );
    expect(e.removed).toBe('3.13');
  });

  // The walk over a description recurses once per nesting level; a deep enough description overflows the stack
  // with a RangeError instead of the SourceError the pipeline promises for bad input.
  it('returns or throws SourceError on a description nested thousands of levels deep', () => {
    const depth = 5000;
    const html = page(cFunction('PyT_Deep', `${'<span>'.repeat(depth)}deep${'</span>'.repeat(depth)}`));
    let result: DocsPage | undefined;
    try {
      result = parseDocsPage(html, 'deep.html');
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      return;
    }
    expect(result.entries[0]?.prose).toBe('deep');
  });
});

describe('parseDocsPage on hostile sizes', () => {
  it('refuses a page nested two million levels deep at once, with a SourceError naming the file', () => {
    const depth = 2_000_000;
    const html = page(`${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}`);
    const error = sourceErrorOf(() => parseDocsPage(html, 'c-api/deep.html'));
    expect(error.location).toBe('c-api/deep.html');
    expect(error.message).toContain('nest more than');
  });

  it('reads a large flat page (thousands of objects) whole', () => {
    const objects = Array.from({ length: 5000 }, (_, i) => cFunction(`PyT_F${i}`, `<p>Function ${i}.</p>`)).join('\n');
    const { entries } = parseDocsPage(page(objects), 'c-api/large.html');
    expect(entries).toHaveLength(5000);
    expect(entries.at(-1)?.name).toBe('PyT_F4999');
  });
});

describe('parseDocsPage on mangled HTML (property)', () => {
  const valid = fixture('gadget-3.13.html');
  const SNIPPETS = [
    '<dl class="c function">', '<dl class="c member">', '<dl class="c">', '<dt id="c.PyX">', '<dt id="c.">', '<dt>', '<dd>', '</dd>', '</dl>', '</dt>',
    '<em class="refcount">', '<em class="refcount return_null">Return value: Always NULL.', '<em class="stableabi">', '<em class="stableabi"> Part of the Stable ABI.',
    '<em class="threadsafety threadsafety-atomic">', '<em class="threadsafety">', '</em>', '<em>', '<em>x</em>', '<div class="unstable-c-api">',
    '<div class="versionadded"><p><span class="versionmodified added">Added in version 3.', '<span class="versionmodified">', '<div class="deprecated-removed">',
    '<pre>', '<div class="highlight">', '</div>', '</p>', '<p>', '<title>', '</title>', '<body>', '</body>', '<!--', '-->', '<![CDATA[', '<script>', '</script>',
    '&amp;', '&#8212;', '&', '"', "'", '<', '>', '/>', ' id="c.Q"', ' class="c var"',
  ];
  const insertion = fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 12 }));
  const edit = fc.oneof(
    fc.record({ type: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.nat({ max: 400 }) }),
    fc.record({ type: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: insertion }),
  );

  function expectReturnsOrSourceError(html: string, file: string): void {
    try {
      const parsed = parseDocsPage(html, file);
      expect(Array.isArray(parsed.entries)).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).message).toContain(file);
    }
  }

  it('random cuts and insertions into a valid page: returns, or throws SourceError naming the file', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        let html = valid;
        for (const e of edits) {
          const at = Math.floor(e.at * html.length);
          html = e.type === 'cut' ? html.slice(0, at) + html.slice(at + e.length) : html.slice(0, at) + e.text + html.slice(at);
        }
        expectReturnsOrSourceError(html, 'mangled.html');
      }),
      { numRuns: 200 },
    );
  });

  it('random tag soup: returns, or throws SourceError naming the file', () => {
    fc.assert(
      fc.property(fc.array(insertion, { maxLength: 60 }), fc.boolean(), (tokens, wrap) => {
        const soup = tokens.join('');
        expectReturnsOrSourceError(wrap ? page(soup) : soup, 'soup.html');
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------

describe('parseVersionNote', () => {
  it.each([
    ['New in version 3.4.', { type: 'added', version: '3.4' }],
    ['Added in version 3.13.', { type: 'added', version: '3.13' }],
    ['Added in version 3.4.1.', { type: 'added', version: '3.4.1' }],
    ['Changed in version 3.12: Works on subclasses.', { type: 'changed', version: '3.12' }],
    ['Deprecated since version 3.8: Use the other one.', { type: 'deprecated', version: '3.8', until: null, soft: false }],
    ['Deprecated since version 3.11.', { type: 'deprecated', version: '3.11', until: null, soft: false }],
    ['Deprecated since version 3.6.1: Old.', { type: 'deprecated', version: '3.6.1', until: null, soft: false }],
    ['deprecated since version 3.2', { type: 'deprecated', version: '3.2', until: null, soft: false }],
    ['Deprecated since version 3.3, will be removed in version 4.0: Old API.', { type: 'deprecated', version: '3.3', until: '4.0', soft: false }],
    ['Deprecated since version 3.12, will be removed in version 3.14.', { type: 'deprecated', version: '3.12', until: '3.14', soft: false }],
    ['Deprecated since version 3.12, removed in version 3.15.', { type: 'removed', version: '3.15', deprecatedSince: '3.12' }],
    ['Removed in version 3.13.', { type: 'removed', version: '3.13', deprecatedSince: null }],
    ['Soft deprecated since version 3.13: Does nothing now.', { type: 'deprecated', version: '3.13', until: null, soft: true }],
    ['Soft deprecated since version 3.10.', { type: 'deprecated', version: '3.10', until: null, soft: true }],
  ] as const)('%s', (text, expected) => {
    expect(parseVersionNote(text)).toEqual(expected);
  });

  it.each(['', 'Added in version', 'Added in version three', 'See also version 3.4.', 'Note: added in version 3.4.', ' New in version 3.4.'])(
    'gives null for %j',
    (text) => {
      expect(parseVersionNote(text)).toBeNull();
    },
  );
});

// ---------------------------------------------------------------------------

/** Every label shape that occurs in the real 3.11–3.15 pages (versions and slot IDs vary), with its reading. */
const LABELS: [string, ReturnType<typeof parseStableAbiAnnotation>][] = [
  ['Part of the Stable ABI.', { since: '3.2', scope: 'stable-abi', struct: null, platform: null, slotId: null }],
  ['Part of the Stable ABI since version 3.10.', { since: '3.10', scope: 'stable-abi', struct: null, platform: null, slotId: null }],
  ['Part of the Stable ABI (including all members).', { since: '3.2', scope: 'stable-abi', struct: 'all-members', platform: null, slotId: null }],
  ['Part of the Stable ABI (including all members) since version 3.11.', { since: '3.11', scope: 'stable-abi', struct: 'all-members', platform: null, slotId: null }],
  ['Part of the Stable ABI (as an opaque struct).', { since: '3.2', scope: 'stable-abi', struct: 'opaque', platform: null, slotId: null }],
  ['Part of the Stable ABI (as an opaque struct) since version 3.15.', { since: '3.15', scope: 'stable-abi', struct: 'opaque', platform: null, slotId: null }],
  ['Part of the Stable ABI (see below).', { since: '3.2', scope: 'stable-abi', struct: 'see-below', platform: null, slotId: null }],
  ['Part of the Limited API (as an opaque struct).', { since: '3.2', scope: 'limited-api-only', struct: 'opaque', platform: null, slotId: null }],
  ['Part of the Limited API. (Only some members are part of the stable ABI.)', { since: '3.2', scope: 'limited-api-only', struct: 'some-members', platform: null, slotId: null }],
  ['Part of the Stable ABI on Windows since version 3.7.', { since: '3.7', scope: 'stable-abi', struct: null, platform: 'on Windows', slotId: null }],
  ['Part of the Stable ABI on platforms with USE_STACKCHECK since version 3.7.', { since: '3.7', scope: 'stable-abi', struct: null, platform: 'on platforms with USE_STACKCHECK', slotId: null }],
  ['Part of the Stable ABI on platforms with fork() since version 3.7.', { since: '3.7', scope: 'stable-abi', struct: null, platform: 'on platforms with fork()', slotId: null }],
  ['Part of the Stable ABI on platforms with fork().', { since: '3.2', scope: 'stable-abi', struct: null, platform: 'on platforms with fork()', slotId: null }],
  ['Part of the Stable ABI on platforms with native thread IDs.', { since: '3.2', scope: 'stable-abi', struct: null, platform: 'on platforms with native thread IDs', slotId: null }],
  ['The corresponding slot ID Py_tp_repr is part of the Stable ABI.', { since: '3.2', scope: 'slot', struct: null, platform: null, slotId: 'Py_tp_repr' }],
  ['The corresponding slot ID Py_am_send is part of the Stable ABI since version 3.10.', { since: '3.10', scope: 'slot', struct: null, platform: null, slotId: 'Py_am_send' }],
  ['This macro is available when compiling for the Stable ABI.', { since: '3.2', scope: 'macro', struct: null, platform: null, slotId: null }],
  ['This macro is available when compiling for the Stable ABI since version 3.9.', { since: '3.9', scope: 'macro', struct: null, platform: null, slotId: null }],
];

/** What varies between labels of one shape: the versions and the slot ID. */
function labelShape(text: string): string {
  return text.replace(/\d+\.\d+/g, 'X.Y').replace(/slot ID \w+/, 'slot ID S');
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('parseStableAbiAnnotation', () => {
  it.each(LABELS)('%s', (text, expected) => {
    expect(parseStableAbiAnnotation(text, 'x.html')).toEqual(expected);
  });

  it.each([
    'Part of the Stable ABI, more or less.',
    'Part of the Unstable ABI.',
    'Part of the Stable ABI (including most members).',
    'Not part of the Stable ABI.',
    'Stable ABI',
    '',
  ])('rejects %j with a SourceError naming the file', (text) => {
    const error = sourceErrorOf(() => parseStableAbiAnnotation(text, 'c-api/odd.html'));
    expect(error.location).toBe('c-api/odd.html');
    expect(error.message).toContain(`"${text}"`);
  });
});

// ---------------------------------------------------------------------------

describe('findLinkedPages', () => {
  it('lists same-folder .html pages once each, sorted, without anchors', () => {
    expect(findLinkedPages(fixture('links-index.html'))).toEqual([
      'apiabiversion.html',
      'concrete.html',
      'init_config.html',
      'intro.html',
      'refcounting.html',
    ]);
  });

  it('ignores parent-folder, nested, absolute, scheme, anchor-only and non-.html links', () => {
    const html = [
      '<a href="../library/functions.html">', '<a href="../index.html#x">', '<a href="sub/page.html">', '<a href="/bugs.html">',
      '<a href="https://docs.python.org/3/c-api/dict.html">', '<a href="#c.PyList_New">', '<a href="notes.txt">', '<a href="list.rst">',
      '<a href="">',
    ].join('\n');
    expect(findLinkedPages(html)).toEqual([]);
  });

  it('gives [] for text without links', () => {
    expect(findLinkedPages('')).toEqual([]);
  });

  it('property: the result is the sorted set of the plain page names linked, however the links are repeated and anchored', () => {
    const pageName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/).map((name) => `${name}.html`);
    const link = fc.record({ page: pageName, anchor: fc.option(fc.stringMatching(/^[a-z0-9.-]{0,10}$/), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(link, { maxLength: 20 }), (links) => {
        const html = links.map(({ page, anchor }) => `<a class="reference internal" href="${page}${anchor === undefined ? '' : `#${anchor}`}">x</a>`).join('\n');
        expect(findLinkedPages(html)).toEqual([...new Set(links.map((l) => l.page))].sort());
      }),
      { numRuns: 200 },
    );
  });

  itSnapshot('finds the real 3.13 index’s links, every one a page of the snapshot', () => {
    const linked = findLinkedPages(readFileSync(path.join(SNAPSHOT_DIR, '3.13/docs/c-api/index.html'), 'utf8'));
    expect(linked).toContain('concrete.html');
    expect(linked).toContain('refcounting.html');
    expect(linked).not.toContain('index.html');
    const onDisk = new Set(readdirSync(path.join(SNAPSHOT_DIR, '3.13/docs/c-api')));
    expect(linked.filter((name) => !onDisk.has(name))).toEqual([]);
    expect(linked).toEqual([...new Set(linked)].sort());
  });
});

// ---------------------------------------------------------------------------
// The real pages of the offline snapshot.

interface RealPage {
  file: string;
  parsed: DocsPage;
  /** The page loaded by cheerio's own (parse5) parser, independent of the module's options. */
  $: cheerio.CheerioAPI;
}

const realCache = new Map<string, RealPage[]>();

function realPages(version: string): RealPage[] {
  let pages = realCache.get(version);
  if (!pages) {
    const dir = path.join(SNAPSHOT_DIR, version, 'docs/c-api');
    pages = readdirSync(dir)
      .filter((name) => name.endsWith('.html'))
      .sort()
      .map((name) => {
        const html = readFileSync(path.join(dir, name), 'utf8');
        const file = `${version}/docs/c-api/${name}`;
        return { file, parsed: parseDocsPage(html, file), $: cheerio.load(html) };
      });
    realCache.set(version, pages);
  }
  return pages;
}

const C_KINDS = ['function', 'macro', 'type', 'var', 'struct', 'member', 'enumerator'];

/**
 * Counts annotations independently of the parser: each one belongs to the nearest <dd> and so to every <dt>
 * with a c. id of that <dd>'s <dl>. Also reports annotations outside any C object and descriptions with two.
 */
function countAnnotations($: cheerio.CheerioAPI, selector: string): { annotations: number; owners: number; orphans: number; repeated: number } {
  let annotations = 0;
  let owners = 0;
  let orphans = 0;
  const perDd = new Map<unknown, number>();
  $(selector).each((_, element) => {
    annotations++;
    const dd = $(element).closest('dd');
    const dl = dd.parent();
    if (dd.length === 0 || !dl.is('dl.c') || !C_KINDS.some((kind) => dl.hasClass(kind))) {
      orphans++;
      return;
    }
    const node = dd.get(0);
    perDd.set(node, (perDd.get(node) ?? 0) + 1);
    owners += dl.children('dt').filter((_, dt) => ($(dt).attr('id') ?? '').startsWith('c.')).length;
  });
  return { annotations, owners, orphans, repeated: [...perDd.values()].filter((n) => n > 1).length };
}

describeSnapshot('parseDocsPage on the real pages', () => {
  it.each(['3.11', '3.13', '3.14', '3.15'])('%s: every em.stableabi label parses, and every shape is in the table above', (version) => {
    const tableShapes = new Set(LABELS.map(([text]) => labelShape(text)));
    const realShapes = new Set<string>();
    let labels = 0;
    for (const { file, $ } of realPages(version)) {
      $('em.stableabi').each((_, element) => {
        const text = collapse($(element).text());
        labels++;
        realShapes.add(labelShape(text));
        expect(() => parseStableAbiAnnotation(text, file)).not.toThrow();
      });
    }
    expect(labels).toBe({ '3.11': 684, '3.13': 1023, '3.14': 1059, '3.15': 1064 }[version]);
    expect([...realShapes].filter((shape) => !tableShapes.has(shape))).toEqual([]);
  });

  it.each([
    ['3.11', 648],
    ['3.13', 837],
  ] as const)('%s: the since of every stable-abi function and var equals its added in stable_abi.dat', (version, expectedChecked) => {
    const datFile = path.join(SNAPSHOT_DIR, version, 'src/Doc/data/stable_abi.dat');
    const dat = parseStableAbiDat(readFileSync(datFile, 'utf8'), datFile);
    const disagreements: string[] = [];
    const missing: string[] = [];
    let checked = 0;
    for (const { parsed } of realPages(version)) {
      for (const e of parsed.entries) {
        if ((e.kind !== 'function' && e.kind !== 'var') || e.stableAbi?.scope !== 'stable-abi') continue;
        const row = dat.get(e.name);
        if (!row) {
          missing.push(e.name);
          continue;
        }
        checked++;
        if (row.added !== e.stableAbi.since) disagreements.push(`${e.name}: docs ${e.stableAbi.since}, dat ${row.added}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(missing).toEqual([]);
    expect(checked).toBe(expectedChecked);
  });

  // Owners: one per <dt> with an id of the <dl> whose <dd> holds the annotation (a <dd> shared by several <dt>
  // gives its annotation to each). Counted on the snapshot; both sides must agree.
  const EXPECTED_OWNERS: Record<string, { refcount: number; stableabi: number; threadsafety: number }> = {
    '3.9': { refcount: 362, stableabi: 0, threadsafety: 0 },
    '3.11': { refcount: 348, stableabi: 704, threadsafety: 0 },
    '3.13': { refcount: 382, stableabi: 1044, threadsafety: 0 },
    '3.14': { refcount: 384, stableabi: 1084, threadsafety: 99 },
    '3.15': { refcount: 386, stableabi: 1104, threadsafety: 118 },
  };

  it.each(Object.keys(EXPECTED_OWNERS))('%s: every refcount, stableabi and threadsafety annotation reaches the entries it belongs to', (version) => {
    const checks = [
      { key: 'refcount', selector: 'em.refcount', has: (e: DocsEntry) => e.returnAnnotation !== null },
      { key: 'stableabi', selector: 'em.stableabi', has: (e: DocsEntry) => e.stableAbi !== null },
      { key: 'threadsafety', selector: 'em.threadsafety', has: (e: DocsEntry) => e.threadSafety !== null },
    ] as const;
    for (const { key, selector, has } of checks) {
      let owners = 0;
      let annotated = 0;
      for (const { file, $, parsed } of realPages(version)) {
        const counted = countAnnotations($, selector);
        expect(counted.orphans, `${file}: ${selector} outside a C object`).toBe(0);
        expect(counted.repeated, `${file}: two ${selector} in one description`).toBe(0);
        const pageAnnotated = parsed.entries.filter(has).length;
        expect(pageAnnotated, `${file}: entries with ${key}`).toBe(counted.owners);
        owners += counted.owners;
        annotated += pageAnnotated;
      }
      expect(annotated).toBe(owners);
      expect(owners, `${version} ${key}`).toBe(EXPECTED_OWNERS[version]![key]);
    }
  });

  it.each(['3.9', '3.11', '3.13', '3.14', '3.15'])('%s: entries have well-formed names, anchors and signatures', (version) => {
    for (const { file, parsed } of realPages(version)) {
      expect(parsed.release, file).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`));
      for (const e of parsed.entries) {
        expect(e.name, file).toMatch(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/);
        expect(e.anchor).toBe(`c.${e.name}`);
        expect(e.signature, `${file} ${e.name}`).toContain(e.name.split('.').at(-1)!);
        expect(e.signature).not.toContain('¶');
        expect(e.prose).not.toMatch(/\s{2}|^\s|\s$/);
      }
    }
  });
});

describe('parseDocsPage: one description shared by several objects', () => {
  const shared = (note: string): string =>
    page(
      '<dl class="c macro">\n' +
        ['PyT_KIND_A', 'PyT_KIND_B', 'PyT_KIND_C']
          .map((name) => `<dt class="sig sig-object c" id="c.${name}"><span class="sig-name descname"><span class="pre">${name}</span></span></dt>\n`)
          .join('') +
        `<dd><p>The kinds a widget can have.</p><div class="deprecated-removed"><p><span class="versionmodified">Deprecated since version 3.10, will be removed in version 3.12: </span>${note}</p></div></dd></dl>\n`,
    );

  it('gives a deprecation that names some of the objects to those only', () => {
    const entries = parseDocsPage(shared('<code>PyT_KIND_A</code> is deprecated.'), 'shared.html').entries;
    expect(entries.map((entry) => [entry.name, entry.deprecated?.version ?? null])).toEqual([['PyT_KIND_A', '3.10'], ['PyT_KIND_B', null], ['PyT_KIND_C', null]]);
  });

  it('gives a deprecation that names none of them to all', () => {
    const entries = parseDocsPage(shared('Use the new API instead.'), 'shared.html').entries;
    expect(entries.every((entry) => entry.deprecated?.removalPlanned === '3.12')).toBe(true);
  });
});

describe('classifyChange', () => {
  it('reads what a "Changed in version" note is about, several kinds at once, other when none fits', () => {
    expect(classifyChange('The function now accepts a const pointer.')).toEqual(['signature']);
    expect(classifyChange('It now returns a strong reference and raises TypeError for non-lists.')).toEqual(['ownership', 'errors']);
    expect(classifyChange('Added to the Limited API.')).toEqual(['stable-abi']);
    expect(classifyChange('Works on subclasses.')).toEqual(['other']);
    // near miss: "referenced" is not about references
    expect(classifyChange('The type referenced in the docs moved.')).toEqual(['other']);
  });
});
