// Every registered rule has a doc page and a rule table; every doc page and table belongs to a rule.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleIds, ruleList } from '../../src/rules/registry.js';

const docPages = readdirSync('docs/rules').filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
const tables = readdirSync('test/rules/pack').filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.test\.ts$/, ''));

describe('rule documentation and tests', () => {
  for (const rule of ruleList) {
    it(`${rule.id} has a doc page with the required sections`, () => {
      expect(existsSync(rule.docs)).toBe(true);
      const page = readFileSync(rule.docs, 'utf8');
      expect(page.startsWith(`# ${rule.id}\n`)).toBe(true);
      expect(page).toContain(`Severity: **${rule.severity}**`);
      for (const section of ['## What it checks', '## Why', '## Example that fires', '## Example that does not fire', '## How to fix', '## How to disable']) {
        expect(page).toContain(section);
      }
    });

    it(`${rule.id} has a rule table that runs the rule tester`, () => {
      const path = `test/rules/pack/${rule.id}.test.ts`;
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path, 'utf8')).toMatch(/runRuleTester\(\w+, \{/);
    });
  }

  it('has no doc page or rule table without a rule', () => {
    expect(docPages.filter((id) => !ruleIds.includes(id))).toEqual([]);
    expect(tables.filter((id) => !ruleIds.includes(id))).toEqual([]);
  });
});
