// The rule engine: runs the enabled rules over each decoded exchange (and each anomaly) and turns reports into findings.
import type { Anomaly, CredentialSighting, DecodedExchange, Finding, RuleError, Severity } from '../model/index.js';
import { exchangePlaceOf, severityRank } from '../model/index.js';
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
import type { VerificationResult } from './signature/verification-result.js';

export interface RuleRunResult {
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
}

export interface RuleEngine {
  /** The rules that run (not switched off), sorted by id. */
  readonly rules: readonly Rule[];
  /**
   * Judges one exchange. Call in capture order: rules with state (issuer-not-trusted remembers the
   * challenges each host announced) read earlier exchanges. `signatures` comes from verifySignatures.
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

/** A rule with what it receives besides its subject: its options, and its state in this scan. */
interface Running<R extends Rule> {
  readonly rule: R;
  readonly options: unknown;
  readonly state: unknown;
}

/** The rule's options: its defaults, overridden by what the configuration sets for it. */
function optionsOf(rule: Rule, config: ResolvedConfig): unknown {
  const set = config.ruleOptions[rule.id];
  if (rule.options === undefined) return {};
  return set === undefined ? rule.options.defaults : { ...rule.options.defaults, ...set };
}

/** `rules` defaults to the whole registry; tests pass their own. One engine judges one scan. */
export function createRuleEngine(config: ResolvedConfig, rules: readonly Rule[] = ruleList, options: RuleEngineOptions = {}): RuleEngine {
  const active = rules.filter((rule) => config.rules[rule.id] !== 'off');
  const running = active.map((rule) => ({
    rule,
    options: optionsOf(rule, config),
    state: rule.scope === 'anomaly' ? undefined : rule.createState?.(),
  }));
  const exchangeRules = running.filter((r): r is Running<SightingRule | ExchangeRule> => r.rule.scope !== 'anomaly');
  const anomalyRules = running.filter((r): r is Running<AnomalyRule> => r.rule.scope === 'anomaly');
  const clockLabel = options.clockLabel ?? 'the capture time';

  return {
    rules: active,
    run(decoded, signatures = noSignatures) {
      const about = exchangeReference(decoded);
      const captureTime = decoded.exchange.request.time;
      const answer = serverAnswer(decoded);
      const trustStore = config.trustStore;
      const findings: Finding[] = [];
      const ruleErrors: RuleError[] = [];
      for (const { rule, options: ruleOptions, state } of exchangeRules) {
        const before = findings.length;
        // A literal of one shape for every rule (a spread here cost a tenth of a scan).
        const ctx: RuleContext<unknown, unknown> = { captureTime, clockLabel, serverAnswer: answer, decoded, signatures, trustStore, options: ruleOptions, state };
        try {
          collectFindings(rule, decoded, about, ctx, config, findings);
        } catch (err) {
          findings.length = before;
          ruleErrors.push({ ruleId: rule.id, message: maskCredentialsIn(errorText(err), decoded.credentials), ...about() });
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
      for (const { rule, options: ruleOptions } of anomalyRules) {
        try {
          for (const report of rule.check(anomaly, { options: ruleOptions })) {
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

/** What a finding or rule error on an exchange carries of it: its id and its place. */
type ExchangeReference = Required<Pick<Finding, 'exchangeId' | 'place'>>;

/** The exchange's reference, its place taken on first use and then shared by every finding on it. */
function exchangeReference(decoded: DecodedExchange): () => ExchangeReference {
  let reference: ExchangeReference | undefined;
  return () => (reference ??= { exchangeId: decoded.exchangeId, place: exchangePlaceOf(decoded.exchange) });
}

/**
 * Appends one rule's findings on one exchange to `out`; sighting rules get their subject as the
 * report's sighting. Written without intermediate arrays: it runs rules × exchanges times.
 */
function collectFindings(
  rule: SightingRule | ExchangeRule,
  decoded: DecodedExchange,
  about: () => ExchangeReference,
  ctx: RuleContext<unknown, unknown>,
  config: ResolvedConfig,
  out: Finding[],
): void {
  if (rule.scope === 'exchange') {
    for (const report of rule.check(decoded, ctx)) out.push(toFinding(rule, report, report.sighting, decoded, about, ctx, config));
    return;
  }
  for (const sighting of decoded.credentials) {
    const reports = rule.check(sighting, ctx);
    for (const report of reports) out.push(toFinding(rule, report, report.sighting ?? sighting, decoded, about, ctx, config));
  }
}

function toFinding(
  rule: Rule,
  report: RuleReport,
  sighting: CredentialSighting | undefined,
  decoded: DecodedExchange,
  about: () => ExchangeReference,
  ctx: RuleContext<unknown, unknown>,
  config: ResolvedConfig,
): Finding {
  const finding = findingOf(rule, report, config, sighting?.direction === 'request' ? ctx.serverAnswer : undefined);
  // Literals rather than a spread of `finding` (the spread's slow path showed in scan profiles); same keys, same order.
  const { ruleId, severity, messageId, fix, docs } = finding;
  const message = maskCredentialsIn(finding.message, decoded.credentials);
  const data = maskDataIn(finding.data, decoded.credentials);
  const { exchangeId, place } = about();
  return sighting
    ? { ruleId, severity, message, messageId, data, fix, docs, exchangeId, place, sighting, fingerprint: sighting.value.fingerprint }
    : { ruleId, severity, message, messageId, data, fix, docs, exchangeId, place };
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
