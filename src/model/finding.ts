// Finding: a rule's judgement on an exchange or credential, and the result of a whole scan.
import type { Anomaly } from './anomaly.js';
import type { CredentialSighting, DecodedExchange } from './credential.js';
import type { HttpExchange } from './http.js';

export type Severity = 'error' | 'warning' | 'note';

export const severityRank: Readonly<Record<Severity, number>> = { error: 3, warning: 2, note: 1 };

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** The rendered message template. */
  readonly message: string;
  /** Template id within the rule, and the data it was rendered with. */
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly exchange: HttpExchange;
  readonly sighting?: CredentialSighting;
  /** Fingerprint of the credential, when the finding is about one. */
  readonly fingerprint?: string;
}

/** A rule that threw: reported, never fatal. */
export interface RuleError {
  readonly ruleId: string;
  readonly message: string;
  readonly exchange: HttpExchange;
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

export interface ScanResult {
  readonly files: readonly string[];
  /** Present when the lists below hold fewer items than the scan saw (memory limits). */
  readonly totals?: ScanTotals;
  /** Every credential seen, grouped by scheme and principal (exact even when the lists are cut). */
  readonly credentialGroups?: readonly CredentialGroup[];
  readonly exchanges: readonly DecodedExchange[];
  readonly findings: readonly Finding[];
  readonly ruleErrors: readonly RuleError[];
  readonly anomalies: readonly Anomaly[];
}
