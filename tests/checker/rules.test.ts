/**
 * One fixture per rule (tests/fixtures/checker/<rule-id>.c): every line marked `expect <rule-id>` is reported by
 * that rule, nothing else in the file is reported by any rule, and the file holds at least one true positive and
 * one near miss (a function marked `near miss` that resembles the bug but is correct). The fixtures run through
 * the real parser and the real dataset.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContext, checkSource, RULES } from '../../packages/capi-refs/src/check.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/checker');

function expectations(text: string): string[] {
  return text.split('\n').flatMap((line, i) => [...line.matchAll(/expect ([a-z-]+)/g)].map((m) => `${i + 1} ${m[1]}`));
}

describe('every rule has a fixture with a true positive and a near miss', () => {
  for (const rule of RULES) {
    it(rule.id, async () => {
      const file = path.join(FIXTURES, `${rule.id}.c`);
      expect(existsSync(file), `${file} is missing`).toBe(true);
      const text = readFileSync(file, 'utf8');
      const python = /\(Python (3\.\d+)\)/.exec(text)?.[1] ?? '3.13';
      const expected = expectations(text);
      expect(expected.some((e) => e.endsWith(` ${rule.id}`))).toBe(true);
      expect(text).toMatch(/near miss/);
      const findings = await checkSource(text, file, checkContext(python, { explain: rule.explainOnly }));
      expect(findings.map((f) => `${f.line} ${f.ruleId}`).sort()).toEqual(expected.sort());
    });
  }
});

describe('each rule documents a wrong and a right example', () => {
  for (const rule of RULES) {
    it(rule.id, () => {
      expect(rule.example.wrong.length).toBeGreaterThan(0);
      expect(rule.example.right.length).toBeGreaterThan(0);
      expect(rule.example.wrong).not.toBe(rule.example.right);
    });
  }
});
