// Anomaly: a named oddity in the input, recorded as data and never thrown (Zeek's "weird").

export type AnomalySeverity = 'warning' | 'info';

/**
 * Something in the input that the parser could not take as normal: a truncated record, an
 * unsupported link type, a TCP gap. Parsing carries on after an anomaly.
 */
export interface Anomaly {
  /** Stable kebab-case name, for example `truncated-record` or `tcp-gap`. */
  readonly code: string;
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

/** An anomaly about one TCP stream at one frame (the file named when there is one). */
export function streamAnomaly(
  code: string,
  severity: AnomalySeverity,
  message: string,
  where: { readonly file: string | undefined; readonly frame: number; readonly stream: number },
  details?: AnomalyDetails,
): Anomaly {
  return {
    code,
    severity,
    message,
    ...(where.file !== undefined && { file: where.file }),
    frame: where.frame,
    stream: where.stream,
    ...(details !== undefined && { details }),
  };
}
