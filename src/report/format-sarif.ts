// The scan report as SARIF 2.1.0, shaped for GitHub code scanning: one result per finding.
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { Anomaly, Finding, ScanResult } from '../model/index.js';
import { reachesThreshold } from './exit-code.js';
import { anomalyHelpUri, ruleHelpUri, TOOL_NAME, type FormatOptions, type ReportMeta } from './report-meta.js';
import { capturesOf, findingPlace, placeNumbers, ruleErrorPlace, stableExchangeIdOf, wiresharkWhere, type Place } from './scan-view.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export function formatSarif(result: ScanResult, meta: ReportMeta, options: FormatOptions): string {
  return `${JSON.stringify(sarifLog(result, meta, options.showSecrets), null, 2)}\n`;
}

export function sarifLog(result: ScanResult, meta: ReportMeta, show: boolean): Log {
  const captures = capturesOf(result);
  const artifactIndex = new Map(captures.map((file, index) => [file, index]));
  const ruleIndex = new Map(meta.rules.map((rule, index) => [rule.id, index]));
  const locationOf = (place: Place): Location => ({
    physicalLocation: {
      artifactLocation: { uri: artifactUri(place.file), index: artifactIndex.get(place.file) ?? -1 },
      // GitHub places an alert only with a line; a capture has none, so the alert sits at the top
      // of the file (as container scanners do) and the frame and stream travel in the properties.
      region: { startLine: 1 },
    },
    // A HAR exchange is an element of log.entries, not a packet.
    logicalLocations: [{ name: wiresharkWhere(place), fullyQualifiedName: `${place.host}${place.path}`, kind: place.entry === undefined && place.session === undefined ? 'packet' : 'element' }],
    properties: { ...placeNumbers(place), host: place.host, path: place.path },
  });

  const results = result.findings.map((finding): Result => {
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
  });

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
  const notifications = anomalyCodes.map((code): ReportingDescriptor => ({ id: code, helpUri: anomalyHelpUri(meta, code) }));
  const anomalyNotes = result.anomalies.map((anomaly) => anomalyNotification(anomaly, artifactIndex, anomalyCodes.indexOf(anomaly.code)));

  const rules = meta.rules.map(
    (rule): ReportingDescriptor => ({
      id: rule.id,
      name: pascalCase(rule.id),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.description },
      helpUri: ruleHelpUri(meta, rule),
      defaultConfiguration: { level: rule.severity },
      properties: { tags: ['security', 'oauth'] },
    }),
  );

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: meta.toolVersion, semanticVersion: meta.toolVersion, rules, ...(notifications.length > 0 && { notifications }) } },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: meta.exitCode,
            toolExecutionNotifications: [...ruleErrorNotes, ...anomalyNotes],
            properties: { failOn: meta.failOn, ...(meta.configPath !== undefined ? { configPath: meta.configPath } : {}) },
          },
        ],
        artifacts: captures.map((file) => ({ location: { uri: artifactUri(file) }, roles: ['analysisTarget'] })),
        results,
      },
    ],
  };
}

/**
 * What makes an alert the same alert in the next run: rule, exchange and frame, plus the
 * credential's fingerprint (keyed for passwords, as in the JSON report) when the finding is about
 * one. Never the bare credential fingerprint: one token sent five times is five alerts, not one.
 */
function partialFingerprints(finding: Finding): Record<string, string> {
  const where = [finding.ruleId, stableExchangeIdOf(finding) ?? wiresharkWhere(findingPlace(finding)), String(findingPlace(finding).frame ?? 0)];
  if (finding.fingerprint !== undefined) return { 'credentialFindingHash/v1': sha256Hex([...where, finding.fingerprint]) };
  return { 'findingLocationHash/v1': sha256Hex(where) };
}

function sha256Hex(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
}

function anomalyNotification(anomaly: Anomaly, artifactIndex: ReadonlyMap<string, number>, descriptorIndex: number): Notification {
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
        physicalLocation: { artifactLocation: { uri: artifactUri(anomaly.file), ...(index !== undefined ? { index } : {}) } },
        properties,
      },
    ],
  };
}

/** A capture path as a URI reference: relative paths stay relative (as GitHub wants), absolute ones become file: URLs. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}
