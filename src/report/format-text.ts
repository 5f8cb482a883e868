// The scan report for people: findings by rule with Wireshark locations, credentials seen, counts.
import { severityRank } from '../model/index.js';
import type { CredentialSighting, Finding, ScanResult } from '../model/index.js';
import { ansiPainter, plainPainter, type Painter } from './format-color.js';
import type { FormatOptions, ReportMeta } from './report-meta.js';
import {
  compareText,
  countBySeverity,
  displayValue,
  findingPlace,
  highestSeverity,
  placeOf,
  plural,
  scrubbed,
  wiresharkWhere,
} from './scan-view.js';

/** Distinct values listed per credential group before `+n more`. */
const VALUES_SHOWN = 3;

export function formatText(result: ScanResult, meta: ReportMeta, options: FormatOptions): string {
  const paint = options.color === true ? ansiPainter : plainPainter;
  const config = meta.configPath !== undefined ? ` (config: ${meta.configPath})` : '';
  const lines = [
    paint.bold(`oauth-inspect ${meta.toolVersion}: scan of ${result.files.join(', ') || 'no files'}${config}`),
    '',
    ...findingLines(result.findings, meta, options.showSecrets, paint),
    '',
    ...credentialLines(result, options.showSecrets, paint),
  ];
  if (result.ruleErrors.length > 0) lines.push('', ...ruleErrorLines(result, paint));
  lines.push('', ...summaryLines(result, meta, paint));
  return `${lines.join('\n')}\n`;
}

function findingLines(findings: readonly Finding[], meta: ReportMeta, show: boolean, paint: Painter): string[] {
  const lines = [paint.bold('Findings')];
  if (findings.length === 0) return [...lines, '  none'];
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = byRule.get(finding.ruleId);
    if (group) group.push(finding);
    else byRule.set(finding.ruleId, [finding]);
  }
  const titles = new Map(meta.rules.map((rule) => [rule.id, rule.title]));
  const groups = [...byRule].map(([ruleId, group]) => ({
    ruleId,
    group,
    severity: highestSeverity(group.map((finding) => finding.severity)),
  }));
  groups.sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || compareText(a.ruleId, b.ruleId));
  for (const { ruleId, group, severity } of groups) {
    const title = titles.get(ruleId) ?? '';
    lines.push(`  ${paint.severity(severity, severity.padEnd(7))}  ${paint.bold(ruleId)}  ${plural(group.length, 'finding')}  ${title}`.trimEnd());
    for (const finding of group) {
      const place = findingPlace(finding);
      const own = finding.severity === severity ? '' : `${paint.severity(finding.severity, `[${finding.severity}]`)} `;
      lines.push(`    ${place.file}  ${wiresharkWhere(place)}  ${place.host} ${place.path}`);
      lines.push(`      ${own}${scrubbed(finding.message, finding.sighting, show)}`);
    }
  }
  return lines;
}

interface CredentialGroup {
  readonly schemeName: string;
  readonly label: string;
  readonly noun: string;
  sightings: number;
  /** Display value by fingerprint. */
  readonly values: Map<string, string>;
}

function credentialLines(result: ScanResult, show: boolean, paint: Painter): string[] {
  const groups = new Map<string, CredentialGroup>();
  for (const decoded of result.exchanges) {
    for (const sighting of decoded.credentials) {
      const label = credentialLabel(sighting);
      const key = `${sighting.schemeName}\u0000${label}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          schemeName: sighting.schemeName,
          label,
          noun: sighting.scheme === 'bearer' ? 'token' : 'credential',
          sightings: 0,
          values: new Map(),
        };
        groups.set(key, group);
      }
      group.sightings += 1;
      if (!group.values.has(sighting.value.fingerprint)) group.values.set(sighting.value.fingerprint, displayValue(sighting, show));
    }
  }
  const lines = [paint.bold('Credentials')];
  if (groups.size === 0) return [...lines, '  none'];
  const sorted = [...groups.values()].sort((a, b) => compareText(a.schemeName, b.schemeName) || compareText(a.label, b.label));
  const schemeWidth = Math.max(...sorted.map((group) => group.schemeName.length));
  const labelWidth = Math.max(...sorted.map((group) => group.label.length));
  for (const group of sorted) {
    const values = [...group.values.values()];
    const more = values.length > VALUES_SHOWN ? `, +${values.length - VALUES_SHOWN} more` : '';
    lines.push(
      `  ${group.schemeName.padEnd(schemeWidth)}  ${group.label.padEnd(labelWidth)}  ` +
        `${plural(group.sightings, 'sighting')}, ${plural(values.length, `distinct ${group.noun}`)}: ` +
        `${values.slice(0, VALUES_SHOWN).join(', ')}${more}`,
    );
  }
  return lines;
}

/** Who the credential speaks for: a JWT's issuer, a Basic or NTLM user, else what it decoded to. */
function credentialLabel(sighting: CredentialSighting): string {
  const decoded = sighting.decoded;
  switch (decoded.type) {
    case 'jwt': {
      const issuer = decoded.jwt.claims['iss'];
      return typeof issuer === 'string' ? issuer : '(no issuer)';
    }
    case 'basic':
      return `user ${decoded.user}`;
    case 'ntlm': {
      const { messageType, domain, user } = decoded.ntlm;
      if (messageType !== 3) return `NTLM type ${messageType}`;
      return domain ? `${domain}\\${user ?? ''}` : (user ?? '(anonymous)');
    }
    case 'digest':
      return `user ${decoded.params['username'] ?? '?'}`;
    default:
      return decoded.type;
  }
}

function ruleErrorLines(result: ScanResult, paint: Painter): string[] {
  const lines = [paint.bold('Rule errors')];
  for (const error of result.ruleErrors) {
    const place = placeOf(error.exchange);
    lines.push(`  ${paint.severity('error', error.ruleId)}  ${place.file}  ${wiresharkWhere(place)}: ${error.message}`);
  }
  return lines;
}

function summaryLines(result: ScanResult, meta: ReportMeta, paint: Painter): string[] {
  const counts = result.totals?.findings ?? countBySeverity(result.findings);
  const findingTotal = counts.error + counts.warning + counts.note;
  const bySeverity = (['error', 'warning', 'note'] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => paint.severity(severity, plural(counts[severity], severity)));
  const credentials = result.totals?.credentials ?? result.exchanges.reduce((sum, decoded) => sum + decoded.credentials.length, 0);
  const exchanges = result.totals?.exchanges ?? result.exchanges.length;
  const findings = `${plural(findingTotal, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`;
  const cut = result.totals
    ? [`  listed above: the first ${plural(result.exchanges.length, 'exchange')} and ${plural(result.findings.length, 'finding')} (limits of the report; the counts here are exact)`]
    : [];
  return [
    paint.bold('Summary'),
    `  ${plural(exchanges, 'exchange')}, ${plural(credentials, 'credential')}, ${findings}, ` +
      `${plural(result.ruleErrors.length, 'rule error')}, ${plural(result.anomalies.length, 'anomaly', 'anomalies')}` +
      anomalyCodes(result),
    ...cut,
    `  ${verdict(meta, paint)}`,
  ];
}

function anomalyCodes(result: ScanResult): string {
  if (result.anomalies.length === 0) return '';
  const byCode = new Map<string, number>();
  for (const anomaly of result.anomalies) byCode.set(anomaly.code, (byCode.get(anomaly.code) ?? 0) + 1);
  return ` (${[...byCode].sort(([a], [b]) => compareText(a, b)).map(([code, count]) => `${code} ${count}`).join(', ')})`;
}

function verdict(meta: ReportMeta, paint: Painter): string {
  if (meta.exitCode === 1) return paint.severity('error', `FAIL: findings at or above ${meta.failOn} (exit 1)`);
  return meta.failOn === 'never' ? 'pass (fail-on never, exit 0)' : `pass: no findings at or above ${meta.failOn} (exit 0)`;
}
