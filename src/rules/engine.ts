// The rule engine: runs the enabled rules over each decoded exchange (and each anomaly) and turns reports into findings.
import type { Anomaly, CredentialSighting, DecodedExchange, Finding, RuleError, Severity } from '../model/index.js';
import { severityRank } from '../model/index.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import {
  renderMessage,
  type AnomalyRule,
  type ExchangeRule,
  type Rule,
  type RuleContext,
  type RuleReport,
  type SightingRule,
} from './define-rule.js';
import { maskCredentialsIn, maskDataIn } from './mask-text.js';
import { ruleList } from './registry.js';
import { fixOf } from './rule-fixes.js';
import { describeAnswer, serverAnswer, type ServerAnswer } from './s2s/server-answer.js';
import { createServerContextTracker } from './server-context.js';
import type { VerificationResult } from './signature/verification-result.js';

export interface RuleRunResult {
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
}

export interface RuleEngine {
  /** The rules that run (not switched off), sorted by id. */
  readonly rules: readonly Rule[];
  /**
   * Judges one exchange. Call in capture order: issuer-not-trusted uses the challenges each host
   * announced in earlier exchanges. `signatures` comes from verifySignatures.
   */
  run(decoded: DecodedExchange, signatures?: ReadonlyMap<string, VerificationResult>): RuleRunResult;
  /** Judges one anomaly (what could not be read) with the anomaly rules. */
  judgeAnomaly(anomaly: Anomaly): RuleRunResult;
}

export interface RuleEngineOptions {
  /** What the exchange time is called in messages: `the capture time` (default) or `now`. */
  readonly clockLabel?: string;
}

const noSignatures: ReadonlyMap<string, VerificationResult> = new Map();

/** `rules` defaults to the whole registry; tests pass their own. */
export function createRuleEngine(config: ResolvedConfig, rules: readonly Rule[] = ruleList, options: RuleEngineOptions = {}): RuleEngine {
  const active = rules.filter((rule) => config.rules[rule.id] !== 'off');
  const exchangeRules = active.filter((rule): rule is SightingRule | ExchangeRule => rule.scope !== 'anomaly');
  const anomalyRules = active.filter((rule): rule is AnomalyRule => rule.scope === 'anomaly');
  const servers = createServerContextTracker();
  const clockLabel = options.clockLabel ?? 'the capture time';

  return {
    rules: active,
    run(decoded, signatures = noSignatures) {
      const ctx: RuleContext = {
        captureTime: decoded.exchange.request.time,
        clockLabel,
        serverAnswer: serverAnswer(decoded),
        config,
        decoded,
        serverContext: servers.observe(decoded),
        signatures,
      };
      const findings: Finding[] = [];
      const ruleErrors: RuleError[] = [];
      for (const rule of exchangeRules) {
        const before = findings.length;
        try {
          collectFindings(rule, decoded, ctx, config, findings);
        } catch (err) {
          findings.length = before;
          ruleErrors.push({ ruleId: rule.id, message: maskCredentialsIn(errorText(err), decoded.credentials), exchange: decoded.exchange });
        }
      }
      return { findings, ruleErrors };
    },
    judgeAnomaly(anomaly) {
      const findings: Finding[] = [];
      const ruleErrors: RuleError[] = [];
      const where = {
        ...(anomaly.file !== undefined && { file: anomaly.file }),
        ...(anomaly.frame !== undefined && { frame: anomaly.frame }),
        ...(anomaly.stream !== undefined && { stream: anomaly.stream }),
      };
      for (const rule of anomalyRules) {
        try {
          for (const report of rule.check(anomaly, { config })) {
            findings.push({ ...findingOf(rule, report, config, undefined), where });
          }
        } catch (err) {
          ruleErrors.push({ ruleId: rule.id, message: maskCredentialsIn(errorText(err), []), where });
        }
      }
      return { findings, ruleErrors };
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Appends one rule's findings on one exchange to `out`; sighting rules get their subject as the
 * report's sighting. Written without intermediate arrays: it runs rules × exchanges times.
 */
function collectFindings(rule: SightingRule | ExchangeRule, decoded: DecodedExchange, ctx: RuleContext, config: ResolvedConfig, out: Finding[]): void {
  if (rule.scope === 'exchange') {
    for (const report of rule.check(decoded, ctx)) out.push(toFinding(rule, report, report.sighting, decoded, ctx, config));
    return;
  }
  for (const sighting of decoded.credentials) {
    const reports = rule.check(sighting, ctx);
    for (const report of reports) out.push(toFinding(rule, report, report.sighting ?? sighting, decoded, ctx, config));
  }
}

function toFinding(
  rule: Rule,
  report: RuleReport,
  sighting: CredentialSighting | undefined,
  decoded: DecodedExchange,
  ctx: RuleContext,
  config: ResolvedConfig,
): Finding {
  const finding = findingOf(rule, report, config, sighting?.direction === 'request' ? ctx.serverAnswer : undefined);
  return {
    ...finding,
    message: maskCredentialsIn(finding.message, decoded.credentials),
    data: maskDataIn(finding.data, decoded.credentials),
    exchange: decoded.exchange,
    ...(sighting ? { sighting, fingerprint: sighting.value.fingerprint } : {}),
  };
}

/** The finding of a report, without its place; `answer` is the server's answer to the credential, when it matters. */
function findingOf(rule: Rule, report: RuleReport, config: ResolvedConfig, answer: ServerAnswer | undefined): Finding {
  const template = (rule.messages as Readonly<Record<string, string>>)[report.messageId];
  if (template === undefined) throw new Error(`reported unknown message id "${report.messageId}"`);
  const evidence = rule.serverEvidence;
  const weighed = evidence !== undefined && answer !== undefined && !(evidence.except as readonly string[] | undefined)?.includes(report.messageId);
  let severity = severityOf(rule, report.messageId, config);
  let message = renderMessage(template, report.data);
  let data = report.data;
  if (weighed && answer.verdict === 'accepted') {
    if (config.rules[rule.id] === undefined && severityRank[evidence.accepted] < severityRank[severity]) severity = evidence.accepted;
    message += `; the server accepted it (${describeAnswer(answer)}), so this is information, not a failure`;
    data = { ...data, answer: describeAnswer(answer) };
  } else if (weighed && answer.verdict === 'rejected') {
    // Only a Bearer error says the server read the token and refused it; a bare 401 may come from a device in front.
    message += answer.error === undefined
      ? `; the server answered ${describeAnswer(answer)}`
      : `; the server rejected it (${describeAnswer(answer)}), and this is a likely cause`;
    data = { ...data, answer: describeAnswer(answer) };
  }
  return {
    ruleId: rule.id,
    severity,
    message,
    messageId: report.messageId,
    data,
    fix: fixOf(rule.id, report.messageId),
    docs: rule.docs,
  };
}

function severityOf(rule: Rule, messageId: string, config: ResolvedConfig): Severity {
  const setting = config.rules[rule.id];
  if (setting !== undefined && setting !== 'off') return setting;
  return (rule.messageSeverity as Readonly<Record<string, Severity>> | undefined)?.[messageId] ?? rule.severity;
}
