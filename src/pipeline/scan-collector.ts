// ScanCollector: gathers judgements into a bounded ScanResult; counts stay exact beyond the limits.
import type { Anomaly, DecodedExchange, Finding, Judgement, RuleError, ScanResult, Severity, UnkeptFinding } from '../model/index.js';
import { compareExchangeOrder, severityRank, worstOfCounts } from '../model/index.js';
import { CoverageTally } from './coverage-tally.js';
import { CredentialTally } from './credential-tally.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-limits.js';

export { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-limits.js';

/** Suppressed findings kept for the report (SARIF lists them with their suppression). */
const MAX_SUPPRESSED = 1_000;

/** Anomalies of one code kept for the report (their codes are a bounded set, so the total is bounded too). */
const MAX_ANOMALIES_PER_CODE = 1_000;

/** Gathers judgements into a ScanResult, keeping at most `limits` of them for the report. */
export class ScanCollector {
  readonly exchanges: DecodedExchange[] = [];
  readonly findings: Finding[] = [];
  /** Findings a baseline accepted, the first MAX_SUPPRESSED of them; undefined until one is. */
  suppressed: Finding[] | undefined;
  readonly ruleErrors: RuleError[] = [];
  readonly anomalies: Anomaly[] = [];
  readonly findingCounts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  exchangeCount = 0;
  credentialCount = 0;
  droppedExchanges = 0;
  droppedFindings = 0;
  readonly #keptPerRule = new Map<string, number>();
  readonly #anomaliesPerCode = new Map<string, number>();
  readonly #credentials = new CredentialTally();
  readonly #coverage = new CoverageTally();
  readonly #limits: ScanLimits;

  constructor(limits: ScanLimits = DEFAULT_SCAN_LIMITS) {
    this.#limits = limits;
  }

  readonly add = (judgement: Judgement): void => {
    this.exchangeCount++;
    this.credentialCount += judgement.decoded.credentials.length;
    for (const sighting of judgement.decoded.credentials) this.#credentials.add(sighting);
    if (this.exchanges.length < this.#limits.maxExchanges) this.exchanges.push(judgement.decoded);
    else this.droppedExchanges++;
    this.addFindings(judgement.findings, judgement.ruleErrors);
    if (judgement.unkept) this.#countUnkept(judgement.unkept);
    if (judgement.suppressed) this.addSuppressed(judgement.suppressed);
  };

  /** How many more findings of `ruleId` the report keeps: the rule engine builds no more than that (a FindingRoom). */
  readonly room = (ruleId: string): number => this.#limits.maxFindingsPerRule - (this.#keptPerRule.get(ruleId) ?? 0);

  /** Findings the engine only counted because the report would not keep them: counted as addFindings counts a dropped one. */
  #countUnkept(unkept: readonly UnkeptFinding[]): void {
    for (const finding of unkept) {
      this.findingCounts[finding.severity]++;
      this.#coverage.count(finding);
      this.droppedFindings++;
    }
  }

  /** Findings a baseline accepted: listed (within a bound), never counted. */
  readonly addSuppressed = (findings: readonly Finding[]): void => {
    this.suppressed ??= [];
    for (const finding of findings) if (this.suppressed.length < MAX_SUPPRESSED) this.suppressed.push(finding);
  };

  /** Findings (of an exchange, or about the capture itself), counted exactly and kept within the limits. */
  readonly addFindings = (findings: readonly Finding[], ruleErrors: readonly RuleError[] = []): void => {
    for (const finding of findings) {
      this.findingCounts[finding.severity]++;
      this.#coverage.count(finding);
      const kept = this.#keptPerRule.get(finding.ruleId) ?? 0;
      if (kept < this.#limits.maxFindingsPerRule) {
        this.findings.push(finding);
        this.#keptPerRule.set(finding.ruleId, kept + 1);
      } else this.droppedFindings++;
    }
    for (const error of ruleErrors) if (this.ruleErrors.length < 1000) this.ruleErrors.push(error);
  };

  /**
   * Anomalies kept for the report: at most MAX_ANOMALIES_PER_CODE of each code, so that a flood of
   * one kind (200,000 cut connections) cannot crowd out the rare ones (the one tcp-evicted summary).
   */
  readonly addAnomaly = (anomaly: Anomaly): void => {
    const seen = this.#anomaliesPerCode.get(anomaly.code) ?? 0;
    this.#anomaliesPerCode.set(anomaly.code, seen + 1);
    if (seen < MAX_ANOMALIES_PER_CODE) this.anomalies.push(anomaly);
  };

  get worstSeverity(): Severity | undefined {
    return worstOfCounts(this.findingCounts);
  }

  result(files: readonly string[]): ScanResult {
    const findings = [...this.findings].sort(
      (a, b) =>
        severityRank[b.severity] - severityRank[a.severity] ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.place && b.place ? compareExchangeOrder(a.place, b.place) : frameOf(a) - frameOf(b)),
    );
    const cut = this.droppedExchanges > 0 || this.droppedFindings > 0;
    const totals = { exchanges: this.exchangeCount, credentials: this.credentialCount, findings: { ...this.findingCounts } };
    return {
      files,
      ...(cut ? { totals } : {}),
      credentialGroups: this.#credentials.groups(),
      coverage: this.#coverage.summary(this.exchangeCount),
      anomalyCounts: Object.fromEntries(this.#anomaliesPerCode),
      exchanges: this.exchanges,
      findings,
      ...(this.suppressed && { suppressed: this.suppressed }),
      ruleErrors: this.ruleErrors,
      anomalies: this.anomalies,
    };
  }
}

/** The frame a finding points at: its request's, or the capture place's. */
function frameOf(finding: Finding): number {
  return finding.place?.request.frame ?? finding.where?.frame ?? 0;
}

