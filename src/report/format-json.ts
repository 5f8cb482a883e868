// The scan report as JSON (schema: docs/report.schema.json): exchanges, credentials, findings by id.
import { endpointToString, Secret, timestampToIso } from '../model/index.js';
import type {
  Anomaly,
  AuthChallenge,
  CredentialSighting,
  DecodedCredential,
  DecodedExchange,
  DecodedJwt,
  Finding,
  HttpExchange,
  NtlmMessage,
  ScanResult,
} from '../model/index.js';
import { TOOL_NAME, type FormatOptions, type ReportMeta } from './report-meta.js';
import { jsonText } from './json-text.js';
import {
  anomalyCount,
  countBySeverity,
  credentialIds,
  displayValue,
  endpointText,
  findingPlace,
  placeNumbers,
  placeOf,
  redactedUri,
  ruleErrorPlace,
  scrubbed,
  stableExchangeId,
  stableExchangeIdOf,
} from './scan-view.js';

/** Version of the report's shape (docs/report.schema.json); raised on incompatible changes. */
export const REPORT_FORMAT_VERSION = 1;

type Json = Record<string, unknown>;

export function formatJson(result: ScanResult, meta: ReportMeta, options: FormatOptions): string {
  return `${jsonText(jsonReport(result, meta, options.showSecrets), 2)}\n`;
}

/** The report as a plain object (what formatJson serialises). */
export function jsonReport(result: ScanResult, meta: ReportMeta, show: boolean): Json {
  const ids = credentialIds(result);
  const credentials: Json[] = [];
  const challenges: Json[] = [];
  const diagnostics: Json[] = [];
  for (const decoded of result.exchanges) {
    for (const sighting of decoded.credentials) credentials.push(credentialJson(sighting, decoded.exchange, ids.get(sighting) ?? sighting.id, show));
    const where = responsePlace(decoded);
    for (const challenge of decoded.challenges) challenges.push({ ...where, ...challengeJson(challenge, show) });
    for (const diagnostic of decoded.diagnostics) diagnostics.push({ ...where, ...diagnostic });
  }
  const bySeverity = countBySeverity(result.findings);
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: meta.toolVersion },
    configPath: meta.configPath ?? null,
    failOn: meta.failOn,
    exitCode: meta.exitCode,
    files: [...result.files],
    summary: {
      exchanges: result.totals?.exchanges ?? result.exchanges.length,
      credentials: result.totals?.credentials ?? credentials.length,
      findings: result.totals
        ? { total: result.totals.findings.error + result.totals.findings.warning + result.totals.findings.note, ...result.totals.findings }
        : { total: result.findings.length, ...bySeverity },
      ruleErrors: result.ruleErrors.length,
      anomalies: anomalyCount(result),
      ...(result.coverage ? { coverage: { ...result.coverage } } : {}),
      ...(result.totals ? { listed: { exchanges: result.exchanges.length, credentials: credentials.length, findings: result.findings.length } } : {}),
    },
    exchanges: result.exchanges.map((decoded) => exchangeJson(decoded, show)),
    credentials,
    challenges,
    diagnostics,
    findings: result.findings.map((finding) => findingJson(finding, ids, show)),
    ruleErrors: result.ruleErrors.map((error) => {
      const place = ruleErrorPlace(error);
      return {
        rule: error.ruleId,
        message: error.message,
        exchange: stableExchangeIdOf(error),
        file: place.file,
        ...placeNumbers(place),
      };
    }),
    anomalies: result.anomalies.map(anomalyJson),
    ...(meta.baseline && {
      baseline: { file: meta.baseline.file, suppressed: meta.baseline.suppressed, fixed: meta.baseline.fixed.map((entry) => ({ ...entry })) },
    }),
  };
}

function exchangeJson(decoded: DecodedExchange, show: boolean): Json {
  const ex = decoded.exchange;
  const place = placeOf(ex);
  return {
    id: stableExchangeId(ex),
    file: place.file,
    stream: place.stream,
    ...(ex.h2Stream !== undefined && { h2Stream: ex.h2Stream }),
    indexInStream: ex.indexInStream,
    frame: place.frame,
    responseFrame: ex.response ? placeOf(ex, 'response').frame : null,
    ...(place.entry !== undefined && { entry: place.entry }),
    ...(place.session !== undefined && { session: place.session }),
    time: timestampToIso(ex.request.time),
    client: endpointText(ex.client),
    server: endpointToString(ex.server),
    scheme: ex.scheme,
    tls: ex.tls ? { ...ex.tls } : null,
    method: ex.request.method,
    host: place.host,
    uri: redactedUri(decoded, show),
    status: ex.response?.status ?? null,
  };
}

/** The exchange reference, stream and frame of the response (the request's when there is none). */
function responsePlace(decoded: DecodedExchange): Json {
  const place = placeOf(decoded.exchange, 'response');
  const { frame, stream, entry, session } = placeNumbers(place);
  return { exchange: stableExchangeId(decoded.exchange), stream, frame, ...(entry !== undefined && { entry }), ...(session !== undefined && { session }) };
}

/** A sighting of `exchange` (its DecodedExchange's exchange). */
function credentialJson(sighting: CredentialSighting, exchange: HttpExchange, id: string, show: boolean): Json {
  const place = placeOf(exchange, sighting.direction);
  return {
    id,
    exchange: stableExchangeId(exchange),
    fingerprint: sighting.value.fingerprint,
    scheme: sighting.scheme,
    schemeName: sighting.schemeName,
    location: { ...sighting.location },
    direction: sighting.direction,
    stream: place.stream,
    frame: place.frame,
    ...(place.entry !== undefined && { entry: place.entry }),
    ...(place.session !== undefined && { session: place.session }),
    value: displayValue(sighting, show),
    length: sighting.value.length,
    related: sighting.related ? { ...sighting.related } : undefined,
    decoded: decodedJson(sighting.decoded, sighting, show),
  };
}

function decodedJson(decoded: DecodedCredential, sighting: CredentialSighting, show: boolean): Json {
  switch (decoded.type) {
    case 'jwt':
      return { type: 'jwt', ...jwtJson(decoded.jwt, show) };
    case 'ntlm':
      return { type: 'ntlm', ...ntlmJson(decoded.ntlm), wrapped: decoded.wrapped };
    case 'digest':
      return { type: 'digest', params: maskedEntries(decoded.params, DIGEST_SECRET_PARAMS, show) };
    case 'jwt-malformed':
    case 'undecodable':
      return { type: decoded.type, error: scrubbed(decoded.error, sighting, show) };
    default:
      return { ...decoded };
  }
}

/** Digest auth-params derived from the password. */
const DIGEST_SECRET_PARAMS: ReadonlySet<string> = new Set(['response']);
/** JWT claims that hold another token. */
const JWT_SECRET_CLAIMS: ReadonlySet<string> = new Set(['actortoken']);

function jwtJson(jwt: DecodedJwt, show: boolean): Json {
  const view: Json = {
    header: jwt.header,
    claims: maskedEntries(jwt.claims, JWT_SECRET_CLAIMS, show),
    unsigned: jwt.unsigned,
    x5tThumbprint: jwt.x5tThumbprint,
    kidThumbprint: jwt.kidThumbprint,
  };
  for (const name of ['nbf', 'exp', 'iat'] as const) {
    const seconds = jwt[name];
    if (seconds === undefined) continue;
    view[name] = seconds;
    view[`${name}Iso`] = numericDateIso(seconds);
  }
  if (jwt.actor) view['actor'] = jwtJson(jwt.actor, show);
  view['actorError'] = jwt.actorError;
  if (jwt.notes && jwt.notes.length > 0) view['notes'] = [...jwt.notes];
  return view;
}

/** RFC 7519 NumericDate as ISO 8601, or undefined when out of Date's range. */
function numericDateIso(seconds: number): string | undefined {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** A copy with the string values of `secretNames` (matched case-insensitively) masked, unless `show`. */
function maskedEntries(entries: Readonly<Record<string, unknown>>, secretNames: ReadonlySet<string>, show: boolean): Json {
  const copy: Json = {};
  for (const [name, value] of Object.entries(entries)) {
    copy[name] = !show && typeof value === 'string' && secretNames.has(name.toLowerCase()) ? new Secret(value).masked() : value;
  }
  return copy;
}

function ntlmJson(ntlm: NtlmMessage): Json {
  return {
    messageType: ntlm.messageType,
    domain: ntlm.domain,
    user: ntlm.user,
    workstation: ntlm.workstation,
    targetName: ntlm.targetName,
    flags: ntlm.flags,
  };
}

function challengeJson(challenge: AuthChallenge, show: boolean): Json {
  return {
    scheme: challenge.scheme,
    header: challenge.header,
    params: { ...challenge.params },
    token68: challenge.token68 === undefined ? undefined : show ? challenge.token68 : new Secret(challenge.token68).masked(),
    trustedIssuers: challenge.trustedIssuers ? [...challenge.trustedIssuers] : undefined,
    tokenTypes: challenge.tokenTypes ? [...challenge.tokenTypes] : undefined,
    ntlm: challenge.ntlm ? ntlmJson(challenge.ntlm) : undefined,
  };
}

export function findingJson(finding: Finding, ids: ReadonlyMap<CredentialSighting, string>, show: boolean): Json {
  const place = findingPlace(finding);
  const data: Json = {};
  for (const [name, value] of Object.entries(finding.data)) {
    data[name] = value;
  }
  return {
    rule: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    messageId: finding.messageId,
    data,
    file: place.file,
    ...placeNumbers(place),
    host: place.host,
    path: place.path,
    exchange: stableExchangeIdOf(finding),
    credential: finding.sighting ? (ids.get(finding.sighting) ?? finding.sighting.id) : undefined,
    fingerprint: finding.fingerprint,
    fix: finding.fix,
    docs: finding.docs,
  };
}

export function anomalyJson(anomaly: Anomaly): Json {
  return {
    code: anomaly.code,
    severity: anomaly.severity,
    message: anomaly.message,
    file: anomaly.file,
    frame: anomaly.frame,
    stream: anomaly.stream,
    offset: anomaly.offset,
  };
}
