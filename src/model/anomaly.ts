// Anomaly: a named oddity in the input, recorded as data and never thrown (Zeek's "weird").
// Every code is listed here and explained in docs/anomalies.md; `anomaly()` is the one builder.

export type AnomalySeverity = 'warning' | 'info';

/** Every anomaly code, by the stage that reports it; docs/anomalies.md has one entry per code. */
export const ANOMALY_CODES = [
  // sources/: pcap, pcapng and gzip capture files
  'truncated-header',
  'truncated-record',
  'truncated-gzip',
  'gzip-bad-trailer',
  'bad-record',
  'bad-block',
  'bad-secrets-block',
  'bad-timestamp',
  'caplen-over-snaplen',
  'unknown-interface',
  'unsupported-version',
  // sources/: HAR files
  'har-bad-entry',
  'har-bad-time',
  'har-bad-header',
  'har-bad-body',
  'har-bad-base64',
  'har-unknown-encoding',
  'har-no-response',
  // sources/: Fiddler session archives (.saz)
  'saz-truncated',
  'saz-damaged-entry',
  'saz-entry-too-large',
  'saz-limit-reached',
  'saz-missing-request',
  'saz-not-http',
  'saz-bad-metadata',
  'saz-no-response',
  'saz-tunnel-not-decrypted',
  // reassembly/: frames -> IP -> TCP streams
  'unsupported-linktype',
  'truncated-link-header',
  'ip-bad-header',
  'ip-fragment-bad',
  'ip-fragment-incomplete',
  'tcp-bad-header',
  'tcp-gap',
  'tcp-evicted',
  'snaplen-cut',
  // tls/: key log and decryption
  'keylog-unreadable',
  'keylog-bad-line',
  'tls-no-key',
  'tls-no-handshake',
  'tls-cipher-unsupported',
  'tls-decrypt-failed',
  'tls-malformed-record',
  'tls-malformed-handshake',
  'tls-gap',
  // http1/: HTTP/1.x messages
  'http-long-start-line',
  'http-bad-header-line',
  'http-header-too-large',
  'http-incomplete',
  'http-gap',
  'http-body-gap',
  'http-content-decoding',
  'http-te-with-content-length',
  'http-bad-transfer-encoding',
  'http-bad-content-length',
  'http-conflicting-content-length',
  'http-response-without-request',
  'http-late-response',
  // http2/: HTTP/2 connections
  'http2-not-decoded',
  'http2-malformed-frame',
  'http2-compression-error',
  'http2-gap',
  'http2-malformed-headers',
  'http2-header-list-too-large',
  'http2-too-many-streams',
  // proxy/: the live proxy
  'upstream-failed',
  'upstream-timeout',
  'client-aborted',
  'client-closed',
  'proxy-stopped',
] as const;

/** A stable kebab-case name of an oddity, for example `truncated-record` or `tcp-gap`. */
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

/**
 * Something in the input that the parser could not take as normal: a truncated record, an
 * unsupported link type, a TCP gap. Parsing carries on after an anomaly.
 */
export interface Anomaly {
  readonly code: AnomalyCode;
  readonly severity: AnomalySeverity;
  /** One line, for people: says where and what. */
  readonly message: string;
  readonly file?: string;
  readonly frame?: number;
  readonly stream?: number;
  /** Byte offset in the (decompressed) capture file, when the anomaly is about the file. */
  readonly offset?: number;
  /**
   * Facts behind the message, for rules to read without parsing it; the keys are fixed per code
   * (for example `snaplen-cut`: `snapLength`, `cutFrames`; `tls-no-key`: `server`, `sni`, `clientRandom`).
   */
  readonly details?: AnomalyDetails;
}

export type AnomalyDetails = Readonly<Record<string, string | number>>;

export type AnomalySink = (anomaly: Anomaly) => void;

/** What an emitter knows: the place fields may be undefined and are then left out. */
export interface AnomalyInit {
  readonly code: AnomalyCode;
  readonly severity: AnomalySeverity;
  readonly message: string;
  readonly file?: string | undefined;
  readonly frame?: number | undefined;
  readonly stream?: number | undefined;
  readonly offset?: number | undefined;
  readonly details?: AnomalyDetails | undefined;
}

/** The one way to build an Anomaly: undefined place fields are omitted, never stored as undefined. */
export function anomaly(init: AnomalyInit): Anomaly {
  const { code, severity, message, file, frame, stream, offset, details } = init;
  return {
    code,
    severity,
    message,
    ...(file !== undefined && { file }),
    ...(frame !== undefined && { frame }),
    ...(stream !== undefined && { stream }),
    ...(offset !== undefined && { offset }),
    ...(details !== undefined && { details }),
  };
}
