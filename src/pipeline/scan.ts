// Wires a scan: exchanges from each capture -> decode -> signature checks -> rules -> a ScanResult.
import type { ResolvedConfig } from '../config/index.js';
import { decodeExchange } from '../decode/decode-exchange.js';
import type { Anomaly, CredentialSighting, DecodedExchange, Finding, HttpBody, HttpExchange, RuleError, ScanResult, Severity } from '../model/index.js';
import { severityRank } from '../model/index.js';
import { createRuleEngine, verifySignatures } from '../rules/index.js';
import { readExchanges, type SourceSummary } from './read-exchanges.js';

export interface ScanLimits {
  /** Exchanges kept for the report (the first ones); counts stay exact beyond. */
  readonly maxExchanges: number;
  /** Findings kept per rule for the report; counts and the exit decision stay exact beyond. */
  readonly maxFindingsPerRule: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxExchanges: 50_000, maxFindingsPerRule: 5_000 };

export interface ScanEvents {
  /** Each exchange as soon as it is judged (for live views). */
  exchange?(decoded: DecodedExchange, findings: readonly Finding[]): void;
  anomaly?(anomaly: Anomaly): void;
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

const EMPTY = Buffer.alloc(0);

function slimBody(body: HttpBody): HttpBody {
  return body.bytes.length === 0 ? body : { ...body, bytes: EMPTY, truncated: true };
}

/** The exchange without its bodies: decode has read them; reports need only heads and places. */
function slimExchange(ex: HttpExchange): HttpExchange {
  return {
    ...ex,
    request: { ...ex.request, body: slimBody(ex.request.body) },
    ...(ex.response ? { response: { ...ex.response, body: slimBody(ex.response.body) } } : {}),
  };
}

function slimDecoded(decoded: DecodedExchange, findings: readonly Finding[]): { decoded: DecodedExchange; findings: Finding[] } {
  const exchange = slimExchange(decoded.exchange);
  const map = new Map<CredentialSighting, CredentialSighting>();
  const credentials = decoded.credentials.map((c) => {
    const slim = { ...c, exchange };
    map.set(c, slim);
    return slim;
  });
  return {
    decoded: { ...decoded, exchange, credentials },
    findings: findings.map((f) => ({ ...f, exchange, ...(f.sighting ? { sighting: map.get(f.sighting) ?? f.sighting } : {}) })),
  };
}

/** Scans the files in order and gathers the result, within `limits`. */
export async function scanFiles(
  files: readonly string[],
  config: ResolvedConfig,
  events: ScanEvents = {},
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): Promise<ScanOutcome> {
  const engine = createRuleEngine(config);
  const exchanges: DecodedExchange[] = [];
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const anomalies: Anomaly[] = [];
  const sources: SourceSummary[] = [];
  const keptPerRule = new Map<string, number>();
  const findingCounts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  let exchangeCount = 0;
  let droppedExchanges = 0;
  let droppedFindings = 0;
  const verify = config.trustStore.certificates.length > 0;

  const judge = (decoded: DecodedExchange, signatures?: ReadonlyMap<string, import('../rules/index.js').VerificationResult>): void => {
    const run = engine.run(decoded, signatures);
    const slim = slimDecoded(decoded, run.findings);
    exchangeCount++;
    if (exchanges.length < limits.maxExchanges) exchanges.push(slim.decoded);
    else droppedExchanges++;
    for (const finding of slim.findings) {
      findingCounts[finding.severity]++;
      const kept = keptPerRule.get(finding.ruleId) ?? 0;
      if (kept < limits.maxFindingsPerRule) {
        findings.push(finding);
        keptPerRule.set(finding.ruleId, kept + 1);
      } else droppedFindings++;
    }
    for (const error of run.ruleErrors) if (ruleErrors.length < 1000) ruleErrors.push({ ...error, exchange: slim.decoded.exchange });
    events.exchange?.(slim.decoded, slim.findings);
  };

  for (const file of files) {
    // Signature checks are asynchronous (WebCrypto); a promise chain keeps capture order, and it
    // drains between the reader's chunks, so at most one chunk's exchanges wait.
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    const summary = await readExchanges(file, {
      exchange(ex) {
        const decoded = decodeExchange(ex);
        if (!verify || !decoded.credentials.some((c) => c.decoded.type === 'jwt')) {
          if (failure === undefined) chain = chain.then(() => judge(decoded));
          return;
        }
        chain = chain
          .then(() => verifySignatures(decoded, config.trustStore))
          .then((signatures) => judge(decoded, signatures))
          .catch((error: unknown) => {
            failure ??= error;
          });
      },
      anomaly(anomaly) {
        if (anomalies.length < 10_000) anomalies.push(anomaly);
        events.anomaly?.(anomaly);
      },
    });
    await chain;
    if (failure !== undefined) throw failure;
    sources.push(summary);
  }

  const worst = (['error', 'warning', 'note'] as const).find((s) => findingCounts[s] > 0);
  findings.sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || a.ruleId.localeCompare(b.ruleId) || a.exchange.request.frame - b.exchange.request.frame);
  return {
    result: { files, exchanges, findings, ruleErrors, anomalies },
    sources,
    findingCounts,
    ...(worst ? { worstSeverity: worst } : {}),
    exchangeCount,
    droppedExchanges,
    droppedFindings,
  };
}
