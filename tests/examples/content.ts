/**
 * Reads content/pitfalls/*.mdx and content/examples/<slug>/ for the tests: front matter (a small YAML subset, parsed
 * strictly), the files each example must have, and the API names of the dataset.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CONTENT_DIR = resolve(import.meta.dirname, '../../content');
export const DATA_VERSIONS_DIR = resolve(import.meta.dirname, '../../data/versions');

export type FrontMatter = Record<string, unknown>;

function scalar(raw: string, where: string): unknown {
  const v = raw.trim();
  if (v === 'null' || v === '~') return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === '[]') return [];
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      throw new Error(`${where}: bad double-quoted string ${v}`);
    }
  }
  if (v.startsWith("'") || v.startsWith('[') || v.startsWith('{') || v.includes(': ') || v.includes(' #')) {
    throw new Error(`${where}: unsupported YAML value ${v} (use a plain word or a JSON-style "string")`);
  }
  return v;
}

/**
 * Parse the front matter between the leading `---` lines. Supported: `key: value`, `key:` followed by `  - item`
 * lines (a list) or `  sub: value` lines (one level of mapping). Anything else is an error, so the test never reads
 * something other than what the site's YAML parser reads.
 */
export function parseFrontMatter(text: string, where: string): { data: FrontMatter; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${where}: no front matter`);
  const lines = m[1]!.split('\n');
  const data: FrontMatter = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const top = /^([A-Za-z][\w-]*):(?: (.*))?$/.exec(line);
    if (!top) throw new Error(`${where}: cannot read front matter line ${JSON.stringify(line)}`);
    const key = top[1]!;
    if (key in data) throw new Error(`${where}: duplicate key ${key}`);
    if (top[2] !== undefined && top[2].trim() !== '') {
      data[key] = scalar(top[2], `${where} ${key}`);
      continue;
    }
    const children: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.startsWith('  ')) children.push(lines[++i]!);
    if (children.length === 0) {
      data[key] = null;
    } else if (children.every((c) => c.startsWith('  - '))) {
      data[key] = children.map((c) => scalar(c.slice(4), `${where} ${key}`));
    } else {
      const obj: Record<string, unknown> = {};
      for (const c of children) {
        const sub = /^ {2}([A-Za-z][\w-]*): (.*)$/.exec(c);
        if (!sub) throw new Error(`${where}: cannot read ${JSON.stringify(c)} under ${key}`);
        obj[sub[1]!] = scalar(sub[2]!, `${where} ${key}.${sub[1]}`);
      }
      data[key] = obj;
    }
  }
  return { data, body: m[2]! };
}

export type ContentFile = { slug: string; path: string; data: FrontMatter; body: string };

export function readPitfalls(): ContentFile[] {
  const dir = join(CONTENT_DIR, 'pitfalls');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      return { slug: f.slice(0, -'.mdx'.length), path, ...parseFrontMatter(readFileSync(path, 'utf8'), path) };
    });
}

export const EXAMPLE_FILES = ['index.mdx', 'wrong.c', 'fixed.c', 'driver.py', 'expect.json'] as const;

export function readExamples(): ContentFile[] {
  const dir = join(CONTENT_DIR, 'examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((slug) => {
      const path = join(dir, slug, 'index.mdx');
      return { slug, path, ...parseFrontMatter(readFileSync(path, 'utf8'), path) };
    });
}

/** Every API name in any data/versions/*.json, with the versions that have it. */
export function datasetApiNames(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const f of readdirSync(DATA_VERSIONS_DIR).filter((f) => /^3\.\d+\.json$/.test(f))) {
    const ds = JSON.parse(readFileSync(join(DATA_VERSIONS_DIR, f), 'utf8')) as { version: string; apis: { name: string }[] };
    for (const api of ds.apis) {
      const list = names.get(api.name) ?? [];
      list.push(ds.version);
      names.set(api.name, list);
    }
  }
  return names;
}

/**
 * Lines of an MDX body that MDX would not read as plain Markdown: `<`, `{` or `}` outside code spans and fences
 * start JSX or an expression. The content must render without imports or components.
 */
export function mdxHazards(body: string): string[] {
  const prose = body.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return prose.split('\n').filter((line) => /[<{}]/.test(line) || /^\s*(import|export)\s/.test(line));
}
