// The scan report for people: findings by rule with Wireshark locations, credentials seen, counts.
// Every value that comes from the traffic or the command line passes through terminalSafe before
// it is painted or joined, so the only control characters in the report are the painter's own.
import { severityRank, worstSeverity } from '../model/index.js';
import { fixedLine } from './baseline.js';
import type { CredentialGroup, Finding, ScanResult } from '../model/index.js';
import { CredentialTally } from '../pipeline/credential-tally.js';
import { ansiPainter, plainPainter, type Painter } from './format-color.js';
import type { FormatOptions, ReportMeta } from './report-meta.js';
import { terminalSafe } from './terminal-safe.js';
import {
  anomalyCount,
  compareText,
  countBySeverity,
  displayValue,
  displayFilter,
  findingPlace,
  plural,
  ruleErrorPlace,
  type Place,
  scrubbed,
  wiresharkWhere,
} from './scan-view.js';

/** Distinct values listed per credential group before `+n more`. */
const VALUES_SHOWN = 3;

export function formatText(result: ScanResult, meta: ReportMeta, options: FormatOptions): string {
  const paint = options.color === true ? ansiPainter : plainPainter;
  const groups = result.credentialGroups ?? tallyOf(result);
  const config = meta.configPath !== undefined ? ` (config: ${meta.configPath})` : '';
  const lines = [
    paint.bold(terminalSafe(`oauth-inspect ${meta.toolVersion}: scan of ${result.files.join(', ') || 'no files'}${config}`)),
    '',
    ...findingLines(result.findings, meta, options.showSecrets, paint),
    '',
    ...credentialLines(groups, options.showSecrets, paint),
  ];
  if (result.ruleErrors.length > 0) lines.push('', ...ruleErrorLines(result, paint));
  lines.push('', ...summaryLines(result, groups, meta, paint));
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
    severity: worstSeverity(group) ?? 'note',
  }));
  groups.sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || compareText(a.ruleId, b.ruleId));
  for (const { ruleId, group, severity } of groups) {
    const title = titles.get(ruleId) ?? '';
    lines.push(`  ${paint.severity(severity, severity.padEnd(7))}  ${paint.bold(ruleId)}  ${plural(group.length, 'finding')}  ${title}`.trimEnd());
    lines.push(`    see ${group[0]!.docs}`);
    // A fix is printed once for a run of findings that share it.
    let shownFix: string | undefined;
    for (const finding of group) {
      const place = findingPlace(finding);
      const own = finding.severity === severity ? '' : `${paint.severity(finding.severity, `[${finding.severity}]`)} `;
      lines.push(`    ${placeText(place)}  ${terminalSafe(`${place.host} ${place.path}`)}`.trimEnd());
      lines.push(`      ${own}${terminalSafe(finding.message)}`);
      const filter = displayFilter(place);
      if (filter !== null) lines.push(`      wireshark: ${filter}`);
      if (finding.fix !== shownFix) lines.push(`      ${paint.bold('fix:')} ${finding.fix}`);
      shownFix = finding.fix;
    }
  }
  return lines;
}

function credentialLines(groups: readonly CredentialGroup[], show: boolean, paint: Painter): string[] {
  const credentials = groups.filter((group) => group.probe !== true);
  const probes = groups.filter((group) => group.probe === true);
  const lines = [paint.bold('Credentials')];
  if (credentials.length === 0 && probes.length === 0) return [...lines, '  none'];
  const schemeWidth = Math.max(0, ...credentials.map((group) => group.schemeName.length));
  const labelWidth = Math.max(0, ...credentials.map((group) => group.label.length));
  for (const group of credentials) {
    const noun = group.scheme === 'bearer' ? 'token' : 'credential';
    const shown = group.examples.slice(0, VALUES_SHOWN).map((sighting) => displayValue(sighting, show));
    const more = group.distinct > shown.length ? `, +${group.distinct - shown.length} more` : '';
    lines.push(
      terminalSafe(
        `  ${group.schemeName.padEnd(schemeWidth)}  ${group.label.padEnd(labelWidth)}  ` +
          `${plural(group.sightings, 'sighting')}, ${plural(group.distinct, `distinct ${noun}`)}: ` +
          `${shown.join(', ')}${more}`,
      ),
    );
  }
  for (const group of probes) {
    lines.push(terminalSafe(`  ${group.schemeName} probes (empty ${group.label}: ${group.schemeName}): ${group.sightings}`));
  }
  return lines;
}

/** The credential summary of the listed exchanges, for results that carry no tally of their own. */
function tallyOf(result: ScanResult): CredentialGroup[] {
  const tally = new CredentialTally();
  for (const decoded of result.exchanges) for (const sighting of decoded.credentials) tally.add(sighting);
  return tally.groups();
}

function ruleErrorLines(result: ScanResult, paint: Painter): string[] {
  const lines = [paint.bold('Rule errors')];
  for (const error of result.ruleErrors) {
    const place = ruleErrorPlace(error);
    lines.push(`  ${paint.severity('error', error.ruleId)}  ${placeText(place)}: ${terminalSafe(error.message)}`);
  }
  return lines;
}

/** `<capture>  frame 12, tcp.stream 3`, the capture name made safe. */
function placeText(place: Place): string {
  return `${terminalSafe(place.file)}  ${wiresharkWhere(place)}`;
}

function summaryLines(result: ScanResult, groups: readonly CredentialGroup[], meta: ReportMeta, paint: Painter): string[] {
  const counts = result.totals?.findings ?? countBySeverity(result.findings);
  const findingTotal = counts.error + counts.warning + counts.note;
  const bySeverity = (['error', 'warning', 'note'] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => paint.severity(severity, plural(counts[severity], severity)));
  // Probes (an empty `Authorization: Bearer`) are sightings but not credentials.
  const probes = groups.reduce((sum, group) => sum + (group.probe === true ? group.sightings : 0), 0);
  const sightings = result.totals?.credentials ?? result.exchanges.reduce((sum, decoded) => sum + decoded.credentials.length, 0);
  const credentials = Math.max(0, sightings - probes);
  const exchanges = result.totals?.exchanges ?? result.exchanges.length;
  const findings = `${plural(findingTotal, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`;
  const cut = result.totals
    ? [`  listed above: the first ${plural(result.exchanges.length, 'exchange')} and ${plural(result.findings.length, 'finding')} (limits of the report; the counts here are exact)`]
    : [];
  return [
    paint.bold('Summary'),
    `  ${plural(exchanges, 'exchange')}, ${plural(credentials, 'credential')}, ${findings}, ` +
      `${plural(result.ruleErrors.length, 'rule error')}, ${plural(anomalyCount(result), 'anomaly', 'anomalies')}` +
      anomalyCodes(result),
    ...cut,
    ...coverageLines(result),
    ...baselineLines(meta),
    `  ${verdict(meta, paint)}`,
  ];
}

/** What --baseline did: findings suppressed (not counted above), accepted findings now fixed. */
function baselineLines(meta: ReportMeta): string[] {
  const baseline = meta.baseline;
  if (!baseline) return [];
  return [
    `  baseline ${terminalSafe(baseline.file)}: ${plural(baseline.suppressed, 'finding')} suppressed (not counted above), ${baseline.fixed.length} fixed`,
    ...baseline.fixed.map((entry) => `    fixed: ${terminalSafe(fixedLine(entry))}`),
  ];
}

/** What the verdict covers: exchanges judged, connections that could not be read, signatures not verified. */
function coverageLines(result: ScanResult): string[] {
  const coverage = result.coverage;
  if (!coverage) return [];
  const parts = [`${plural(coverage.exchangesJudged, 'exchange')} judged`];
  parts.push(
    coverage.unreadableStreams === 0
      ? 'every connection read'
      : `${plural(coverage.unreadableStreams, 'connection')} could not be read (see capture-unreadable)`,
  );
  parts.push(
    coverage.unverifiedSignatures === 0
      ? 'no unverified signature'
      : `${plural(coverage.unverifiedSignatures, 'token signature')} not verified (see token-signature-unverified)`,
  );
  return [`  covered: ${parts.join('; ')}`];
}

/** Anomalies per code over the whole scan (the result's exact counts, else its list). */
function anomaliesByCode(result: ScanResult): Map<string, number> {
  if (result.anomalyCounts) return new Map(Object.entries(result.anomalyCounts));
  const byCode = new Map<string, number>();
  for (const anomaly of result.anomalies) byCode.set(anomaly.code, (byCode.get(anomaly.code) ?? 0) + 1);
  return byCode;
}

function anomalyCodes(result: ScanResult): string {
  const byCode = anomaliesByCode(result);
  if (byCode.size === 0) return '';
  return ` (${[...byCode].sort(([a], [b]) => compareText(a, b)).map(([code, count]) => `${code} ${count}`).join(', ')}; see docs/anomalies.md)`;
}

function verdict(meta: ReportMeta, paint: Painter): string {
  if (meta.exitCode === 1) return paint.severity('error', `FAIL: findings at or above ${meta.failOn} (exit 1)`);
  return meta.failOn === 'never' ? 'pass (fail-on never, exit 0)' : `pass: no findings at or above ${meta.failOn} (exit 0)`;
}
