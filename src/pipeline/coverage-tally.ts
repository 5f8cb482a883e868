// Counts what a scan could not judge (unreadable connections, unverified signatures) for the verdict line.
import type { Finding, ScanCoverage } from '../model/index.js';

/** Rules whose findings say that something could not be read or checked. */
const UNREADABLE_RULE = 'capture-unreadable';
const UNVERIFIED_RULE = 'token-signature-unverified';

export class CoverageTally {
  #unreadable = 0;
  #unverified = 0;

  /** `data` is absent for a finding only counted (UnkeptFinding); capture-unreadable findings are always built. */
  count(finding: Pick<Finding, 'ruleId' | 'messageId'> & { readonly data?: Finding['data'] }): void {
    // One finding counts many connections when the reader ended them early (`195000 connections`).
    // A cut or damaged file is no connection: its finding says what was lost, the count stays about connections.
    if (finding.ruleId === UNREADABLE_RULE && finding.messageId !== 'truncated') {
      this.#unreadable += finding.messageId === 'evicted' ? Number.parseInt(String(finding.data?.['evicted']), 10) || 1 : 1;
    }
    else if (finding.ruleId === UNVERIFIED_RULE) this.#unverified++;
  }

  summary(exchangesJudged: number): ScanCoverage {
    return { exchangesJudged, unreadableStreams: this.#unreadable, unverifiedSignatures: this.#unverified };
  }
}
