// Table-driven rule tester (ESLint's RuleTester): valid cases report nothing, invalid ones report exactly.
import { describe, expect, it } from 'vitest';
import type { DecodedExchange, Finding } from '../../src/model/index.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import type { Rule } from '../../src/rules/define-rule.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import type { VerificationResult } from '../../src/rules/signature/verification-result.js';
import { testConfig } from './factories.js';

export interface ValidCase {
  readonly name: string;
  /** Built lazily, inside the test. */
  readonly decoded: () => DecodedExchange;
  readonly config?: Partial<ResolvedConfig>;
  /** Exchanges judged first, in order (e.g. the 401 that announced trusted_issuers). */
  readonly before?: () => DecodedExchange[];
  /** Verification results by sighting index within `decoded`'s credentials. */
  readonly signatures?: ReadonlyArray<VerificationResult | undefined>;
}

export interface ExpectedReport {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
}

export interface InvalidCase extends ValidCase {
  readonly errors: readonly ExpectedReport[];
}

export function runRuleTester(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.id, () => {
    it('has at least one valid and one invalid case, covering every message id', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      const reported = new Set(cases.invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
      expect([...reported].sort()).toEqual(Object.keys(rule.messages).sort());
    });

    for (const valid of cases.valid) {
      it(`valid: ${valid.name}`, () => {
        expect(findingsOf(rule, valid)).toEqual([]);
      });
    }

    for (const invalid of cases.invalid) {
      it(`invalid: ${invalid.name}`, () => {
        const findings = findingsOf(rule, invalid);
        expect(findings.map((f) => ({ messageId: f.messageId, data: f.data }))).toEqual(invalid.errors);
        for (const finding of findings) {
          expect(finding.ruleId).toBe(rule.id);
          expect(finding.message).not.toMatch(/\{\{/);
          const raw = finding.sighting?.value.reveal() ?? '';
          if (raw.length > 8) expect(finding.message).not.toContain(raw);
        }
      });
    }
  });
}

function findingsOf(rule: Rule, testCase: ValidCase): Finding[] {
  const engine = createRuleEngine(testConfig(testCase.config), [rule]);
  for (const earlier of testCase.before?.() ?? []) engine.run(earlier);
  const decoded = testCase.decoded();
  const signatures = new Map<string, VerificationResult>();
  testCase.signatures?.forEach((result, index) => {
    const sighting = decoded.credentials[index];
    if (result && sighting) signatures.set(sighting.id, result);
  });
  const { findings, ruleErrors } = engine.run(decoded, signatures);
  expect(ruleErrors).toEqual([]);
  return findings;
}
