// Judgement: one exchange as the inspector hands it to outputs: decoded, judged, secrets masked.
import type { DecodedExchange } from './credential.js';
import type { Finding, RuleError, Severity } from './finding.js';
import { severityRank } from './finding.js';

/**
 * What judging one exchange gives: the decoded exchange (bodies dropped) and its findings and
 * rule errors, which carry `decoded.exchangeId` and the exchange's place, never the exchange.
 */
export interface Judgement {
  readonly decoded: DecodedExchange;
  readonly findings: readonly Finding[];
  readonly ruleErrors: readonly RuleError[];
  /** Findings a baseline accepted: kept out of `findings`, of the counts and of the exit decision. */
  readonly suppressed?: readonly Finding[];
  /**
   * Findings the scan counts but would not keep (beyond its per-rule limit), given only as far as
   * the counts need them: built so when no output takes judgements one by one and no baseline reads
   * each finding. Counted like `findings`.
   */
  readonly unkept?: readonly UnkeptFinding[];
}

/** A finding beyond the report's limits: what its counts need, no message, data or place. */
export type UnkeptFinding = Pick<Finding, 'ruleId' | 'severity' | 'messageId'>;

/** The most severe severity among `findings`, or undefined when there are none. The one place it is computed. */
export function worstSeverity(findings: Iterable<Pick<Finding, 'severity'>>): Severity | undefined {
  let worst: Severity | undefined;
  for (const finding of findings) {
    if (worst === undefined || severityRank[finding.severity] > severityRank[worst]) worst = finding.severity;
  }
  return worst;
}

/** The most severe severity with a non-zero count. */
export function worstOfCounts(counts: Readonly<Record<Severity, number>>): Severity | undefined {
  return (['error', 'warning', 'note'] as const).find((severity) => counts[severity] > 0);
}
