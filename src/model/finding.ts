// Finding: a rule's judgement on an exchange or credential, and the result of a whole scan.
import type { Anomaly } from './anomaly.js';
import type { CredentialSighting, DecodedExchange } from './credential.js';
import type { ExchangeId, ExchangePlace } from './exchange-place.js';

export type Severity = 'error' | 'warning' | 'note';

export const severityRank: Readonly<Record<Severity, number>> = { error: 3, warning: 2, note: 1 };

/** Where a finding about the capture itself (not one exchange) points: a file, a frame, a stream. */
export interface CaptureWhere {
  readonly file?: string;
  readonly frame?: number;
  readonly stream?: number;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** The rendered message template (credential values already masked). */
  readonly message: string;
  /** Template id within the rule, and the data it was rendered with. */
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  /**
   * The exchange judged, by id, and its place (shared by every finding on it). Both are present,
   * or both absent: only findings about what could not be read (a TLS stream without keys, frames
   * cut by the snapshot length) lack them, and those carry `where` instead.
   */
  readonly exchangeId?: ExchangeId;
  readonly place?: ExchangePlace;
  readonly where?: CaptureWhere;
  readonly sighting?: CredentialSighting;
  /** Fingerprint of the credential, when the finding is about one. */
  readonly fingerprint?: string;
  /** One line saying what to do, in the admin's terms (from the rule page's "How to fix"). */
  readonly fix: string;
  /** The rule's page, relative to the package root: `docs/rules/<id>.md`. */
  readonly docs: string;
}

/** A rule that threw: reported, never fatal. Its message is masked before anything sees it. */
export interface RuleError {
  readonly ruleId: string;
  readonly message: string;
  /** As a finding's: the exchange the rule failed on and its place, or `where` for an anomaly rule. */
  readonly exchangeId?: ExchangeId;
  readonly place?: ExchangePlace;
  readonly where?: CaptureWhere;
}

/** Exact counts over the whole scan, when the lists in a ScanResult were cut to a limit. */
export interface ScanTotals {
  readonly exchanges: number;
  readonly credentials: number;
  readonly findings: Readonly<Record<Severity, number>>;
}

/** Credentials of one scheme and one principal (issuer or user), counted over the whole scan. */
export interface CredentialGroup {
  readonly scheme: CredentialSighting['scheme'];
  /** The scheme in one spelling (`Bearer`, `Basic`, `NTLM`, `Negotiate`, `Digest`), whatever was sent. */
  readonly schemeName: string;
  /** Empty `Authorization: <scheme>` headers (discovery probes), not credentials: label is the header. */
  readonly probe?: boolean;
  /** Whom they speak for: a JWT's issuer, a Basic/NTLM/Digest user, else what they decoded to. */
  readonly label: string;
  readonly sightings: number;
  /** Distinct values (by fingerprint), counted up to a bound. */
  readonly distinct: number;
  /** One sighting per distinct value, the first few, for display. */
  readonly examples: readonly CredentialSighting[];
}

/** What the scan could judge, counted over the whole scan: what a verdict covers. */
export interface ScanCoverage {
  readonly exchangesJudged: number;
  /** Connections (TLS without keys, frames cut by the snapshot length, HTTP/2) whose requests could not be read. */
  readonly unreadableStreams: number;
  /** Signed tokens whose signature was not verified (no certificate given, or masked in a recording). */
  readonly unverifiedSignatures: number;
}

export interface ScanResult {
  readonly files: readonly string[];
  readonly coverage?: ScanCoverage;
  /** Anomalies per code, counted over the whole scan (the list below keeps at most 1,000 of each). */
  readonly anomalyCounts?: Readonly<Record<string, number>>;
  /** Present when the lists below hold fewer items than the scan saw (memory limits). */
  readonly totals?: ScanTotals;
  /** Every credential seen, grouped by scheme and principal (exact even when the lists are cut). */
  readonly credentialGroups?: readonly CredentialGroup[];
  readonly exchanges: readonly DecodedExchange[];
  readonly findings: readonly Finding[];
  /** Findings a baseline accepted (at most 1,000 kept); absent without a baseline. */
  readonly suppressed?: readonly Finding[];
  readonly ruleErrors: readonly RuleError[];
  readonly anomalies: readonly Anomaly[];
}
