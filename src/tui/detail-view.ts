// The detail pane's text for one exchange: request line, findings, each credential decoded, challenges.
// Its lines are terminal-safe (control characters from the traffic escaped); blessed tags are not
// escaped here (the dashboard does that).
import type { AuthChallenge, CredentialSighting, Finding, NtlmMessage } from '../model/index.js';
import { endpointToString, timestampToIso, timestampToSeconds } from '../model/index.js';
import { displayFilter, displayValue, endpointText, redactedUri, wiresharkWhere, placeOf, type Place } from '../report/scan-view.js';
import type { ExchangeRow } from './exchange-row.js';
import { jwtLines, partialJwtLines } from '../report/jwt-text.js';
import { schemeLabel } from '../pipeline/credential-tally.js';
import { terminalSafe } from '../report/terminal-safe.js';

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
    `Credential ${index + 1}: ${schemeLabel(sighting)} in the ${sighting.direction} (${whereText(sighting)})`,
    `  value: ${displayValue(sighting, show)}`,
    `  fingerprint: ${sighting.value.fingerprint}`,
  ];
  const d = sighting.decoded;
  switch (d.type) {
    case 'jwt':
      lines.push(...jwtLines(d.jwt, atSeconds, '  '));
      break;
    case 'jwt-malformed':
      lines.push(...partialJwtLines(d.error, d.partial, '  '));
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

/** `Wireshark filter: tcp.stream eq 3 && frame.number == 12`, when the exchange has frames. */
function wiresharkFilterLine(place: Place): string[] {
  const filter = displayFilter(place);
  return filter === null ? [] : [`  Wireshark filter: ${filter}`];
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
    ...wiresharkFilterLine(placeOf(ex)),
    `  ${endpointText(ex.client) ?? '(client not recorded)'} -> ${endpointToString(ex.server)}${ex.tls ? `  TLS${ex.tls.sni ? ` sni=${ex.tls.sni}` : ''}` : ''}`,
    '',
    findings.length === 0 ? 'Findings: none' : `Findings (${findings.length}):`,
  ];
  for (const f of findings) lines.push(`  ${f.severity.padEnd(7)} ${f.ruleId}: ${f.message}`);
  for (const e of ruleErrors) lines.push(`  rule error in ${e.ruleId}: ${e.message}`);
  decoded.credentials.forEach((sighting, index) => lines.push('', ...credentialLines(sighting, index, atSeconds, show)));
  for (const challenge of decoded.challenges) lines.push('', ...challengeLines(challenge));
  for (const diagnostic of decoded.diagnostics) lines.push('', `X-MS-Diagnostics: ${diagnostic.raw}`);
  for (const anomaly of ex.anomalies) lines.push('', `anomaly ${anomaly.code}: ${anomaly.message}`);
  lines.push(...fixLines(findings));
  return lines.map(terminalSafe);
}

/** What to do, once per rule and fix of the exchange's findings, with the rule page to read. */
function fixLines(findings: readonly Finding[]): string[] {
  const fixes = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.ruleId}\u0000${finding.fix}`;
    if (!fixes.has(key)) fixes.set(key, finding);
  }
  if (fixes.size === 0) return [];
  const lines = ['', 'What to do:'];
  for (const finding of fixes.values()) lines.push(`  ${finding.ruleId}: ${finding.fix}`, `    (${finding.docs})`);
  return lines;
}
