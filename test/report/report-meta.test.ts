// Rule metadata for reports: built from a defineRule-shaped rule, help pages resolved to absolute URIs.
import { describe, expect, it } from 'vitest';
import { reportRuleOf, ruleHelpUri } from '../../src/report/report-meta.js';
import { metaFor, sampleScan } from './builders.js';

describe('report rules', () => {
  const rule = reportRuleOf({ id: 'no-basic-auth', severity: 'error', title: 'Basic', description: 'Basic on the wire.', docs: 'docs/rules/no-basic-auth.md' });
  const { result } = sampleScan();

  it('takes id, severity, title, description and docs path from the rule', () => {
    expect(rule).toEqual({ id: 'no-basic-auth', severity: 'error', title: 'Basic', description: 'Basic on the wire.', docsPath: 'docs/rules/no-basic-auth.md' });
  });

  it('resolves the docs path against the base, with or without a trailing slash', () => {
    expect(ruleHelpUri(metaFor(result, 'error', { docsBaseUri: 'file:///opt/oauth-inspect/' }), rule)).toBe('file:///opt/oauth-inspect/docs/rules/no-basic-auth.md');
    expect(ruleHelpUri(metaFor(result, 'error', { docsBaseUri: 'https://example.org/tree/main' }), rule)).toBe('https://example.org/tree/main/docs/rules/no-basic-auth.md');
  });
});
