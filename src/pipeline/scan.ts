// Wires a scan of files: exchanges from each capture -> ExchangeJudge -> a bounded ScanResult.
import type { ResolvedConfig } from '../config/index.js';
import type { Anomaly, DecodedExchange, Finding, RuleError, ScanResult, Severity } from '../model/index.js';
import { compareExchangeOrder, severityRank } from '../model/index.js';
import { CredentialTally } from '../report/credential-tally.js';
import { CoverageTally } from './coverage-tally.js';
import { ExchangeJudge, type Judgement } from './exchange-judge.js';
import { readExchanges, type ReadOptions, type SourceSummary } from './read-exchanges.js';

export interface ScanLimits {
  /** Exchanges kept for the report (the first ones); counts stay exact beyond. */
  readonly maxExchanges: number;
  /** Findings kept per rule for the report; counts and the exit decision stay exact beyond. */
  readonly maxFindingsPerRule: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxExchanges: 2_000, maxFindingsPerRule: 500 };

export interface ScanEvents {
  /** Each exchange as soon as it is judged (for live views). */
  judged?(judgement: Judgement): void;
  anomaly?(anomaly: Anomaly): void;
  /** Findings about the capture itself (what could not be read), as soon as they are judged. */
  captureFindings?(findings: readonly Finding[]): void;
}

export interface ScanOutcome {
  readonly result: ScanResult;
  readonly sources: readonly SourceSummary[];
  /** Findings per severity, counted over every finding (also those beyond the limits). */
  readonly findingCounts: Readonly<Record<Severity, number>>;
  readonly worstSeverity?: Severity;
  readonly exchangeCount: number;
  readonly droppedExchanges: number;
  readonly droppedFindings: number;
}

/** Gathers judgements into a ScanResult, keeping at most `limits` of them for the report. */
export class ScanCollector {
  readonly exchanges: DecodedExchange[] = [];
  readonly findings: Finding[] = [];
  readonly ruleErrors: RuleError[] = [];
  readonly anomalies: Anomaly[] = [];
  readonly findingCounts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  exchangeCount = 0;
  credentialCount = 0;
  droppedExchanges = 0;
  droppedFindings = 0;
  readonly #keptPerRule = new Map<string, number>();
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

  readonly addAnomaly = (anomaly: Anomaly): void => {
    if (this.anomalies.length < 10_000) this.anomalies.push(anomaly);
  };

  get worstSeverity(): Severity | undefined {
    return (['error', 'warning', 'note'] as const).find((s) => this.findingCounts[s] > 0);
  }

  result(files: readonly string[]): ScanResult {
    const findings = [...this.findings].sort(
      (a, b) =>
        severityRank[b.severity] - severityRank[a.severity] ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.exchange && b.exchange ? compareExchangeOrder(a.exchange, b.exchange) : frameOf(a) - frameOf(b)),
    );
    const cut = this.droppedExchanges > 0 || this.droppedFindings > 0;
    const totals = { exchanges: this.exchangeCount, credentials: this.credentialCount, findings: { ...this.findingCounts } };
    return {
      files,
      ...(cut ? { totals } : {}),
      credentialGroups: this.#credentials.groups(),
      coverage: this.#coverage.summary(this.exchangeCount),
      exchanges: this.exchanges,
      findings,
      ruleErrors: this.ruleErrors,
      anomalies: this.anomalies,
    };
  }
}

/** The frame a finding points at: its request's, or the capture place's. */
function frameOf(finding: Finding): number {
  return finding.exchange?.request.frame ?? finding.where?.frame ?? 0;
}

/** Scans the files in order and gathers the result, within `limits`. */
export async function scanFiles(
  files: readonly string[],
  config: ResolvedConfig,
  events: ScanEvents = {},
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  read: ReadOptions = {},
): Promise<ScanOutcome> {
  const collector = new ScanCollector(limits);
  const judge = new ExchangeJudge(config, (judgement) => {
    collector.add(judgement);
    events.judged?.(judgement);
  });
  const sources: SourceSummary[] = [];
  for (const file of files) {
    // The judge's promise chain drains between the reader's chunks, so few exchanges wait.
    const summary = await readExchanges(file, {
      exchange: (ex) => judge.submit(ex),
      anomaly(anomaly) {
        collector.addAnomaly(anomaly);
        events.anomaly?.(anomaly);
        const run = judge.judgeAnomaly(anomaly);
        if (run.findings.length === 0 && run.ruleErrors.length === 0) return;
        collector.addFindings(run.findings, run.ruleErrors);
        events.captureFindings?.(run.findings);
      },
    }, read);
    await judge.drained();
    sources.push(summary);
  }
  const worst = collector.worstSeverity;
  return {
    result: collector.result(files),
    sources,
    findingCounts: collector.findingCounts,
    ...(worst ? { worstSeverity: worst } : {}),
    exchangeCount: collector.exchangeCount,
    droppedExchanges: collector.droppedExchanges,
    droppedFindings: collector.droppedFindings,
  };
}
