// The rule engine: runs the enabled rules over each decoded exchange (and each anomaly) and turns reports into findings.
import type { Anomaly, CredentialSighting, DecodedExchange, Finding, RuleError, Severity, UnkeptFinding } from '../model/index.js';
import { exchangePlaceOf, severityRank } from '../model/index.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import {
  checkMessageData,
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
  /** Findings beyond the room `run` was given, only counted (present when `room` was given). */
  readonly unkept?: UnkeptFinding[];
}

/**
 * How many more findings of a rule the caller keeps; beyond that `run` only counts them (rule,
 * severity, message id), skipping their message, masking and place. The same checks run, so a rule
 * that would fail still becomes a rule error.
 */
export type FindingRoom = (ruleId: string) => number;

export interface RuleEngine {
  /** The rules that run (not switched off), sorted by id. */
  readonly rules: readonly Rule[];
  /**
   * Judges one exchange. Call in capture order: rules with state (issuer-not-trusted remembers the
   * challenges each host announced) read earlier exchanges. `signatures` comes from verifySignatures.
   */
  run(decoded: DecodedExchange, signatures?: ReadonlyMap<string, VerificationResult>, room?: FindingRoom): RuleRunResult;
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
    run(decoded, signatures = noSignatures, room) {
      const about = exchangeReference(decoded);
      const captureTime = decoded.exchange.request.time;
      const answer = serverAnswer(decoded);
      const trustStore = config.trustStore;
      const findings: Finding[] = [];
      const ruleErrors: RuleError[] = [];
      const unkept: UnkeptFinding[] | undefined = room ? [] : undefined;
      for (const { rule, options: ruleOptions, state } of exchangeRules) {
        const before = findings.length;
        const unkeptBefore = unkept?.length ?? 0;
        // A literal of one shape for every rule (a spread here cost a tenth of a scan).
        const ctx: RuleContext<unknown, unknown> = { captureTime, clockLabel, serverAnswer: answer, decoded, signatures, trustStore, options: ruleOptions, state };
        const collect: Collect = { rule, decoded, about, ctx, config, out: findings, room: room ? room(rule.id) : Infinity, unkept };
        try {
          collectFindings(collect);
        } catch (err) {
          findings.length = before;
          if (unkept) unkept.length = unkeptBefore;
          ruleErrors.push({ ruleId: rule.id, message: maskCredentialsIn(errorText(err), decoded.credentials), ...about() });
        }
      }
      return unkept ? { findings, ruleErrors, unkept } : { findings, ruleErrors };
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

/** One rule on one exchange: what it reads, and where its findings go (`room` of them built, the rest to `unkept`). */
interface Collect {
  readonly rule: SightingRule | ExchangeRule;
  readonly decoded: DecodedExchange;
  readonly about: () => ExchangeReference;
  readonly ctx: RuleContext<unknown, unknown>;
  readonly config: ResolvedConfig;
  readonly out: Finding[];
  room: number;
  readonly unkept: UnkeptFinding[] | undefined;
}

/**
 * Appends one rule's findings on one exchange to `out`; sighting rules get their subject as the
 * report's sighting. Written without intermediate arrays: it runs rules × exchanges times.
 */
function collectFindings(c: Collect): void {
  const { rule, decoded, ctx } = c;
  if (rule.scope === 'exchange') {
    for (const report of rule.check(decoded, ctx)) place(c, report, report.sighting);
    return;
  }
  for (const sighting of decoded.credentials) {
    const reports = rule.check(sighting, ctx);
    for (const report of reports) place(c, report, report.sighting ?? sighting);
  }
}

/** Builds the report's finding while there is room for it, else only counts it. */
function place(c: Collect, report: RuleReport, sighting: CredentialSighting | undefined): void {
  const answer = sighting?.direction === 'request' ? c.ctx.serverAnswer : undefined;
  if (c.room > 0 || !c.unkept) {
    c.room--;
    c.out.push(toFinding(c.rule, report, sighting, c.decoded, c.about, c.config, answer));
    return;
  }
  const template = templateOf(c.rule, report);
  checkMessageData(template, report.data);
  c.unkept.push({ ruleId: c.rule.id, severity: weighedSeverity(c.rule, report.messageId, c.config, answer), messageId: report.messageId });
}

function toFinding(
  rule: Rule,
  report: RuleReport,
  sighting: CredentialSighting | undefined,
  decoded: DecodedExchange,
  about: () => ExchangeReference,
  config: ResolvedConfig,
  answer: ServerAnswer | undefined,
): Finding {
  const finding = findingOf(rule, report, config, answer);
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
  const template = templateOf(rule, report);
  const weighed = isWeighed(rule, report.messageId, answer);
  const severity = weighedSeverity(rule, report.messageId, config, answer);
  let message = renderMessage(template, report.data);
  let data = report.data;
  if (weighed && answer.verdict === 'accepted') {
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

function templateOf(rule: Rule, report: RuleReport): string {
  const template = (rule.messages as Readonly<Record<string, string>>)[report.messageId];
  if (template === undefined) throw new Error(`reported unknown message id "${report.messageId}"`);
  return template;
}

/** Whether the server's answer weighs on this message of the rule. */
function isWeighed(rule: Rule, messageId: string, answer: ServerAnswer | undefined): answer is ServerAnswer {
  const evidence = rule.serverEvidence;
  return evidence !== undefined && answer !== undefined && !(evidence.except as readonly string[] | undefined)?.includes(messageId);
}

/** The finding's severity: the configured or rule's, lowered when the server accepted the credential. */
function weighedSeverity(rule: Rule, messageId: string, config: ResolvedConfig, answer: ServerAnswer | undefined): Severity {
  const severity = severityOf(rule, messageId, config);
  const accepted = rule.serverEvidence?.accepted;
  if (accepted !== undefined && isWeighed(rule, messageId, answer) && answer.verdict === 'accepted' && config.rules[rule.id] === undefined && severityRank[accepted] < severityRank[severity]) return accepted;
  return severity;
}

function severityOf(rule: Rule, messageId: string, config: ResolvedConfig): Severity {
  const setting = config.rules[rule.id];
  if (setting !== undefined && setting !== 'off') return setting;
  return (rule.messageSeverity as Readonly<Record<string, Severity>> | undefined)?.[messageId] ?? rule.severity;
}
