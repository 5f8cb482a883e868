// The terminal dashboard: `scan --tui` over capture files, and the live view the proxy pushes to.
import type { Readable } from 'node:stream';
import type { Severity } from '../model/index.js';
import type { Finding, Judgement } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import type { ReportMeta } from '../report/report-meta.js';
import { Dashboard } from './dashboard.js';

export { Dashboard, type DashboardOptions } from './dashboard.js';
export { DashboardModel } from './dashboard-model.js';
export { terminalAvailable } from './terminal.js';

export interface DashboardSettings {
  readonly showSecrets: boolean;
  /** The configuration file, for the status bar. */
  readonly rulesFile?: string;
  /** Report metadata for exports, given the worst severity seen so far. */
  readonly meta: (worst: Severity | undefined) => ReportMeta;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where keys come from (default process.stdin; /dev/tty when stdin carries the capture). */
  readonly input?: Readable;
}

/** The dashboard as an output of the inspector: exchanges, anomalies and capture findings as they come. */
export function dashboardAddon(dashboard: Pick<Dashboard, 'push' | 'countAnomaly' | 'pushCaptureFindings'>): InspectorAddon {
  return {
    name: 'dashboard',
    judged: (judgement) => dashboard.push(judgement),
    anomaly: () => dashboard.countAnomaly(),
    captureFindings: (findings) => dashboard.pushCaptureFindings(findings),
  };
}

/**
 * Runs `scan` (scanFiles over `files`, with the addons and stop signal it is given) into the
 * dashboard and resolves when the user quits; quitting while the scan runs stops it (an
 * AbortSignal, not an exception). Needs a terminal on stdin and stdout (check terminalAvailable
 * first). Rejects, with the dashboard closed, when the scan fails.
 */
export async function runScanDashboard(
  files: readonly string[],
  scan: (addons: readonly InspectorAddon[], signal: AbortSignal) => Promise<unknown>,
  settings: DashboardSettings,
): Promise<void> {
  const dashboard = new Dashboard({
    source: files.join(', '),
    files,
    showSecrets: settings.showSecrets,
    meta: settings.meta,
    env: settings.env,
    ...(settings.rulesFile ? { rulesFile: settings.rulesFile } : {}),
    ...(settings.input ? { input: settings.input } : {}),
  });
  const stop = new AbortController();
  const quitting = dashboard.whenQuit().then(() => stop.abort());
  dashboard.setState('scanning…');
  try {
    await scan([dashboardAddon(dashboard)], stop.signal);
    if (!stop.signal.aborted) dashboard.setState('done');
    await quitting;
  } finally {
    dashboard.close();
  }
}

export interface LiveDashboard {
  push(judgement: Judgement): void;
  countAnomaly(): void;
  pushCaptureFindings(findings: readonly Finding[]): void;
  /** A one-line message in the status bar (errors, `listening on …`). */
  log(line: string): void;
  /** Resolves when the user quits (`q`, Ctrl-C). */
  whenQuit(): Promise<void>;
  /** Restores the terminal; safe to call twice. */
  close(): Promise<void>;
}

export interface LiveDashboardOptions extends DashboardSettings {
  /** For the status bar, e.g. `proxy 127.0.0.1:8080`. */
  readonly source: string;
  /** Exchanges kept in memory (oldest dropped first); default 100,000. */
  readonly capacity?: number;
}

/** Opens the dashboard for a live source (the proxy): the cursor follows the newest exchange. */
export function startLiveDashboard(options: LiveDashboardOptions): LiveDashboard {
  const dashboard = new Dashboard({
    source: options.source,
    files: [],
    showSecrets: options.showSecrets,
    meta: options.meta,
    env: options.env,
    follow: true,
    ...(options.rulesFile ? { rulesFile: options.rulesFile } : {}),
    ...(options.capacity ? { capacity: options.capacity } : {}),
  });
  dashboard.setState('live');
  return {
    push: (judgement) => dashboard.push(judgement),
    countAnomaly: () => dashboard.countAnomaly(),
    pushCaptureFindings: (findings) => dashboard.pushCaptureFindings(findings),
    log: (line) => dashboard.log(line),
    whenQuit: () => dashboard.whenQuit(),
    close: async () => dashboard.close(),
  };
}
