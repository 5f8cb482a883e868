// defineRule: a rule is data (id, severity, messages, docs) plus a pure check function.
import type {
  Anomaly,
  AuthChallenge,
  CredentialSighting,
  DecodedExchange,
  Severity,
  Timestamp,
} from '../model/index.js';
import type { ServerAnswer } from './s2s/server-answer.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { VerificationResult } from './signature/verification-result.js';

/** What one server (by host) announced in 401 challenges so far in the capture. */
export interface ServerContext {
  /** Request host, lower-case, without port. */
  readonly host: string;
  /** Bearer challenges this host sent earlier, and in this exchange's own response. */
  readonly bearerChallenges: readonly AuthChallenge[];
  /** The union of their `trusted_issuers`, in first-seen order. */
  readonly trustedIssuers: readonly string[];
}

/** Everything a check may look at besides its subject. Checks must not do I/O or read the clock. */
export interface RuleContext {
  /** When the request was captured: the clock that expiry rules use. */
  readonly captureTime: Timestamp;
  /** What that clock is called in messages: `the capture time` for captures, `now` for live traffic and `decode`. */
  readonly clockLabel: string;
  /** What the server answered to this exchange's request (accepted, rejected, …). */
  readonly serverAnswer: ServerAnswer;
  readonly config: ResolvedConfig;
  /** The exchange being judged: its credentials, and the challenges of its own response. */
  readonly decoded: DecodedExchange;
  readonly serverContext: ServerContext;
  /** Signature verification results by sighting id (absent: not verified, e.g. no trust store). */
  readonly signatures: ReadonlyMap<string, VerificationResult>;
}

export type ReportData = Readonly<Record<string, string | number>>;

export interface RuleReport<MessageId extends string = string> {
  readonly messageId: MessageId;
  readonly data: ReportData;
  /** The credential the report is about (sighting rules get their subject filled in by the engine). */
  readonly sighting?: CredentialSighting;
}

interface RuleMeta<MessageId extends string> {
  /** Stable kebab-case id, never reused. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  readonly messages: Readonly<Record<MessageId, string>>;
  /**
   * A lower default severity for some messages (e.g. a tolerated variant). A severity set in the
   * configuration replaces both this and the rule's severity.
   */
  readonly messageSeverity?: Readonly<Partial<Record<MessageId, Severity>>>;
  /** `docs/rules/<id>.md`. */
  readonly docs: string;
  /**
   * For rules that judge a token the server itself validates: the severity of a finding on a
   * request whose credential the server accepted (2xx, or 304), where the server's answer outweighs
   * the rule, except for the listed messages. The message then says the server accepted it; on a
   * 401 with a Bearer error it says the server rejected it and that the finding is a likely cause.
   */
  readonly serverEvidence?: {
    readonly accepted: Severity;
    readonly except?: readonly MessageId[];
  };
}

export interface SightingRule<MessageId extends string = string> extends RuleMeta<MessageId> {
  readonly scope: 'sighting';
  check(sighting: CredentialSighting, ctx: RuleContext): ReadonlyArray<RuleReport<MessageId>>;
}

export interface ExchangeRule<MessageId extends string = string> extends RuleMeta<MessageId> {
  readonly scope: 'exchange';
  check(decoded: DecodedExchange, ctx: RuleContext): ReadonlyArray<RuleReport<MessageId>>;
}

/** What an anomaly rule may look at: the configuration only. */
export interface AnomalyContext {
  readonly config: ResolvedConfig;
}

/** A rule about what could not be read: it judges the anomalies the sources raise, not exchanges. */
export interface AnomalyRule<MessageId extends string = string> extends RuleMeta<MessageId> {
  readonly scope: 'anomaly';
  check(anomaly: Anomaly, ctx: AnomalyContext): ReadonlyArray<RuleReport<MessageId>>;
}

export type Rule = SightingRule | ExchangeRule | AnomalyRule;

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Checks the rule's metadata (TypeError on misuse) and returns it frozen. */
export function defineRule<M extends string>(rule: SightingRule<M>): SightingRule<M>;
export function defineRule<M extends string>(rule: ExchangeRule<M>): ExchangeRule<M>;
export function defineRule<M extends string>(rule: AnomalyRule<M>): AnomalyRule<M>;
export function defineRule<M extends string>(
  rule: SightingRule<M> | ExchangeRule<M> | AnomalyRule<M>,
): SightingRule<M> | ExchangeRule<M> | AnomalyRule<M> {
  if (!RULE_ID.test(rule.id)) throw new TypeError(`rule id "${rule.id}" is not kebab-case`);
  if (rule.docs !== `docs/rules/${rule.id}.md`) {
    throw new TypeError(`rule ${rule.id}: docs must be "docs/rules/${rule.id}.md", not "${rule.docs}"`);
  }
  const messageIds = Object.keys(rule.messages);
  if (messageIds.length === 0) throw new TypeError(`rule ${rule.id} has no messages`);
  for (const id of Object.keys(rule.messageSeverity ?? {})) {
    if (!messageIds.includes(id)) throw new TypeError(`rule ${rule.id}: messageSeverity names unknown message "${id}"`);
  }
  for (const id of rule.serverEvidence?.except ?? []) {
    if (!messageIds.includes(id)) throw new TypeError(`rule ${rule.id}: serverEvidence names unknown message "${id}"`);
  }
  return Object.freeze({ ...rule });
}

/** A template split once into text and placeholder names: odd indexes are names. */
const compiledTemplates = new Map<string, readonly string[]>();

function compiled(template: string): readonly string[] {
  let parts = compiledTemplates.get(template);
  if (parts === undefined) {
    // split with a capture group keeps the names at the odd indexes.
    parts = template.split(PLACEHOLDER);
    compiledTemplates.set(template, parts);
  }
  return parts;
}

/** Fills `{{name}}` placeholders; a placeholder without data is a bug in the rule, so it throws. */
export function renderMessage(template: string, data: ReportData): string {
  const parts = compiled(template);
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = data[name];
    if (value === undefined) throw new Error(`message data lacks "${name}"`);
    text += String(value) + (parts[i + 1] ?? '');
  }
  return text;
}
