/**
 * The package README documents every checker rule, and that list is generated from the rules' metadata: the
 * block in the README is exactly what renderRulesSection gives (else `npm run build:package` was not run after a
 * rule changed), every rule has its anchor, and the renderer's output is pinned on a small fake list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, type RuleMeta } from '../../packages/capi-refs/src/check.ts';
import { readRulesBlock, renderRulesSection, replaceRulesBlock, RULES_END, RULES_START } from '../../packages/capi-refs/tools/render-rules-doc.ts';

const README = path.resolve(import.meta.dirname, '../../packages/capi-refs/README.md');

describe('the rules section of packages/capi-refs/README.md', () => {
  const readme = readFileSync(README, 'utf8');

  it('is the generated block, up to date with the rules (run npm run build:package if not)', () => {
    expect(readme).toContain(RULES_START);
    expect(readme).toContain(RULES_END);
    expect(readRulesBlock(readme)).toBe(renderRulesSection(RULES));
  });

  it('has an anchor, a heading and a table row for every rule', () => {
    const block = readRulesBlock(readme) ?? '';
    for (const rule of RULES) {
      expect(block).toContain(`<a id="rule-${rule.id}"></a>\n\n### ${rule.id}\n`);
      expect(block).toContain(`| [\`${rule.id}\`](#rule-${rule.id}) |`);
    }
  });
});

const FAKE: readonly RuleMeta[] = [
  {
    id: 'first-rule',
    name: 'FirstRule',
    summary: 'Something is wrong | twice',
    help: 'Release it with Py_DECREF; a __del__ may run.',
    defaultLevel: 'error',
    explainOnly: false,
    example: { wrong: 'Py_DECREF(a);\nPy_DECREF(a);', right: 'Py_DECREF(a);\n' },
  },
  {
    id: 'second-rule',
    name: 'SecondRule',
    summary: 'A call that *steals*.',
    help: 'Explains a <steal>.',
    defaultLevel: 'note',
    explainOnly: true,
    example: { wrong: 'f("```");', right: 'g();' },
  },
];

describe('renderRulesSection', () => {
  it('renders the intro, the table and one subsection per rule, escaping Markdown in the prose', () => {
    const section = renderRulesSection(FAKE);
    const intro = section.slice(0, section.indexOf('\n\n'));
    expect(intro).toMatch(/^The checker builds a control-flow graph of every function/);
    expect(intro).toContain('`#if` branches not compiled for the target');
    expect(intro).toContain('A reference leaked on several paths is one finding');
    expect(section.slice(intro.length)).toBe(
      [
        '',
        '',
        '| rule | level | what |',
        '| --- | --- | --- |',
        '| [`first-rule`](#rule-first-rule) | error | Something is wrong \\| twice |',
        '| [`second-rule`](#rule-second-rule) | note, only with `--explain` | A call that \\*steals\\*. |',
        '',
        '<a id="rule-first-rule"></a>',
        '',
        '### first-rule',
        '',
        'Something is wrong | twice. Level: **error**. Reported by default (no `--explain` needed).',
        '',
        'Release it with Py_DECREF; a \\_\\_del\\_\\_ may run.',
        '',
        'Reported:',
        '',
        '```c',
        'Py_DECREF(a);',
        'Py_DECREF(a);',
        '```',
        '',
        'Correct:',
        '',
        '```c',
        'Py_DECREF(a);',
        '```',
        '',
        '<a id="rule-second-rule"></a>',
        '',
        '### second-rule',
        '',
        'A call that \\*steals\\*. Level: **note**. Explanation only: reported with `--explain`, as it describes correct code rather than a bug.',
        '',
        'Explains a \\<steal>.',
        '',
        'Reported:',
        '',
        '````c',
        'f("```");',
        '````',
        '',
        'Correct:',
        '',
        '```c',
        'g();',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('is deterministic and replaces only the block between the markers', () => {
    expect(renderRulesSection(FAKE)).toBe(renderRulesSection(FAKE));
    const doc = `# Title\n\n${RULES_START}\nold\n${RULES_END}\n\nAfter.\n`;
    const updated = replaceRulesBlock(doc, renderRulesSection(FAKE));
    expect(updated.startsWith(`# Title\n\n${RULES_START}\n`)).toBe(true);
    expect(updated.endsWith(`\n${RULES_END}\n\nAfter.\n`)).toBe(true);
    expect(readRulesBlock(updated)).toBe(renderRulesSection(FAKE));
    expect(readRulesBlock('# no markers\n')).toBeNull();
    expect(() => replaceRulesBlock('# no markers\n', 'x')).toThrow(/rules:start/);
  });
});
