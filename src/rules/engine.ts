// The rule engine: runs the enabled rules over each decoded exchange and turns reports into findings.
import type { CredentialSighting, DecodedExchange, Finding, RuleError, Severity } from '../model/index.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { renderMessage, type Rule, type RuleContext, type RuleReport } from './define-rule.js';
import { ruleList } from './registry.js';
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
}

const noSignatures: ReadonlyMap<string, VerificationResult> = new Map();

/** `rules` defaults to the whole registry; tests pass their own. */
export function createRuleEngine(config: ResolvedConfig, rules: readonly Rule[] = ruleList): RuleEngine {
  const active = rules.filter((rule) => config.rules[rule.id] !== 'off');
  const servers = createServerContextTracker();

  return {
    rules: active,
    run(decoded, signatures = noSignatures) {
      const ctx: RuleContext = {
        captureTime: decoded.exchange.request.time,
        config,
        decoded,
        serverContext: servers.observe(decoded),
        signatures,
      };
      const findings: Finding[] = [];
      const ruleErrors: RuleError[] = [];
      for (const rule of active) {
        const before = findings.length;
        try {
          collectFindings(rule, decoded, ctx, config, findings);
        } catch (err) {
          findings.length = before;
          ruleErrors.push({
            ruleId: rule.id,
            message: err instanceof Error ? err.message : String(err),
            exchange: decoded.exchange,
          });
        }
      }
      return { findings, ruleErrors };
    },
  };
}

/**
 * Appends one rule's findings on one exchange to `out`; sighting rules get their subject as the
 * report's sighting. Written without intermediate arrays: it runs rules × exchanges times.
 */
function collectFindings(rule: Rule, decoded: DecodedExchange, ctx: RuleContext, config: ResolvedConfig, out: Finding[]): void {
  if (rule.scope === 'exchange') {
    for (const report of rule.check(decoded, ctx)) out.push(toFinding(rule, report, report.sighting, decoded, config));
    return;
  }
  for (const sighting of decoded.credentials) {
    const reports = rule.check(sighting, ctx);
    for (const report of reports) out.push(toFinding(rule, report, report.sighting ?? sighting, decoded, config));
  }
}

function toFinding(
  rule: Rule,
  report: RuleReport,
  sighting: CredentialSighting | undefined,
  decoded: DecodedExchange,
  config: ResolvedConfig,
): Finding {
  const template = (rule.messages as Readonly<Record<string, string>>)[report.messageId];
  if (template === undefined) throw new Error(`reported unknown message id "${report.messageId}"`);
  return {
    ruleId: rule.id,
    severity: severityOf(rule, report.messageId, config),
    message: renderMessage(template, report.data),
    messageId: report.messageId,
    data: report.data,
    exchange: decoded.exchange,
    ...(sighting ? { sighting, fingerprint: sighting.value.fingerprint } : {}),
  };
}

function severityOf(rule: Rule, messageId: string, config: ResolvedConfig): Severity {
  const setting = config.rules[rule.id];
  if (setting !== undefined && setting !== 'off') return setting;
  return (rule.messageSeverity as Readonly<Record<string, Severity>> | undefined)?.[messageId] ?? rule.severity;
}
