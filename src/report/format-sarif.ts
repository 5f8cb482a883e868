// The scan report as SARIF 2.1.0, shaped for GitHub code scanning: one result per finding.
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Location, LogicalLocation, Log, Notification, Region, ReportingDescriptor, Result } from 'sarif';
import type { Anomaly, AnomalyCode, Finding, ScanResult, Severity } from '../model/index.js';
import { reachesThreshold } from './exit-code.js';
import { findingKey } from './finding-key.js';
import { anomalyHelpUri, ruleHelpUri, TOOL_NAME, type FormatOptions, type ReportMeta } from './report-meta.js';
import { capturesOf, findingPlace, placeNumbers, ruleErrorPlace, stableExchangeIdOf, wiresharkWhere, type Place } from './scan-view.js';
import { jsonText } from './json-text.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export function formatSarif(result: ScanResult, meta: ReportMeta, options: FormatOptions): string {
  return `${jsonText(sarifLog(result, meta, options.showSecrets), 2)}\n`;
}

/** SARIF's partialFingerprints of a finding: its key under the key's name. */
function partialFingerprints(finding: Finding): Record<string, string> {
  const key = findingKey(finding);
  return { [key.name]: key.hash };
}

/** GitHub's `security-severity` for each level (error 8.0 is "high", warning 5.0 "medium", note 2.0 "low"). */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: '8.0', warning: '5.0', note: '2.0' };

/** The uriBaseId capture paths are relative to: the working directory of the scan. */
export const SRCROOT = '%SRCROOT%';

export function sarifLog(result: ScanResult, meta: ReportMeta, show: boolean): Log {
  const captures = capturesOf(result);
  const cwd = meta.workingDirectory ?? process.cwd();
  const artifactIndex = new Map(captures.map((file, index) => [file, index]));
  const ruleIndex = new Map(meta.rules.map((rule, index) => [rule.id, index]));
  const locationOf = (place: Place): Location => ({
    physicalLocation: {
      artifactLocation: { ...artifactLocation(place.file, cwd), index: artifactIndex.get(place.file) ?? -1 },
      region: regionOf(place),
    },
    logicalLocations: [logicalLocationOf(place)],
    properties: { ...placeNumbers(place), host: place.host, path: place.path },
  });

  const resultOf = (finding: Finding): Result => {
    const place = findingPlace(finding);
    const index = ruleIndex.get(finding.ruleId);
    return {
      ruleId: finding.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: finding.severity,
      message: { text: `${finding.message} (${wiresharkWhere(place)}: ${place.host}${place.path}). Fix: ${finding.fix}` },
      locations: [locationOf(place)],
      partialFingerprints: partialFingerprints(finding),
      properties: {
        messageId: finding.messageId,
        fix: finding.fix,
        exchange: stableExchangeIdOf(finding),
        ...(finding.fingerprint !== undefined ? { credentialFingerprint: finding.fingerprint } : {}),
        failsScan: reachesThreshold(finding.severity, meta.failOn),
      },
    };
  };
  // With a baseline, every result says whether it is new; the accepted ones are listed as suppressed.
  const baseline = meta.baseline;
  const results: Result[] = baseline
    ? [
        ...result.findings.map((finding): Result => ({ ...resultOf(finding), baselineState: 'new' })),
        ...(result.suppressed ?? []).map(
          (finding): Result => ({
            ...resultOf(finding),
            baselineState: 'unchanged',
            suppressions: [{ kind: 'external', status: 'accepted', justification: `accepted in the baseline ${baseline.file}` }],
          }),
        ),
      ]
    : result.findings.map(resultOf);

  const ruleErrorNotes = result.ruleErrors.map((error): Notification => {
    const index = ruleIndex.get(error.ruleId);
    return {
      level: 'error',
      message: { text: `rule ${error.ruleId} failed on ${stableExchangeIdOf(error) ?? wiresharkWhere(ruleErrorPlace(error))}: ${error.message}` },
      descriptor: { id: 'rule-error' },
      associatedRule: { id: error.ruleId, ...(index !== undefined ? { index } : {}) },
      locations: [locationOf(ruleErrorPlace(error))],
    };
  });
  // One descriptor per anomaly code seen, pointing at its entry in docs/anomalies.md.
  const anomalyCodes = [...new Set(result.anomalies.map((anomaly) => anomaly.code))].sort();
  const notifications = anomalyCodes.map((code): ReportingDescriptor => anomalyDescriptor(code, meta));
  const anomalyNotes = result.anomalies.map((anomaly) => anomalyNotification(anomaly, artifactIndex, anomalyCodes.indexOf(anomaly.code), cwd));

  const rules = meta.rules.map(
    (rule): ReportingDescriptor => ({
      id: rule.id,
      name: pascalCase(rule.id),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.description },
      ...(rule.help && { help: { text: rule.help.text, markdown: rule.help.markdown } }),
      helpUri: ruleHelpUri(meta, rule),
      defaultConfiguration: { level: rule.severity },
      properties: { tags: ['security', 'oauth', 'authentication'], 'security-severity': SECURITY_SEVERITY[rule.severity] },
    }),
  );

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(meta.informationUri !== undefined && { informationUri: meta.informationUri }),
            version: meta.toolVersion,
            semanticVersion: meta.toolVersion,
            rules,
            ...(notifications.length > 0 && { notifications }),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: meta.exitCode,
            toolExecutionNotifications: [...ruleErrorNotes, ...anomalyNotes],
            properties: {
              failOn: meta.failOn,
              ...(meta.configPath !== undefined ? { configPath: meta.configPath } : {}),
              ...(baseline && { baseline: { file: baseline.file, suppressed: baseline.suppressed, fixed: baseline.fixed.map((entry) => ({ ...entry })) } }),
            },
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(cwd) } },
        artifacts: captures.map((file) => ({ location: artifactLocation(file, cwd), roles: ['analysisTarget'] })),
        results,
      },
    ],
  };
}

/** An anomaly code as a notification descriptor: its section of docs/anomalies.md as help. */
function anomalyDescriptor(code: AnomalyCode, meta: ReportMeta): ReportingDescriptor {
  const help = meta.anomalyHelp?.[code];
  const summary = `Capture anomaly ${code}: something in the capture could not be read normally.`;
  return {
    id: code,
    shortDescription: { text: `Capture anomaly ${code}` },
    fullDescription: { text: summary },
    ...(help && { help: { text: help.text, markdown: help.markdown } }),
    helpUri: anomalyHelpUri(meta, code),
  };
}

/**
 * Where in the file: the frame's record as bytes (pcap record, pcapng block) beside line 1, since
 * GitHub places an alert only on a line; for a HAR entry, its line.
 */
function regionOf(place: Place): Region {
  return { startLine: place.line ?? 1, ...(place.record && { byteOffset: place.record.offset, byteLength: place.record.length }) };
}

/** The frame and tcp.stream (or HAR entry) as a logical location, qualified by the capture. */
function logicalLocationOf(place: Place): LogicalLocation {
  const where = wiresharkWhere(place);
  return { name: where, fullyQualifiedName: `${place.file}: ${where}${place.host === '' ? '' : ` ${place.host}${place.path}`}`, kind: place.entry === undefined && place.session === undefined ? 'object' : 'element' };
}

function anomalyNotification(anomaly: Anomaly, artifactIndex: ReadonlyMap<string, number>, descriptorIndex: number, cwd: string): Notification {
  const notification: Notification = {
    level: anomaly.severity === 'warning' ? 'warning' : 'note',
    message: { text: anomaly.message },
    descriptor: { id: anomaly.code, index: descriptorIndex },
  };
  if (anomaly.file === undefined) return notification;
  const properties: Record<string, number> = {};
  if (anomaly.frame !== undefined) properties['frame'] = anomaly.frame;
  if (anomaly.stream !== undefined) properties['stream'] = anomaly.stream;
  if (anomaly.offset !== undefined) properties['offset'] = anomaly.offset;
  const index = artifactIndex.get(anomaly.file);
  return {
    ...notification,
    locations: [
      {
        physicalLocation: { artifactLocation: { ...artifactLocation(anomaly.file, cwd), ...(index !== undefined ? { index } : {}) } },
        properties,
      },
    ],
  };
}

/**
 * A capture as SARIF names it: relative to the working directory under %SRCROOT% when it lies
 * inside it (as GitHub wants), else an absolute file: URL; `(proxy)` and the like stay as named.
 */
export function artifactLocation(file: string, cwd: string): ArtifactLocation {
  if (file.startsWith('(')) return { uri: artifactUri(file) };
  const relativePath = relative(cwd, resolve(cwd, file));
  if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) return { uri: pathToFileURL(resolve(cwd, file)).href };
  return { uri: artifactUri(relativePath), uriBaseId: SRCROOT };
}

/** A directory as a file: URL ending in a slash, as originalUriBaseIds needs. */
function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** A capture path as a URI reference: relative paths stay relative (as GitHub wants), absolute ones become file: URLs. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}
