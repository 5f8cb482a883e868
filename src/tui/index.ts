// The terminal dashboard: `scan --tui` over capture files, and the live view the proxy pushes to.
import type { Severity } from '../model/index.js';
import type { Judgement } from '../pipeline/exchange-judge.js';
import type { ScanEvents } from '../pipeline/scan.js';
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
}

/** Thrown from the judge's callback once the user has quit, so that judging stops early. */
class DashboardQuit extends Error {}

/**
 * Runs `scan` (scanFiles over `files`, with the events it is given) into the dashboard and
 * resolves when the user quits. Needs a terminal on stdin and stdout (check terminalAvailable
 * first). Rejects, with the dashboard closed, when the scan fails.
 */
export async function runScanDashboard(
  files: readonly string[],
  scan: (events: ScanEvents) => Promise<unknown>,
  settings: DashboardSettings,
): Promise<void> {
  const dashboard = new Dashboard({
    source: files.join(', '),
    files,
    showSecrets: settings.showSecrets,
    meta: settings.meta,
    env: settings.env,
    ...(settings.rulesFile ? { rulesFile: settings.rulesFile } : {}),
  });
  let quit = false;
  const quitting = dashboard.whenQuit().then(() => {
    quit = true;
  });
  dashboard.setState('scanning…');
  const scanning = scan({
    judged(judgement) {
      if (quit) throw new DashboardQuit('quit');
      dashboard.push(judgement);
    },
    anomaly: () => dashboard.countAnomaly(),
    captureFindings: (findings) => dashboard.pushCaptureFindings(findings),
  });
  try {
    await Promise.race([scanning, quitting]);
    if (!quit) dashboard.setState('done');
    await quitting;
  } catch (error) {
    if (!(error instanceof DashboardQuit)) throw error;
  } finally {
    dashboard.close();
  }
  // The scan stops judging at the next exchange; its reading ends with the current file.
  await scanning.catch((error: unknown) => {
    if (!(error instanceof DashboardQuit)) throw error;
  });
}

export interface LiveDashboard {
  push(judgement: Judgement): void;
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
    log: (line) => dashboard.log(line),
    whenQuit: () => dashboard.whenQuit(),
    close: async () => dashboard.close(),
  };
}
