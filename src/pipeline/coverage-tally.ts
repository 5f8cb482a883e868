// Counts what a scan could not judge (unreadable connections, unverified signatures) for the verdict line.
import type { Finding, ScanCoverage } from '../model/index.js';

/** Rules whose findings say that something could not be read or checked. */
const UNREADABLE_RULE = 'capture-unreadable';
const UNVERIFIED_RULE = 'token-signature-unverified';

export class CoverageTally {
  #unreadable = 0;
  #unverified = 0;

  count(finding: Finding): void {
    if (finding.ruleId === UNREADABLE_RULE) this.#unreadable++;
    else if (finding.ruleId === UNVERIFIED_RULE) this.#unverified++;
  }

  summary(exchangesJudged: number): ScanCoverage {
    return { exchangesJudged, unreadableStreams: this.#unreadable, unverifiedSignatures: this.#unverified };
  }
}
