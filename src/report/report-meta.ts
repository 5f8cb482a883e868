// ReportMeta: what every scan report needs besides the ScanResult (rules, version, threshold, exit).
import type { AnomalyCode, ScanResult, Severity } from '../model/index.js';
import type { FailOn } from './exit-code.js';
import type { BaselineOutcome } from './baseline.js';
import type { RuleHelp } from './rule-help.js';

export const TOOL_NAME = 'oauth-inspect';

/** A rule as reports describe it. */
export interface ReportRule {
  /** Stable kebab-case id. */
  readonly id: string;
  /** Default severity (a finding may carry another, from configuration or a message). */
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
  /** `docs/rules/<id>.md`, relative to the package root. */
  readonly docsPath: string;
  /** The page itself, for reports that carry it (SARIF's `help`). */
  readonly help?: RuleHelp;
}

export interface ReportMeta {
  /** Every registered rule that ran, so that reports can list the rules that found nothing. */
  readonly rules: readonly ReportRule[];
  /** Rules the configuration turned off (JUnit lists them as skipped). */
  readonly disabledRules?: readonly ReportRule[];
  /** Each anomaly code's section of docs/anomalies.md, by code (SARIF's notification descriptors). */
  readonly anomalyHelp?: Readonly<Record<string, RuleHelp>>;
  /** The tool's home page (SARIF's `informationUri`). */
  readonly informationUri?: string;
  /** What `--baseline` did: findings it suppressed, accepted findings no longer seen (fixed). */
  readonly baseline?: BaselineOutcome;
  /** When and where the scan ran, for CI reports (JUnit's timestamp, time and hostname). */
  readonly run?: ScanRun;
  /** The directory capture paths are made relative to (SARIF's %SRCROOT%); the process's when absent. */
  readonly workingDirectory?: string;
  readonly toolVersion: string;
  /** Absolute URI that `docsPath` is resolved against (a file: URL of the package root, or its web home). */
  readonly docsBaseUri: string;
  /** The configuration file used, when there was one. */
  readonly configPath?: string;
  readonly failOn: FailOn;
  /** The exit decision (see exitCodeFor). */
  readonly exitCode: 0 | 1;
}

/** When each capture was read and for how long, and on which host. */
export interface ScanRun {
  readonly hostname: string;
  /** Start of the whole scan, ISO 8601 UTC. */
  readonly startedAt: string;
  /** Seconds the whole scan took. */
  readonly seconds: number;
  /** Per capture file: when its reading started (ISO 8601 UTC) and the seconds it took. */
  readonly captures: Readonly<Record<string, { readonly startedAt: string; readonly seconds: number }>>;
}

export interface FormatOptions {
  /** Print credential values unmasked. */
  readonly showSecrets: boolean;
  /** ANSI colours (text format only); see shouldColor. */
  readonly color?: boolean;
}

export type ScanFormatter = (result: ScanResult, meta: ReportMeta, options: FormatOptions) => string;

/** A rule's metadata as defineRule holds it (`docs`), in the shape reports take (`docsPath`). */
export function reportRuleOf(rule: {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
  readonly docs: string;
}): ReportRule {
  return { id: rule.id, severity: rule.severity, title: rule.title, description: rule.description, docsPath: rule.docs };
}

/** The rule's documentation page as an absolute URI. */
export function ruleHelpUri(meta: ReportMeta, rule: ReportRule): string {
  return docsUri(meta, rule.docsPath);
}

/** The code's entry in docs/anomalies.md as an absolute URI. */
export function anomalyHelpUri(meta: ReportMeta, code: AnomalyCode): string {
  return docsUri(meta, `docs/anomalies.md#${code}`);
}

function docsUri(meta: ReportMeta, path: string): string {
  return new URL(path, meta.docsBaseUri.endsWith('/') ? meta.docsBaseUri : `${meta.docsBaseUri}/`).href;
}
