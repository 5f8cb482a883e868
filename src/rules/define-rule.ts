// defineRule: a rule is data (id, severity, messages, docs) plus a pure check function.
import type {
  Anomaly,
  CredentialSighting,
  DecodedExchange,
  Severity,
  Timestamp,
} from '../model/index.js';
import type { ServerAnswer } from './s2s/server-answer.js';
import type { TrustStore } from '../config/trust-store.js';
import type { VerificationResult } from './signature/verification-result.js';

/** A JSON schema (draft-07) of one option value, as ajv reads it. */
export type OptionSchema = Readonly<Record<string, unknown>>;

/** The options of a rule without any. */
export type NoOptions = Readonly<Record<string, never>>;

/**
 * What a rule may be configured with (ESLint's `meta.schema`): an object schema of its options
 * and their defaults. A user sets them under the rule (`rules: { <id>: { <option>: … } }`);
 * config/ validates them against this schema, so the check receives them typed and complete.
 */
export interface RuleOptionsSpec<Options> {
  readonly schema: {
    readonly type: 'object';
    readonly properties: { readonly [Name in keyof Options]: OptionSchema };
    readonly additionalProperties: false;
  };
  readonly defaults: Options;
}

/** Everything a check may look at besides its subject. Checks must not do I/O or read the clock. */
export interface RuleContext<Options = NoOptions, State = undefined> {
  /** When the request was captured: the clock that expiry rules use. */
  readonly captureTime: Timestamp;
  /** What that clock is called in messages: `the capture time` for captures, `now` for live traffic and `decode`. */
  readonly clockLabel: string;
  /** What the server answered to this exchange's request (accepted, rejected, …). */
  readonly serverAnswer: ServerAnswer;
  /**
   * The exchange being judged (`decoded.exchange`, bodies included), its credentials and the
   * challenges of its own response. A sighting refers to its exchange by id only: a sighting
   * rule reads the exchange here.
   */
  readonly decoded: DecodedExchange;
  /** Signature verification results by sighting id (absent: not verified, e.g. no trust store). */
  readonly signatures: ReadonlyMap<string, VerificationResult>;
  /** The certificates signatures were verified with (empty: none given). */
  readonly trustStore: TrustStore;
  /** This rule's options: its defaults, overridden by the configuration. */
  readonly options: Options;
  /** This rule's state in this scan (from `createState`), for rules that remember earlier exchanges. */
  readonly state: State;
}

export type ReportData = Readonly<Record<string, string | number>>;

export interface RuleReport<MessageId extends string = string> {
  readonly messageId: MessageId;
  readonly data: ReportData;
  /** The credential the report is about (sighting rules get their subject filled in by the engine). */
  readonly sighting?: CredentialSighting;
}

interface RuleMeta<MessageId extends string, Options> {
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
  /**
   * `token`: the rule judges a token on its own, without transport or earlier exchanges, so
   * `decode` runs it on a single token. Absent: it needs the traffic around the token.
   */
  readonly subject?: 'token';
  /** The options the rule takes (absent: none); its check receives them as `ctx.options`. */
  readonly options?: RuleOptionsSpec<Options>;
}

/** Rules that remember earlier exchanges of a scan declare `createState`; the engine keeps one state per rule per scan. */
interface StatefulRule<State> {
  /** A fresh state for a scan; the check receives it as `ctx.state`. It must bound its own memory. */
  readonly createState?: () => State;
}

// `any` defaults: a registry holds rules of every option and state type.
export interface SightingRule<MessageId extends string = string, Options = any, State = any>
  extends RuleMeta<MessageId, Options>, StatefulRule<State> {
  readonly scope: 'sighting';
  check(sighting: CredentialSighting, ctx: RuleContext<Options, State>): ReadonlyArray<RuleReport<MessageId>>;
}

export interface ExchangeRule<MessageId extends string = string, Options = any, State = any>
  extends RuleMeta<MessageId, Options>, StatefulRule<State> {
  readonly scope: 'exchange';
  check(decoded: DecodedExchange, ctx: RuleContext<Options, State>): ReadonlyArray<RuleReport<MessageId>>;
}

/** What an anomaly rule may look at: its options only. */
export interface AnomalyContext<Options = NoOptions> {
  readonly options: Options;
}

/** A rule about what could not be read: it judges the anomalies the sources raise, not exchanges. */
export interface AnomalyRule<MessageId extends string = string, Options = any> extends RuleMeta<MessageId, Options> {
  readonly scope: 'anomaly';
  check(anomaly: Anomaly, ctx: AnomalyContext<Options>): ReadonlyArray<RuleReport<MessageId>>;
}

export type Rule = SightingRule | ExchangeRule | AnomalyRule;

/** The key of a rule's entry that holds its severity; no option may be called so. */
export const SEVERITY_KEY = 'severity';

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Checks the rule's metadata (TypeError on misuse) and returns it frozen. */
export function defineRule<M extends string, O = NoOptions, S = undefined>(rule: SightingRule<M, O, S>): SightingRule<M, O, S>;
export function defineRule<M extends string, O = NoOptions, S = undefined>(rule: ExchangeRule<M, O, S>): ExchangeRule<M, O, S>;
export function defineRule<M extends string, O = NoOptions>(rule: AnomalyRule<M, O>): AnomalyRule<M, O>;
export function defineRule<M extends string, O, S>(
  rule: SightingRule<M, O, S> | ExchangeRule<M, O, S> | AnomalyRule<M, O>,
): SightingRule<M, O, S> | ExchangeRule<M, O, S> | AnomalyRule<M, O> {
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
  if (rule.options) checkOptions(rule.id, rule.options);
  return Object.freeze({ ...rule });
}

function checkOptions(id: string, spec: RuleOptionsSpec<unknown>): void {
  const names = Object.keys(spec.schema.properties);
  if (names.includes(SEVERITY_KEY)) throw new TypeError(`rule ${id}: an option may not be called "${SEVERITY_KEY}"`);
  const defaults = Object.keys(spec.defaults as object);
  const undeclared = defaults.filter((name) => !names.includes(name));
  const missing = names.filter((name) => !defaults.includes(name));
  if (undeclared.length > 0) throw new TypeError(`rule ${id}: defaults for undeclared options ${undeclared.join(', ')}`);
  if (missing.length > 0) throw new TypeError(`rule ${id}: no default for options ${missing.join(', ')}`);
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

/** Throws where renderMessage would, without building the text (for a finding that is only counted). */
export function checkMessageData(template: string, data: ReportData): void {
  const parts = compiled(template);
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    if (data[name] === undefined) throw new Error(`message data lacks "${name}"`);
  }
}
