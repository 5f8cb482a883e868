// The detail pane's text for one exchange: request line, findings, each credential decoded, challenges.
import type { AuthChallenge, CredentialSighting, DecodedJwt, NtlmMessage } from '../model/index.js';
import { endpointToString, timestampToIso, timestampToSeconds } from '../model/index.js';
import { displayValue, redactedUri, scrubbed, wiresharkWhere, placeOf } from '../report/scan-view.js';
import type { ExchangeRow } from './exchange-row.js';

/** `2h 3m`, `45s`: a duration for people. */
export function humanDuration(seconds: number): string {
  if (Math.abs(seconds) < 1) return `${Math.round(Math.abs(seconds) * 1000)}ms`;
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const isoOf = (seconds: number): string => timestampToIso({ sec: Math.floor(seconds), nsec: 0 }).replace('.000000', '');

/** `valid for 59m 12s more`, `expired 3m ago`, `not valid for another 10s`, judged at `atSeconds`. */
export function validityState(jwt: Pick<DecodedJwt, 'nbf' | 'exp'>, atSeconds: number): string {
  if (jwt.exp !== undefined && jwt.exp <= atSeconds) return `expired ${humanDuration(atSeconds - jwt.exp)} before capture time`;
  if (jwt.nbf !== undefined && jwt.nbf > atSeconds) return `not yet valid: starts ${humanDuration(jwt.nbf - atSeconds)} after capture time`;
  if (jwt.exp !== undefined) return `valid at capture time, for ${humanDuration(jwt.exp - atSeconds)} more`;
  return 'valid at capture time (no expiry)';
}

function jsonLines(label: string, value: unknown, indent: string): string[] {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  return [`${indent}${label}:`, ...text.split('\n').map((line) => `${indent}  ${line}`)];
}

function jwtLines(jwt: DecodedJwt, atSeconds: number, indent: string): string[] {
  const lines = [...jsonLines('JOSE header', jwt.header, indent), ...jsonLines('claims', jwt.claims, indent)];
  lines.push(`${indent}signature: ${jwt.unsigned ? 'none (unsigned token)' : 'present (not shown)'}`);
  if (jwt.x5tThumbprint) lines.push(`${indent}x5t thumbprint: ${jwt.x5tThumbprint}`);
  if (jwt.kidThumbprint && jwt.kidThumbprint !== jwt.x5tThumbprint) lines.push(`${indent}kid thumbprint: ${jwt.kidThumbprint}`);
  if (jwt.nbf !== undefined || jwt.exp !== undefined || jwt.iat !== undefined) {
    const at = (value: number | undefined): string => (value === undefined ? '-' : isoOf(value));
    lines.push(`${indent}validity: nbf ${at(jwt.nbf)}  exp ${at(jwt.exp)}  iat ${at(jwt.iat)}`);
    lines.push(`${indent}  ${validityState(jwt, atSeconds)} (${isoOf(atSeconds)})`);
  }
  for (const note of jwt.notes ?? []) lines.push(`${indent}note: ${note}`);
  if (jwt.actor) lines.push(`${indent}actor token (actortoken claim):`, ...jwtLines(jwt.actor, atSeconds, `${indent}  `));
  if (jwt.actorError) lines.push(`${indent}actor token: does not decode (${jwt.actorError})`);
  return lines;
}

function ntlmText(ntlm: NtlmMessage): string {
  const names = [
    ntlm.domain || ntlm.user ? `user ${ntlm.domain ? `${ntlm.domain}\\` : ''}${ntlm.user ?? ''}` : '',
    ntlm.workstation ? `workstation ${ntlm.workstation}` : '',
    ntlm.targetName ? `target ${ntlm.targetName}` : '',
  ].filter((part) => part !== '');
  return `NTLM type ${ntlm.messageType}${names.length ? `: ${names.join(', ')}` : ''}`;
}

function whereText(sighting: CredentialSighting): string {
  const l = sighting.location;
  return l.type === 'header' ? `${l.name} header` : `${l.type} ${l.name}`;
}

function credentialLines(sighting: CredentialSighting, index: number, atSeconds: number, show: boolean): string[] {
  const lines = [
    `Credential ${index + 1}: ${sighting.schemeName || sighting.scheme} in the ${sighting.direction} (${whereText(sighting)})`,
    `  value: ${displayValue(sighting, show)}`,
    `  fingerprint: ${sighting.value.fingerprint}`,
  ];
  const d = sighting.decoded;
  switch (d.type) {
    case 'jwt':
      lines.push(...jwtLines(d.jwt, atSeconds, '  '));
      break;
    case 'jwt-malformed':
      lines.push(`  malformed JWT: ${d.error}`);
      break;
    case 'opaque':
      lines.push(`  opaque token${d.hint ? ` (${d.hint})` : ''}`);
      break;
    case 'basic':
      lines.push(`  user: ${d.user}`, '  password: (never shown)');
      if (d.malformed) lines.push(`  malformed: ${d.malformed}`);
      break;
    case 'ntlm':
      lines.push(`  ${ntlmText(d.ntlm)}${d.wrapped ? ' (inside SPNEGO)' : ''}`);
      break;
    case 'digest':
      lines.push(...Object.entries(d.params).filter(([name]) => name !== 'response').map(([name, value]) => `  ${name}: ${value}`));
      break;
    default:
      lines.push(`  ${d.type}${'error' in d ? `: ${d.error}` : ''}`);
  }
  for (const [name, value] of Object.entries(sighting.related ?? {})) lines.push(`  ${name}: ${value}`);
  return lines;
}

function challengeLines(challenge: AuthChallenge): string[] {
  const lines = [`Challenge: ${challenge.scheme} (${challenge.header})`];
  for (const [name, value] of Object.entries(challenge.params)) lines.push(`  ${name}: ${value}`);
  if (challenge.trustedIssuers) lines.push(`  trusted issuers: ${challenge.trustedIssuers.join(', ')}`);
  if (challenge.ntlm) lines.push(`  ${ntlmText(challenge.ntlm)}`);
  else if (challenge.token68) lines.push(`  token: ${challenge.token68.length} chars`);
  return lines;
}

/** The detail pane for one exchange, as plain text lines; credential values masked unless `show`. */
export function detailLines(row: ExchangeRow, show: boolean): string[] {
  const { decoded, findings, ruleErrors } = row.judgement;
  const ex = decoded.exchange;
  const atSeconds = timestampToSeconds(ex.request.time);
  const status = ex.response ? `${ex.response.status} ${ex.response.reason}` : '(no response)';
  const lines = [
    `${ex.request.method} ${ex.scheme}://${row.host}${redactedUri(decoded, show)}`,
    `  -> ${status}`,
    `  ${wiresharkWhere(placeOf(ex))}  at ${timestampToIso(ex.request.time)}`,
    `  ${endpointToString(ex.client)} -> ${endpointToString(ex.server)}${ex.tls ? `  TLS${ex.tls.sni ? ` sni=${ex.tls.sni}` : ''}` : ''}`,
    '',
    findings.length === 0 ? 'Findings: none' : `Findings (${findings.length}):`,
  ];
  for (const f of findings) lines.push(`  ${f.severity.padEnd(7)} ${f.ruleId}: ${scrubbed(f.message, f.sighting, show)}`);
  for (const e of ruleErrors) lines.push(`  rule error in ${e.ruleId}: ${e.message}`);
  decoded.credentials.forEach((sighting, index) => lines.push('', ...credentialLines(sighting, index, atSeconds, show)));
  for (const challenge of decoded.challenges) lines.push('', ...challengeLines(challenge));
  for (const diagnostic of decoded.diagnostics) lines.push('', `X-MS-Diagnostics: ${diagnostic.raw}`);
  for (const anomaly of ex.anomalies) lines.push('', `anomaly ${anomaly.code}: ${anomaly.message}`);
  return lines;
}
