// `oauth-inspect scan`: decode every credential, run the rules, write a report, decide the exit code.
import { open, writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig, resolveConfig, type ConfigFlags, type ResolvedConfig } from '../config/index.js';
import { InputError, type Severity } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import { DEFAULT_SCAN_LIMITS, scanFiles, type ScanOutcome } from '../pipeline/scan.js';
import { ruleList } from '../rules/index.js';
import { AnomalyReporter } from '../report/anomaly-reporter.js';
import { reachesThreshold, type FailOn } from '../report/exit-code.js';
import { shouldColor } from '../report/format-color.js';
import { harRecorderAddon } from '../report/har-recorder-addon.js';
import { jsonlAddon } from '../report/jsonl-addon.js';
import { reportAddon, type ReportFormat } from '../report/report-addon.js';
import { reportRuleOf, type ReportMeta } from '../report/report-meta.js';
import { plural } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { loadKeyLog } from '../tls/load-key-log.js';
import { controllingTerminalInput, terminalAvailable } from '../tui/terminal.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';
import { stopReadingOn } from './stop-reading.js';
import { STDIN_PATH } from '../sources/input-file.js';

export type ScanFormat = ReportFormat | 'jsonl';

export interface ScanOptions {
  readonly format: ScanFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly showSecrets?: boolean;
  readonly rules?: string;
  readonly realm?: string[];
  readonly issuer?: string[];
  readonly cert?: string[];
  readonly metadata?: string[];
  readonly maxExchanges?: number;
  readonly maxFindingsPerRule?: number;
  readonly keylog?: string;
  /** Open the terminal dashboard instead of writing a report (the report when there is no terminal). */
  readonly tui?: boolean;
  /** Record the scanned exchanges as HAR 1.2 (secrets masked unless recordSecrets). */
  readonly record?: string;
  readonly recordSecrets?: boolean;
}


export const DOCS_BASE_URI = new URL('../../', import.meta.url).href;

export async function configFor(options: Pick<ScanOptions, 'rules' | 'realm' | 'issuer' | 'cert' | 'metadata'>): Promise<ResolvedConfig> {
  const flags: ConfigFlags = {
    ...(options.realm?.length ? { realms: options.realm } : {}),
    ...(options.issuer?.length ? { issuers: options.issuer } : {}),
    ...(options.cert?.length ? { certificates: options.cert } : {}),
    ...(options.metadata?.length ? { metadata: options.metadata } : {}),
  };
  return options.rules ? loadConfig(options.rules, flags) : resolveConfig(undefined, flags);
}

export function reportMeta(config: ResolvedConfig, failOn: FailOn, exitCode: 0 | 1): ReportMeta {
  const active = ruleList.filter((rule) => config.rules[rule.id] !== 'off');
  return {
    rules: active.map(reportRuleOf),
    toolVersion: TOOL_VERSION,
    docsBaseUri: DOCS_BASE_URI,
    ...(config.file ? { configPath: config.file } : {}),
    failOn,
    exitCode,
  };
}

export function exitCodeOf(outcome: ScanOutcome, failOn: FailOn): 0 | 1 {
  return outcome.worstSeverity !== undefined && reachesThreshold(outcome.worstSeverity, failOn) ? 1 : 0;
}

/** Where a report goes: `--output FILE` or stdout; a file that cannot be written is an input error. */
export async function reportWriter(target: string | undefined, io: CliIo): Promise<(report: string) => Promise<void>> {
  // The file is created before anything is read or proxied: a path that cannot be written stops the run at once.
  if (target) await writeReport(target, '');
  return async (report) => {
    if (!target) {
      io.stdout.write(report);
      return;
    }
    await writeReport(target, report);
  };
}

async function writeReport(target: string, report: string): Promise<void> {
  try {
    await writeFile(target, report);
  } catch (error) {
    throw new InputError('unreadable', `cannot write report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, target);
  }
}

/** A report file opened for streaming before the scan starts: a path that cannot be written is an input error, one line. */
async function openReportStream(target: string): Promise<Writable> {
  try {
    return (await open(target, 'w')).createWriteStream();
  } catch (error) {
    throw new InputError('unreadable', `cannot write report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, target);
  }
}

export async function scanCommand(files: readonly string[], options: ScanOptions, io: CliIo): Promise<number> {
  // Ctrl-C, SIGTERM or a closed stdout (`| head`) stops reading: a live pipe ends with the report of what was seen.
  const stop = stopReadingOn(io);
  try {
    return await scan(files, options, io, stop.signal);
  } finally {
    stop.dispose();
  }
}

async function scan(files: readonly string[], options: ScanOptions, io: CliIo, stopReading: AbortSignal): Promise<number> {
  const config = await configFor(options);
  // With the capture on stdin (`scan -`) the dashboard's keys come from the terminal itself.
  const keyboard = options.tui === true && files.includes(STDIN_PATH) && io.stdout.isTTY === true ? controllingTerminalInput() : undefined;
  const dashboard = options.tui === true && terminalAvailable(keyboard ?? process.stdin, io.stdout, io.env);
  if (options.tui && !dashboard) io.stderr.write('oauth-inspect: --tui needs a terminal (stdin and stdout); writing the text report instead\n');
  const anomalies = new AnomalyReporter((line) => io.stderr.write(`${line}\n`));
  const limits = {
    maxExchanges: options.maxExchanges ?? DEFAULT_SCAN_LIMITS.maxExchanges,
    maxFindingsPerRule: options.maxFindingsPerRule ?? DEFAULT_SCAN_LIMITS.maxFindingsPerRule,
  };
  const keyLog = await loadKeyLog(options.keylog, io.env, anomalies.report);
  const showSecrets = options.showSecrets === true;
  const recordSecrets = options.recordSecrets === true;
  const exitOf = (worst: Severity | undefined): 0 | 1 => (worst !== undefined && reachesThreshold(worst, options.failOn) ? 1 : 0);
  // Outputs that every run has: the recording, when asked for.
  const recorder = options.record ? await harRecorderAddon(options.record, { masked: !recordSecrets, toolVersion: TOOL_VERSION }) : undefined;
  const common: InspectorAddon[] = recorder ? [recorder] : [];
  const log = (line: string): void => void io.stderr.write(`oauth-inspect: ${terminalSafe(line)}\n`);
  if (dashboard) {
    const { runScanDashboard } = await import('../tui/index.js');
    try {
      await runScanDashboard(
        files,
        (addons, signal) => scanFiles(files, config, [...addons, ...common], { limits, read: { keyLog, signal: stopReading }, signal, log, recordSecrets }),
        {
          showSecrets,
          meta: (worst) => reportMeta(config, options.failOn, exitOf(worst)),
          env: io.env,
          ...(config.file ? { rulesFile: config.file } : {}),
          ...(keyboard ? { input: keyboard } : {}),
        },
      );
    } finally {
      keyboard?.destroy();
    }
    return EXIT_OK;
  }
  keyboard?.destroy();
  const stderrAnomalies: InspectorAddon = { name: 'anomaly lines', anomaly: anomalies.report };
  const output: InspectorAddon =
    options.format === 'jsonl'
      ? jsonlAddon(options.output ? await openReportStream(options.output) : io.stdout, showSecrets, exitOf, options.output !== undefined)
      : reportAddon({
          format: options.format,
          showSecrets,
          color: options.format === 'text' && !options.output && shouldColor(io.stdout, io.env),
          meta: (summary) => reportMeta(config, options.failOn, exitOf(summary.worstSeverity)),
          write: await reportWriter(options.output, io),
        });
  const outcome = await scanFiles(files, config, [stderrAnomalies, ...common, output], { limits, read: { keyLog, signal: stopReading }, log, recordSecrets });
  anomalies.finish();
  if (outcome.droppedExchanges > 0 || outcome.droppedFindings > 0) {
    io.stderr.write(
      `warning: the report lists ${outcome.result.exchanges.length} of ${outcome.exchangeCount} exchanges and ` +
        `${outcome.result.findings.length} of ${outcome.result.findings.length + outcome.droppedFindings} findings ` +
        `(--max-exchanges ${limits.maxExchanges}, --max-findings-per-rule ${limits.maxFindingsPerRule}); counts and the exit code include them all\n`,
    );
  }
  if (recorder) io.stderr.write(`oauth-inspect: recorded ${plural(recorder.entries, 'exchange')} to ${options.record}\n`);
  return exitOf(outcome.worstSeverity) === 1 ? EXIT_FINDINGS : EXIT_OK;
}

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
