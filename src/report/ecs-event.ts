// Exchanges and findings as Elastic Common Schema documents: the field mapping, with no I/O.
import { exchangeHost, timestampToIso, type DecodedExchange, type Finding, type HttpExchange, type Severity, type Timestamp } from '../model/index.js';
import { findingPlace, placeNumbers, placeOf, type Place } from './scan-view.js';

/** The ECS version the documents follow. */
export const ECS_VERSION = '8.11.0';

/** event.severity for each level, on the scale Elastic Security's rules use (low 21, medium 47, high 73). */
export const ECS_SEVERITY: Readonly<Record<Severity, number>> = { error: 73, warning: 47, note: 21 };

export type EcsDocument = Record<string, unknown>;

/** What every document names besides the event: the observer, and where rule pages are. */
export interface EcsContext {
  readonly toolVersion: string;
  readonly hostname: string;
  /** `docs/rules/<id>.md` resolved against this base is rule.reference. */
  readonly docsBaseUri: string;
  /** Rule titles by id (rule.name). */
  readonly ruleNames: ReadonlyMap<string, string>;
}

/** One exchange: event.kind `event`. */
export function ecsExchange(decoded: DecodedExchange, context: EcsContext): EcsDocument {
  const ex = decoded.exchange;
  const place = placeOf(ex);
  const status = ex.response?.status;
  return {
    '@timestamp': timestampToIso(ex.request.time),
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'event',
      category: ['network', 'authentication'],
      type: ['protocol', 'info'],
      dataset: 'oauth_inspect.exchange',
      module: 'oauth_inspect',
      ...(status !== undefined && { outcome: status === 401 || status === 403 ? 'failure' : status < 400 ? 'success' : 'unknown' }),
    },
    message: `${ex.request.method} ${place.host}${place.path}${status !== undefined ? ` ${status}` : ''}`,
    ...networkFields(ex, place),
    ...userFields(decoded),
    observer: observer(ex, context),
    oauth_inspect: placeFields(place),
  };
}

/**
 * One finding: event.kind `alert`. `ex` is the judged exchange it belongs to (its addresses and
 * user); `time` stands in for the capture time of a finding about the capture itself.
 */
export function ecsAlert(finding: Finding, decoded: DecodedExchange | undefined, time: Timestamp | undefined, context: EcsContext): EcsDocument {
  const place = findingPlace(finding);
  const ex = decoded?.exchange;
  const at = ex ? ex.request.time : time;
  return {
    '@timestamp': at ? timestampToIso(at) : new Date().toISOString(),
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'alert',
      category: ['network', 'authentication'],
      type: ['info'],
      dataset: 'oauth_inspect.finding',
      module: 'oauth_inspect',
      severity: ECS_SEVERITY[finding.severity],
    },
    log: { level: finding.severity },
    message: finding.message,
    rule: {
      id: finding.ruleId,
      name: context.ruleNames.get(finding.ruleId) ?? finding.ruleId,
      reference: new URL(finding.docs, context.docsBaseUri).href,
      ruleset: 'oauth-inspect',
    },
    ...(ex ? networkFields(ex, place) : {}),
    ...(decoded ? userFields(decoded) : {}),
    observer: observer(ex, context),
    oauth_inspect: {
      ...placeFields(place),
      fix: finding.fix,
      message_id: finding.messageId,
      ...(finding.fingerprint !== undefined && { credential_fingerprint: finding.fingerprint }),
    },
  };
}

/** Addresses, URL, HTTP and TLS of an exchange (the path and host as the place gives them: tokens masked). */
function networkFields(ex: HttpExchange, place: Place): EcsDocument {
  const tlsVersion = /(\d\.\d)/.exec(ex.tls?.version ?? '')?.[1];
  const domain = urlDomain(place.host || exchangeHost(ex));
  return {
    ...(ex.client && ex.client.ip !== '' && { source: { ip: ex.client.ip, port: ex.client.port } }),
    ...(ex.server.ip !== '' && { destination: { ip: ex.server.ip, port: ex.server.port, ...(domain !== ex.server.ip && !domain.startsWith('[') && { domain }) } }),
    url: { domain, path: place.path, scheme: ex.scheme },
    http: {
      version: ex.request.version.replace(/^HTTP\//, ''),
      request: { method: ex.request.method },
      ...(ex.response && { response: { status_code: ex.response.status } }),
    },
    network: { protocol: 'http', transport: 'tcp' },
    ...(ex.tls && {
      tls: {
        ...(tlsVersion !== undefined && { version: tlsVersion, version_protocol: 'tls' }),
        ...(ex.tls.cipherSuite !== undefined && { cipher: ex.tls.cipherSuite }),
        ...(ex.tls.sni !== undefined && { client: { server_name: ex.tls.sni } }),
      },
    }),
  };
}

/** The Basic or NTLM user of the exchange (a name is no secret; passwords and tokens never appear). */
function userFields(decoded: DecodedExchange): EcsDocument {
  for (const sighting of decoded.credentials) {
    const credential = sighting.decoded;
    if (credential.type === 'basic' && credential.malformed === undefined && credential.user !== '') return { user: userOf(credential.user) };
    if (credential.type === 'ntlm' && credential.ntlm.user) {
      return { user: { name: credential.ntlm.user, ...(credential.ntlm.domain ? { domain: credential.ntlm.domain } : {}) } };
    }
  }
  return {};
}

/** `DOMAIN\user` as name and domain; anything else as the name. */
function userOf(user: string): { name: string; domain?: string } {
  const slash = user.indexOf('\\');
  return slash > 0 ? { name: user.slice(slash + 1), domain: user.slice(0, slash) } : { name: user };
}

function observer(ex: HttpExchange | undefined, context: EcsContext): EcsDocument {
  return {
    vendor: 'oauth-inspect',
    product: 'oauth-inspect',
    version: context.toolVersion,
    type: ex?.origin.kind === 'proxy' ? 'proxy' : 'sensor',
    hostname: context.hostname,
  };
}

/** Capture file, frame, tcp.stream (HAR entry, proxy connection) under oauth_inspect.*. */
function placeFields(place: Place): EcsDocument {
  const numbers = placeNumbers(place);
  return {
    capture: { file: place.file },
    ...(numbers.frame !== null && { frame: numbers.frame }),
    // Without frames a stream is the proxy's connection number, not a tcp.stream.
    ...(numbers.stream !== null && (numbers.frame !== null ? { tcp_stream: numbers.stream } : { connection: numbers.stream })),
    ...(numbers.entry !== undefined && { har_entry: numbers.entry }),
  };
}

/** The host without its port; an IPv6 literal keeps its brackets, as ECS asks. */
function urlDomain(host: string): string {
  const bracketed = /^(\[[^\]]+\])(?::\d+)?$/.exec(host);
  if (bracketed?.[1]) return bracketed[1];
  return host.replace(/:\d+$/, '');
}
