// A parsed Fiddler session placed as an HttpExchange: its SID, endpoints, scheme and origin-form target.
import type { Anomaly, Endpoint, HttpExchange, HttpHeaders } from '../model/index.js';
import { headerValue } from '../model/index.js';
import type { SazMetadata } from './saz-metadata.js';
import { ipText, splitUrl } from './wire-text.js';

export interface SazPlace {
  readonly file: string;
  /** The session's SID (the file number when the metadata gives none). */
  readonly session: number;
  readonly metadata: SazMetadata | undefined;
  readonly indexInStream: number;
  readonly anomalies: readonly Anomaly[];
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/**
 * `parsed` (from SazSessionParser) with what a .saz says about where it happened:
 * - uri: Fiddler writes the request line in absolute form (`GET https://host/path HTTP/1.1`) even
 *   for decrypted HTTPS; the exchange has the origin-form target that went to the server, the
 *   scheme from the URL, and a Host header from its authority when the request has none.
 *   A CONNECT keeps its authority-form target;
 * - server: `x-hostip` and the URL's port (CONNECT: the authority's; origin-form: Host's);
 * - client: `x-clientip` and `x-clientport`, when Fiddler recorded them;
 * - session: the SID, where reports show a HAR's entry (a .saz has no frames or tcp.stream).
 */
export function sazExchange(parsed: HttpExchange, place: SazPlace): HttpExchange {
  const { request } = parsed;
  const flags = place.metadata?.flags;
  const isConnect = request.method === 'CONNECT';
  const url = isConnect ? undefined : splitUrl(request.uri);
  const scheme = url?.scheme ?? 'http';
  const authority = url?.authority ?? (isConnect ? request.uri : (headerValue(request.headers, 'host') ?? ''));
  const headers: HttpHeaders = url !== undefined && headerValue(request.headers, 'host') === undefined ? [['Host', url.authority], ...request.headers] : request.headers;
  const client = clientEndpoint(flags);
  return {
    origin: { kind: 'saz', file: place.file },
    indexInStream: place.indexInStream,
    ...(client !== undefined && { client }),
    server: { ip: ipText(flags?.get('x-hostip') ?? ''), port: url?.port ?? portOf(authority, DEFAULT_PORT[scheme]) },
    session: place.session,
    ...(scheme === 'https' && { tls: {} }),
    scheme,
    request: { ...request, uri: url?.target ?? request.uri, headers },
    ...(parsed.response !== undefined && { response: parsed.response }),
    anomalies: place.anomalies,
  };
}

function clientEndpoint(flags: ReadonlyMap<string, string> | undefined): Endpoint | undefined {
  const ip = ipText(flags?.get('x-clientip') ?? '');
  if (ip === '') return undefined;
  const port = Number(flags?.get('x-clientport') ?? '');
  return { ip, port: Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 0 };
}

/** The port of `host:port` (IPv6 in brackets), else `fallback`. */
function portOf(authority: string, fallback: number): number {
  const match = /:(\d{1,5})$/.exec(authority);
  return match && !authority.endsWith(']') ? Number(match[1]) : fallback;
}
