// The exit decision of a scan: 1 when any finding reaches the fail-on threshold, else 0.
import { severityRank, type Finding, type Severity } from '../model/index.js';

/** The lowest severity that fails the scan, or `never`. */
export type FailOn = Severity | 'never';

/** True when a finding of `severity` fails a scan run with `failOn`. */
export function reachesThreshold(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank[severity] >= severityRank[failOn];
}

export function exitCodeFor(findings: readonly Pick<Finding, 'severity'>[], failOn: FailOn): 0 | 1 {
  return findings.some((finding) => reachesThreshold(finding.severity, failOn)) ? 1 : 0;
}
