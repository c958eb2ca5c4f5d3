/**
 * Reads one rendered C-API page of docs.python.org (any Sphinx generation from 3.9 on) into plain records:
 * every documented C object with its declaration, annotations, version notes and the prose that describes it.
 * Pure: HTML text in, records out.
 */
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { escapeRegExp } from '../lib/c-declaration.ts';
import { SourceError } from '../lib/errors.ts';
import type { StableAbi } from '../../src/schema/stable-abi.ts';
import { ThreadSafetyLevel } from '../../src/schema/thread-safety.ts';
import type { ApiKind, ChangeKind } from '../../src/schema/api.ts';

export type ReturnAnnotation = 'new' | 'borrowed' | 'always-null';

export interface DocsDeprecation {
  version: string;
  removalPlanned: string | null;
  soft: boolean;
}

export interface DocsEntry {
  name: string;
  kind: ApiKind;
  /** Page-relative anchor, e.g. 'c.PyList_GetItem'. */
  anchor: string;
  signature: string;
  returnAnnotation: ReturnAnnotation | null;
  stableAbi: Omit<StableAbi, 'source'> | null;
  threadSafety: ThreadSafetyLevel | null;
  added: string | null;
  changed: { version: string; what: ChangeKind[] }[];
  deprecated: DocsDeprecation | null;
  removed: string | null;
  unstable: boolean;
  /** The APIs a deprecation note tells readers to use instead ("Use PyErr_GetRaisedException() instead"). */
  replacedBy: string[];
  /**
   * The description's prose with code examples and nested objects left out, whitespace collapsed, and each
   * emphasised identifier (how the docs mark parameter names) wrapped as ⟦name⟧.
   */
  prose: string;
}

export interface DocsPage {
  /** The release the page was built from, from its title (e.g. '3.13.18'); null if the title does not say. */
  release: string | null;
  entries: DocsEntry[];
}

const KINDS: readonly ApiKind[] = ['function', 'macro', 'type', 'var', 'struct', 'member', 'enumerator'];
/** The id Sphinx gives a C object's <dt>: `c.` and its name, members as `c.Type.member`. */
const C_OBJECT_ID = /^c\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

export function parseDocsPage(html: string, file: string): DocsPage {
  try {
    return readPage(html, file);
  } catch (error) {
    // The description walk recurses; real pages nest a few dozen levels, so a stack overflow means a broken page.
    if (error instanceof RangeError) {
      throw new SourceError(file, `the page is nested too deeply to read (${error.message})`, 'Check that the file is a rendered docs page and not corrupted.', { cause: error });
    }
    throw error;
  }
}

/**
 * Elements nest at most this deep before a page is refused: Sphinx's C-API pages nest about 20 levels, and the HTML
 * parser and selectors take time quadratic in the depth (40,000 nested <div>s take seconds, millions never end).
 */
const MAX_NESTING = 500;
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param']);

/** How deep the elements of `html` nest, counted up to `limit` (one linear scan of the tags). */
function nestingDepth(html: string, limit: number): number {
  let depth = 0;
  for (const tag of html.matchAll(/<(\/?)([A-Za-z][\w-]*)[^>]*?(\/?)>/g)) {
    if (tag[1]) depth = Math.max(0, depth - 1);
    else if (!tag[3] && !VOID_ELEMENTS.has(tag[2]!.toLowerCase()) && ++depth > limit) return depth;
  }
  return depth;
}

/** A whole page ends with its closing tag; a download cut short does not (and would silently lose entries). */
const PAGE_END = /<\/html>\s*$/i;

function readPage(html: string, file: string): DocsPage {
  if (nestingDepth(html, MAX_NESTING) > MAX_NESTING) {
    throw new SourceError(file, `expected a docs page, whose elements nest about 20 deep, but they nest more than ${MAX_NESTING} deep`, 'Check that the file is a rendered docs page and not corrupted.');
  }
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
  if ($('body').length === 0 || $('title').length === 0) {
    throw new SourceError(file, 'expected an HTML page with a <title> and a <body>', 'Check that the docs root points at a rendered Sphinx build.');
  }
  if (!PAGE_END.test(html.slice(-4096))) {
    throw new SourceError(file, `expected the page to end with </html>, but it ends with ${JSON.stringify(html.slice(-40))}: it looks cut short`, 'Fetch the page again (with a fresh --cache), or check the docs build that it comes from.');
  }
  const release = /Python (\d+\.\d+(?:\.\d+)?\S*) [Dd]ocumentation/.exec($('title').text())?.[1] ?? null;
  const entries: DocsEntry[] = [];
  $('dl.c').each((_, dl) => {
    const kind = KINDS.find((candidate) => $(dl).hasClass(candidate));
    if (!kind) return;
    const { details, deprecationText } = readDescription($(dl).children('dd').get(0), file);
    // A <dt> without an id is a second, :noindex: rendering of something documented elsewhere.
    const dts = $(dl)
      .children('dt')
      .toArray()
      .filter((dt) => $(dt).attr('id')?.startsWith('c.'));
    const names = dts.map((dt) => {
      const id = $(dt).attr('id')!;
      // C names, and members as Type.member: anything else is not a C object's anchor.
      if (!C_OBJECT_ID.test(id)) {
        throw new SourceError(file, `<dt id="${id}"> is not the anchor of a C object; expected c. then a C name (or Type.member)`, 'Check that the page is a rendered Sphinx C-API page.');
      }
      return id.slice(2);
    });
    // Several objects can share one description; a deprecation that names some of them is theirs alone
    // (3.11's PyUnicode_WCHAR_KIND is deprecated, the other kind constants beside it are not).
    const deprecatedOnly = names.length > 1 ? names.filter((name) => new RegExp(`\\b${escapeRegExp(name)}\\b`).test(deprecationText)) : [];
    dts.forEach((dt, i) => {
      const name = names[i]!;
      const isOwn = deprecatedOnly.length === 0 || deprecatedOnly.includes(name);
      const own = isOwn ? details : { ...details, deprecated: null, removed: null };
      const replacedBy = isOwn ? replacementsIn(deprecationText).filter((other) => other !== name) : [];
      entries.push({ name, kind, anchor: `c.${name}`, signature: signatureText(dt), ...own, replacedBy });
    });
  });
  return { release, entries };
}

/** The functions a deprecation note names as what to use, when it says to use something else at all. */
function replacementsIn(deprecationText: string): string[] {
  if (!/\b(?:use|superseded by|instead|replaced by)\b/i.test(deprecationText)) return [];
  // "call PyFrame_GetLocals() on the result of PyEval_GetFrame()": the second is an input, not a replacement.
  const named = [...deprecationText.matchAll(/\b(Py[A-Za-z0-9_]*|_Py[A-Za-z0-9_]*)\(\)/g)].filter((match) => !/\bresult\s+of\s*$/.test(deprecationText.slice(0, match.index)));
  return [...new Set(named.map((match) => match[1]!))];
}

function signatureText(dt: Element): string {
  const visibleText = (node: AnyNode): string => {
    if (node.type === 'text') return node.data;
    if (node.type !== 'tag' || (node.name === 'a' && classesOf(node).includes('headerlink'))) return '';
    return node.children.map(visibleText).join('');
  };
  return visibleText(dt)
    .replace(/\s+/g, ' ')
    .replace(/\s+([,)])/g, '$1')
    .replace(/\(\s+/g, '(')
    .trim();
}

type Details = Omit<DocsEntry, 'name' | 'kind' | 'anchor' | 'signature' | 'replacedBy'>;

const VERSION_NOTE_BLOCKS = ['versionadded', 'versionchanged', 'deprecated', 'deprecated-removed', 'versionremoved'];
const BLOCK_TAGS = new Set(['p', 'div', 'li', 'dd', 'dt', 'br', 'td', 'th', 'tr']);

function classesOf(element: Element): string[] {
  return (element.attribs['class'] ?? '').split(/\s+/);
}

function textOf(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  return 'children' in node ? node.children.map(textOf).join('') : '';
}

/**
 * One walk over the description that skips what is not this object's own prose (nested objects such as a
 * struct's members, code examples) and picks up the annotations on the way. A single pass matters: typeobj.html
 * nests hundreds of objects, and selector queries per object made parsing quadratic.
 */
function readDescription(dd: Element | undefined, file: string): { details: Details; deprecationText: string } {
  let deprecationText = '';
  const details: Details = {
    returnAnnotation: null, stableAbi: null, threadSafety: null, added: null, changed: [],
    deprecated: null, removed: null, unstable: false, prose: '',
  };
  const prose: string[] = [];
  const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

  const readVersionNote = (text: string, block: string): void => {
    const note = parseVersionNote(collapse(text));
    if (!note) return;
    if (note.type === 'added') details.added ??= note.version;
    if (note.type === 'changed') details.changed.push({ version: note.version, what: classifyChange(collapse(block).slice(collapse(text).length)) });
    if (note.type === 'deprecated') details.deprecated ??= { version: note.version, removalPlanned: note.until, soft: note.soft };
    if (note.type === 'removed') {
      if (note.deprecatedSince) details.deprecated ??= { version: note.deprecatedSince, removalPlanned: note.version, soft: false };
      details.removed = note.version;
    }
  };

  const findVersionNotes = (node: AnyNode, block: string): void => {
    if (node.type !== 'tag') return;
    if (node.name === 'span' && classesOf(node).includes('versionmodified')) readVersionNote(textOf(node), block);
    else node.children.forEach((child) => findVersionNotes(child, block));
  };

  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      prose.push(node.data);
      return;
    }
    if (node.type !== 'tag') return;
    const classes = classesOf(node);
    if (node.name === 'dl' && classes.includes('c')) return;
    if (node.name === 'pre' || classes.includes('highlight')) return;
    if (node.name === 'em' && classes.includes('refcount')) {
      details.returnAnnotation ??= readReturnAnnotation(collapse(textOf(node)), file);
      return;
    }
    if (node.name === 'em' && classes.includes('stableabi')) {
      details.stableAbi ??= parseStableAbiAnnotation(collapse(textOf(node)), file);
      return;
    }
    if (classes.includes('threadsafety')) {
      const level = classes.find((name) => name.startsWith('threadsafety-'))?.slice('threadsafety-'.length);
      const known = ThreadSafetyLevel.safeParse(level);
      if (!known.success) {
        throw new SourceError(file, `unrecognised thread-safety level "${level ?? ''}"; expected one of ${ThreadSafetyLevel.options.join(', ')}`, 'Add the level to src/schema/thread-safety.ts, with what it means.');
      }
      details.threadSafety ??= known.data;
      return;
    }
    if (classes.includes('unstable-c-api')) {
      details.unstable = true;
      return;
    }
    if (node.name === 'div' && classes.some((name) => VERSION_NOTE_BLOCKS.includes(name))) {
      findVersionNotes(node, textOf(node));
      if (!classes.includes('versionadded') && !classes.includes('versionchanged')) deprecationText += ` ${textOf(node)}`;
      return;
    }
    if (node.name === 'em') {
      const text = textOf(node).trim();
      if (/^[A-Za-z_]\w*$/.test(text)) {
        prose.push(`⟦${text}⟧`);
        return;
      }
    }
    node.children.forEach(walk);
    if (BLOCK_TAGS.has(node.name)) prose.push(' ');
  };

  dd?.children.forEach(walk);
  details.prose = collapse(prose.join(''));
  return { details, deprecationText };
}

function readReturnAnnotation(text: string, file: string): ReturnAnnotation | null {
  if (text === '') return null;
  if (/New reference/i.test(text)) return 'new';
  if (/Borrowed reference/i.test(text)) return 'borrowed';
  if (/Always NULL/i.test(text)) return 'always-null';
  throw new SourceError(file, `unrecognised return annotation "${text}"; expected New reference, Borrowed reference or Always NULL`, 'Teach readReturnAnnotation in scripts/sources/docs-html.ts the new wording.');
}

/** What a "Changed in version" note's words are about (ChangeKind says what each means); 'other' when none fits. */
const CHANGE_CUES: readonly [ChangeKind, RegExp][] = [
  ['signature', /\b(?:arguments?|parameters?|const|signature|accepts?|now takes|return type|static inline|macros?|converted to a function|Py_ssize_t|types? of|(?:was|were) changed from)\b/i],
  ['ownership', /\b(?:references?|steals?|stolen|borrowed|strong|Py_(?:X)?(?:DECREF|INCREF)|reference count|immortal)\b/i],
  ['errors', /\b(?:raises?|raised|rejects?|rejected|exceptions?|errors?|fails?|failure|NULL|-1)\b/i],
  ['stable-abi', /\b(?:Limited API|Stable ABI|limited C API)\b/i],
  ['deprecation', /\bdeprecat/i],
];

export function classifyChange(text: string): ChangeKind[] {
  const kinds = CHANGE_CUES.filter(([, cue]) => cue.test(text)).map(([kind]) => kind);
  return kinds.length > 0 ? kinds : ['other'];
}

type VersionNote =
  | { type: 'added' | 'changed'; version: string }
  | { type: 'deprecated'; version: string; until: string | null; soft: boolean }
  | { type: 'removed'; version: string; deprecatedSince: string | null };

const VERSION = String.raw`(\d+\.\d+(?:\.\d+)?)`;

/**
 * The Sphinx directive labels: 'New in version'/'Added in version', 'Changed in version', 'Deprecated since
 * version …, will be removed in / removed in …', 'Soft deprecated since version', 'Removed in version'.
 */
export function parseVersionNote(text: string): VersionNote | null {
  let match = new RegExp(`^(?:New|Added) in version ${VERSION}`).exec(text);
  if (match) return { type: 'added', version: match[1]! };
  match = new RegExp(`^Changed in version ${VERSION}`).exec(text);
  if (match) return { type: 'changed', version: match[1]! };
  match = new RegExp(`^Removed in version ${VERSION}`).exec(text);
  if (match) return { type: 'removed', version: match[1]!, deprecatedSince: null };
  match = new RegExp(`^(Soft )?[Dd]eprecated since version ${VERSION}(?:, (will be )?removed in version ${VERSION})?`).exec(text);
  if (match) {
    const [, soft, version, willBe, until] = match;
    if (until !== undefined && willBe === undefined) return { type: 'removed', version: until, deprecatedSince: version! };
    return { type: 'deprecated', version: version!, until: until ?? null, soft: soft !== undefined };
  }
  return null;
}

/**
 * Turns the Stable ABI label that CPython's Sphinx extension writes into fields. The labels come from a fixed
 * template, so an unknown shape is an error to fix here rather than data to guess at.
 */
export function parseStableAbiAnnotation(text: string, file: string): Omit<StableAbi, 'source'> {
  const since = (rest: string): string => /since version (\d+\.\d+)/.exec(rest)?.[1] ?? '3.2';
  let match = /^The corresponding slot ID (\w+) is part of the Stable ABI/.exec(text);
  if (match) return { since: since(text), scope: 'slot', struct: null, platform: null, slotId: match[1]! };
  if (/^This macro is available when compiling for the Stable ABI/.test(text)) {
    return { since: since(text), scope: 'macro', struct: null, platform: null, slotId: null };
  }
  if (/^These pointers are part of the Stable ABI/.test(text)) {
    return { since: since(text), scope: 'stable-abi', struct: 'some-members', platform: null, slotId: null };
  }
  match = /^Part of the (Stable ABI|Limited API)( \((including all members|as an opaque struct|see below)\))?(\. \(Only some members are part of the stable ABI\.\))?( (on [^.]+?))?( since version \d+\.\d+)?\.?( \(Only some members are part of the stable ABI\.\))?$/.exec(text);
  if (match) {
    const [, family, , structNote, someMembers, , platform, , someMembersAfter] = match;
    const struct =
      structNote === 'including all members' ? 'all-members'
      : structNote === 'as an opaque struct' ? 'opaque'
      : structNote === 'see below' ? 'see-below'
      : someMembers || someMembersAfter ? 'some-members'
      : null;
    return {
      since: since(text),
      scope: family === 'Limited API' ? 'limited-api-only' : 'stable-abi',
      struct,
      platform: platform?.replace(/ since version.*$/, '') ?? null,
      slotId: null,
    };
  }
  throw new SourceError(file, `unrecognised Stable ABI annotation "${text}"`, 'Teach parseStableAbiAnnotation in scripts/sources/docs-html.ts the new wording.');
}


/**
 * The other C-API pages a page links to, as file names under c-api/ ('list.html'), sorted. The scraper crawls
 * from c-api/index.html with this, so a URL root and a local copy are read the same way, with no page list to keep.
 */
export function findLinkedPages(html: string): string[] {
  const pages = new Set<string>();
  for (const match of html.matchAll(/href="([A-Za-z0-9_-]+\.html)(?:#[^"]*)?"/g)) pages.add(match[1]!);
  return [...pages].sort();
}
