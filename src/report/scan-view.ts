// Views of a ScanResult shared by the report formats: stable ids, where a finding is, masked values.
import { endpointToString, exchangePlaceOf, maskJwtsIn, severityRank } from '../model/index.js';
import type {
  CaptureWhere,
  CredentialSighting,
  DecodedExchange,
  Endpoint,
  ExchangePlace,
  FileSpan,
  Finding,
  HttpExchange,
  RuleError,
  ScanResult,
  Severity,
} from '../model/index.js';
import { maskUri, prefixLengthFor } from './mask.js';

/** What names an exchange in the reports: an HttpExchange, or the place a finding keeps of it. */
type ExchangeNaming = Pick<ExchangePlace, 'origin' | 'stream' | 'connection' | 'indexInStream' | 'entry' | 'session'>;

/** The capture file an exchange came from, or `(proxy)` / `(har)` when it has none. */
export function captureOf(ex: Pick<ExchangeNaming, 'origin'>): string {
  return ex.origin.file ?? `(${ex.origin.kind})`;
}

/**
 * The id reports give an exchange, the same in every run (unlike the model's ExchangeId, a number
 * within one scan): `<capture>#<stream>.<index in stream>`; `<har>#entry.<entry>` for HAR;
 * `<saz>#session.<SID>` for a Fiddler archive; `<capture>#<index>` for an exchange with none of
 * these (the stand-in of `decode`).
 */
export function stableExchangeId(ex: ExchangeNaming): string {
  if (ex.entry !== undefined) return `${captureOf(ex)}#entry.${ex.entry}`;
  if (ex.session !== undefined) return `${captureOf(ex)}#session.${ex.session}`;
  const stream = streamOf(ex);
  return stream === null ? `${captureOf(ex)}#${ex.indexInStream}` : `${captureOf(ex)}#${stream}.${ex.indexInStream}`;
}

/** The stream reports show: the tcp.stream, else the proxy's connection number; null for HAR and SAZ (see `entry`, `session`). */
export function streamOf(ex: Pick<ExchangeNaming, 'origin' | 'stream' | 'connection'>): number | null {
  return ex.stream ?? (ex.origin.kind === 'proxy' ? ex.connection : undefined) ?? null;
}

/** Ids of every credential sighting in the result (`<exchange id>/<n>`), by sighting identity. */
export function credentialIds(result: ScanResult): ReadonlyMap<CredentialSighting, string> {
  const ids = new Map<CredentialSighting, string>();
  for (const decoded of result.exchanges) {
    const base = stableExchangeId(decoded.exchange);
    decoded.credentials.forEach((sighting, index) => ids.set(sighting, `${base}/${index}`));
  }
  return ids;
}

/** Where something in an exchange is, in the terms Wireshark and a browser's address bar use. */
export interface Place {
  readonly file: string;
  /** Frame that completes the message; null without frames (HAR, the proxy). */
  readonly frame: number | null;
  /** tcp.stream (the proxy's connection number); null for HAR, which has none. */
  readonly stream: number | null;
  readonly indexInStream: number;
  /** The HTTP/2 stream id, on HTTP/2 connections. */
  readonly h2Stream?: number;
  /** Index in the HAR's log.entries; present exactly for HAR exchanges. */
  readonly entry?: number;
  /** Fiddler's session id (SID); present exactly for exchanges of a .saz archive. */
  readonly session?: number;
  readonly host: string;
  /** Request path without query or fragment (a query may carry a credential). */
  readonly path: string;
  /** The frame's record in the capture file (byte offset and length); absent without frames or for gzip. */
  readonly record?: FileSpan;
  /** HAR: the entry's line in the file, when known. */
  readonly line?: number;
}

/** Where the message `direction` names of an exchange is (the request when there is no response). */
export function placeOf(ex: HttpExchange, direction: 'request' | 'response' = 'request'): Place {
  return placeIn(exchangePlaceOf(ex), direction);
}

/** The report's view of an exchange's place, at the request or (when there is one) the response. */
function placeIn(place: ExchangePlace, direction: 'request' | 'response' = 'request'): Place {
  const message = direction === 'response' && place.response ? place.response : place.request;
  return {
    file: captureOf(place),
    frame: message.frame ?? null,
    stream: streamOf(place),
    indexInStream: place.indexInStream,
    ...(place.h2Stream !== undefined && { h2Stream: place.h2Stream }),
    ...(place.entry !== undefined && { entry: place.entry }),
    ...(place.session !== undefined && { session: place.session }),
    host: place.host,
    // A token in the path is a credential in a place's name: masked even with --show-secrets.
    path: maskJwtsIn(requestPath(place.request.uri)),
    ...(message.frameRecord !== undefined && { record: message.frameRecord }),
    ...(place.entryLine !== undefined && { line: place.entryLine }),
  };
}

/** A finding's place: the message its credential travelled in, else the request; for capture findings, their frame and stream. */
export function findingPlace(finding: Pick<Finding, 'place' | 'where' | 'sighting'>): Place {
  return finding.place ? placeIn(finding.place, finding.sighting?.direction) : placeOfWhere(finding.where ?? {});
}

/** Where a rule error happened: its exchange, or the capture place of the anomaly it judged. */
export function ruleErrorPlace(error: RuleError): Place {
  return error.place ? placeIn(error.place) : placeOfWhere(error.where ?? {});
}

/** The capture of a finding or rule error. */
export function captureOfFinding(finding: Pick<Finding, 'place' | 'where'>): string {
  return finding.place ? captureOf(finding.place) : (finding.where?.file ?? '(capture)');
}

/** The stable id of a finding's or rule error's exchange, or null for findings about the capture itself. */
export function stableExchangeIdOf(finding: Pick<Finding, 'place'>): string | null {
  return finding.place ? stableExchangeId(finding.place) : null;
}

/** The place of a capture-level finding: its file, frame and stream, no host or path. */
function placeOfWhere(where: CaptureWhere): Place {
  return { file: where.file ?? '(capture)', frame: where.frame ?? null, stream: where.stream ?? null, indexInStream: 0, host: '', path: '' };
}

/**
 * `frame 12, tcp.stream 3` for captures (as Wireshark filters them), `entry 4` for HAR (the index
 * in log.entries), `session 103` for a Fiddler archive (the SID, as Fiddler's # column shows it),
 * `stream 2, exchange 0` for the proxy.
 */
export function wiresharkWhere(place: Place): string {
  if (place.entry !== undefined) return `entry ${place.entry}`;
  if (place.session !== undefined) return `session ${place.session}`;
  if (place.frame === null && place.stream === null) return 'the capture';
  if (place.frame !== null && place.stream === null) return `frame ${place.frame}`;
  return place.frame !== null
    ? `frame ${place.frame}, tcp.stream ${place.stream}`
    : `stream ${place.stream}, exchange ${place.indexInStream}`;
}

/**
 * The Wireshark display filter that shows the place's frame, to paste in the filter bar:
 * `tcp.stream eq 3 && frame.number == 12` (with `&& http2.streamid == 5` on HTTP/2); null where there are no frames (HAR, the proxy).
 */
export function displayFilter(place: Place): string | null {
  if (place.entry !== undefined || place.frame === null || place.stream === null) return null;
  const h2 = place.h2Stream !== undefined ? ` && http2.streamid == ${place.h2Stream}` : '';
  return `tcp.stream eq ${place.stream} && frame.number == ${place.frame}${h2}`;
}

/** The place's numbers for machine-readable outputs: frame and stream (null when none), entry for HAR, session for SAZ. */
export function placeNumbers(place: Place): { frame: number | null; stream: number | null; entry?: number; session?: number } {
  return {
    frame: place.frame,
    stream: place.stream,
    ...(place.entry !== undefined && { entry: place.entry }),
    ...(place.session !== undefined && { session: place.session }),
  };
}

/** `ip:port`, or null when the source does not know the address (a HAR's client). */
export function endpointText(endpoint: Endpoint | undefined): string | null {
  return endpoint === undefined || endpoint.ip === '' ? null : endpointToString(endpoint);
}

/** The path of a request target: origin-form and absolute-form lose query and fragment. */
export function requestPath(uri: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(uri);
  const rest = absolute ? uri.slice(absolute[0].length) || '/' : uri;
  const end = rest.search(/[?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The request target with every credential-bearing query value masked (unless `show`). */
export function redactedUri(decoded: DecodedExchange, show: boolean): string {
  const queryNames = decoded.credentials.flatMap((c) => (c.location.type === 'query' ? [c.location.name] : []));
  return maskUri(decoded.exchange.request.uri, show, queryNames);
}

/**
 * The credential value for display: masked unless `show`. The prefix depends on the scheme, and
 * is never shown for a password-like value of no known scheme (a client_secret or password field).
 */
export function displayValue(sighting: CredentialSighting, show: boolean): string {
  if (show) return sighting.value.reveal();
  const passwordLike = sighting.scheme === 'other' && sighting.value.lowEntropy;
  return sighting.value.masked(passwordLike ? 0 : prefixLengthFor(sighting.scheme));
}

/**
 * Free text (a rule message, a rule error) with the raw credential value masked wherever it
 * appears: a guard against a rule quoting its subject.
 */
export function scrubbed(text: string, sighting: CredentialSighting | undefined, show: boolean): string {
  if (show || sighting === undefined || sighting.value.length < 8) return text;
  const raw = sighting.value.reveal();
  return text.includes(raw) ? text.split(raw).join(displayValue(sighting, false)) : text;
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}


/** Every capture named in the result: `files` first, then any other an exchange or anomaly names, in order. */
export function capturesOf(result: ScanResult): string[] {
  const captures = new Set(result.files);
  for (const decoded of result.exchanges) captures.add(captureOf(decoded.exchange));
  for (const finding of result.findings) captures.add(captureOfFinding(finding));
  for (const error of result.ruleErrors) captures.add(captureOfFinding(error));
  for (const anomaly of result.anomalies) if (anomaly.file !== undefined) captures.add(anomaly.file);
  return [...captures];
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `1 finding`, `2 findings`; `nouns` for irregular plurals. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Anomalies over the whole scan: the exact per-code counts when the result has them, else its list's length. */
export function anomalyCount(result: ScanResult): number {
  return result.anomalyCounts ? Object.values(result.anomalyCounts).reduce((sum, count) => sum + count, 0) : result.anomalies.length;
}
