// Table-driven rule tester (ESLint's RuleTester): valid cases report nothing, invalid ones report exactly.
// A case judges a decoded exchange (exchange and sighting rules) or an anomaly (anomaly rules).
import { describe, expect, it } from 'vitest';
import type { Anomaly, DecodedExchange, Finding, Severity } from '../../src/model/index.js';
import type { ResolvedConfig, RuleOptionValues } from '../../src/config/resolved-config.js';
import type { Rule } from '../../src/rules/define-rule.js';
import { createRuleEngine, type RuleEngine } from '../../src/rules/engine.js';
import type { VerificationResult } from '../../src/rules/signature/verification-result.js';
import { testConfig } from './factories.js';

interface CaseBase {
  readonly name: string;
  /** Severity settings and the trust store; options go in `options`. */
  readonly config?: Partial<ResolvedConfig>;
  /** The rule's options for this case, over its defaults (as set under the rule in a configuration). */
  readonly options?: RuleOptionValues;
}

/** A case for exchange and sighting rules: one decoded exchange, judged after `before`. */
export interface ExchangeCase extends CaseBase {
  /** Built lazily, inside the test. */
  readonly decoded: () => DecodedExchange;
  /** Exchanges judged first, in order (e.g. the 401 that announced trusted_issuers). */
  readonly before?: () => DecodedExchange[];
  /** Verification results by sighting index within `decoded`'s credentials. */
  readonly signatures?: ReadonlyArray<VerificationResult | undefined>;
  /** What the engine calls the exchange time in messages (`now` for live traffic); the engine's default otherwise. */
  readonly clockLabel?: string;
  readonly anomaly?: never;
}

/** A case for anomaly rules: one anomaly, judged with `engine.judgeAnomaly`. */
export interface AnomalyCase extends CaseBase {
  /** Built lazily, inside the test. */
  readonly anomaly: () => Anomaly;
  readonly decoded?: never;
  readonly before?: never;
  readonly signatures?: never;
  readonly clockLabel?: never;
}

export type ValidCase = ExchangeCase | AnomalyCase;

export interface ExpectedReport {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  /** When given, the finding's severity (after message severities, overrides and the server's answer). */
  readonly severity?: Severity;
  /** When given, the whole rendered message. */
  readonly message?: string;
}

export type InvalidCase = ValidCase & {
  readonly errors: readonly ExpectedReport[];
};

export function runRuleTester(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.id, () => {
    it('has at least one valid and one invalid case, covering every message id', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      const reported = new Set(cases.invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
      expect([...reported].sort()).toEqual(Object.keys(rule.messages).sort());
    });

    it('gives every case the input its scope judges (an anomaly for anomaly rules, an exchange otherwise)', () => {
      const anomalyRule = rule.scope === 'anomaly';
      const mismatched = [...cases.valid, ...cases.invalid].filter((c) => (c.anomaly !== undefined) !== anomalyRule).map((c) => c.name);
      expect(mismatched).toEqual([]);
    });

    for (const valid of cases.valid) {
      it(`valid: ${valid.name}`, () => {
        expect(findingsOf(rule, valid)).toEqual([]);
      });
    }

    for (const invalid of cases.invalid) {
      it(`invalid: ${invalid.name}`, () => {
        const findings = findingsOf(rule, invalid);
        expect(findings.map((f, i) => reportOf(f, invalid.errors[i]))).toEqual(invalid.errors);
        for (const finding of findings) {
          expect(finding.ruleId).toBe(rule.id);
          expect(finding.message).not.toMatch(/\{\{/);
          expect(finding.docs).toBe(rule.docs);
          expect(finding.fix).not.toBe('');
          const raw = finding.sighting?.value.reveal() ?? '';
          if (raw.length > 8) expect(finding.message).not.toContain(raw);
        }
      });
    }
  });
}

/** The finding as an ExpectedReport, with severity and message only when the expectation names them. */
function reportOf(finding: Finding, expected: ExpectedReport | undefined): ExpectedReport {
  return {
    messageId: finding.messageId,
    data: finding.data,
    ...(expected?.severity !== undefined && { severity: finding.severity }),
    ...(expected?.message !== undefined && { message: finding.message }),
  };
}

function findingsOf(rule: Rule, testCase: ValidCase): Finding[] {
  const clockLabel = testCase.clockLabel;
  const config = testConfig({ ...testCase.config, ...(testCase.options && { ruleOptions: { [rule.id]: testCase.options } }) });
  const engine = createRuleEngine(config, [rule], clockLabel === undefined ? {} : { clockLabel });
  return testCase.anomaly !== undefined ? anomalyFindings(engine, testCase.anomaly()) : exchangeFindings(engine, testCase);
}

function exchangeFindings(engine: RuleEngine, testCase: ExchangeCase): Finding[] {
  for (const earlier of testCase.before?.() ?? []) engine.run(earlier);
  const decoded = testCase.decoded();
  const signatures = new Map<string, VerificationResult>();
  testCase.signatures?.forEach((result, index) => {
    const sighting = decoded.credentials[index];
    if (result && sighting) signatures.set(sighting.id, result);
  });
  const { findings, ruleErrors } = engine.run(decoded, signatures);
  expect(ruleErrors).toEqual([]);
  for (const finding of findings) expect(finding.exchangeId).toBe(decoded.exchangeId);
  return findings;
}

/** Findings on an anomaly point at its place (file, frame, stream), never at an exchange. */
function anomalyFindings(engine: RuleEngine, anomaly: Anomaly): Finding[] {
  const { findings, ruleErrors } = engine.judgeAnomaly(anomaly);
  expect(ruleErrors).toEqual([]);
  const where = {
    ...(anomaly.file !== undefined && { file: anomaly.file }),
    ...(anomaly.frame !== undefined && { frame: anomaly.frame }),
    ...(anomaly.stream !== undefined && { stream: anomaly.stream }),
  };
  for (const finding of findings) {
    expect(finding.exchangeId).toBeUndefined();
    expect(finding.place).toBeUndefined();
    expect(finding.sighting).toBeUndefined();
    expect(finding.where).toEqual(where);
  }
  return findings;
}
