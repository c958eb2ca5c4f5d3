/**
 * Pitfalls and examples (content/): front matter validates against src/schema/content.ts, every API named exists
 * in the dataset, cross-references resolve, and every example's wrong.c and fixed.c compile (gcc -Wall -Wextra
 * -Werror) against Debian's CPython 3.11 release and debug builds. Under the debug build, whose
 * sys.gettotalrefcount() counts every reference, the fixed module must keep the count flat and pass the driver's
 * check(), and the wrong module must show its bug as expect.json says (a leak per call, a crash, a wrong result).
 * The fixed module must also run cleanly on the release build.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Example, Pitfall } from '../src/schema/content.ts';
import { buildAndRunAll, EXAMPLES_DIR, type ExampleOutcome } from '../scripts/lib/examples.ts';
import { datasetApiNames, EXAMPLE_FILES, mdxHazards, readExamples, readPitfalls } from './examples/content.ts';
import { fixedProblems, readExpectation, wrongProblems } from './examples/expectation.ts';

const pitfalls = readPitfalls();
const examples = readExamples();
const apiNames = datasetApiNames();

describe('pitfalls and examples content', () => {
  it('has at least 20 pitfalls and 30 examples', () => {
    expect(pitfalls.length).toBeGreaterThanOrEqual(20);
    expect(examples.length).toBeGreaterThanOrEqual(30);
  });

  it.each(pitfalls.map((p) => [p.slug, p] as const))('pitfall %s: front matter, APIs and example links', (_slug, p) => {
    const fm = Pitfall.parse(p.data);
    const missing = fm.apis.filter((a) => !apiNames.has(a));
    expect(missing, `${p.path}: APIs not in any data/versions/*.json`).toEqual([]);
    for (const slug of fm.examples) {
      expect(existsSync(join(EXAMPLES_DIR, slug, 'index.mdx')), `${p.path}: unknown example ${slug}`).toBe(true);
    }
    expect(p.body.trim().length).toBeGreaterThan(200);
    expect(mdxHazards(p.body), `${p.path}: text MDX would read as JSX or an expression`).toEqual([]);
  });

  it.each(examples.map((e) => [e.slug, e] as const))('example %s: files, front matter, APIs and pitfall links', (slug, e) => {
    for (const f of EXAMPLE_FILES) expect(existsSync(join(EXAMPLES_DIR, slug, f)), `${slug}/${f}`).toBe(true);
    const fm = Example.parse(e.data);
    const missing = fm.apis.filter((a) => !apiNames.has(a));
    expect(missing, `${e.path}: APIs not in any data/versions/*.json`).toEqual([]);
    // Every API the page names is used in the C files or discussed in the text.
    const c = readFileSync(join(EXAMPLES_DIR, slug, 'wrong.c'), 'utf8') + readFileSync(join(EXAMPLES_DIR, slug, 'fixed.c'), 'utf8');
    const unused = fm.apis.filter((a) => !new RegExp(`\\b${a.split('.').pop()}\\b`).test(c) && !e.body.includes(a));
    expect(unused, `${e.path}: APIs named but neither used nor discussed`).toEqual([]);
    expect(fm.pitfalls.length).toBeGreaterThan(0);
    for (const p of fm.pitfalls) {
      const pitfall = pitfalls.find((x) => x.slug === p);
      expect(pitfall, `${e.path}: unknown pitfall ${p}`).toBeDefined();
      // Links go both ways, so the site can list examples on pitfall pages and the reverse.
      expect(Pitfall.parse(pitfall!.data).examples, `pitfall ${p} should list example ${slug}`).toContain(slug);
    }
    expect(mdxHazards(e.body), `${e.path}: text MDX would read as JSX or an expression`).toEqual([]);
    const exp = readExpectation(slug);
    // A leak must be measured as a leak; the other symptoms are observed as a crash or a failing check.
    expect(fm.symptom === 'leak', `${slug}: symptom ${fm.symptom} against expected ${exp.wrong.kind}`).toBe(exp.wrong.kind === 'leak');
  });
});

describe('examples compiled and leak-checked against CPython 3.11 (release and debug builds)', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'capi-refs-examples-'));
  const outcomes = new Map<string, ExampleOutcome>();

  beforeAll(async () => {
    for (const o of await buildAndRunAll(examples.map((e) => e.slug), outRoot, 2)) outcomes.set(o.slug, o);
  });

  afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

  it.each(examples.map((e) => e.slug))('%s', (slug) => {
    const o = outcomes.get(slug);
    expect(o, `no outcome for ${slug}`).toBeDefined();
    expect(o!.buildError).toBeNull();
    expect(fixedProblems(o!.fixedDebug!, true), 'fixed module, debug build').toEqual([]);
    expect(fixedProblems(o!.fixedRelease!, o!.fixedRelease!.metric !== null), 'fixed module, release build').toEqual([]);
    expect(wrongProblems(readExpectation(slug).wrong, o!.wrongDebug!), 'wrong module, debug build').toEqual([]);
  });
});
