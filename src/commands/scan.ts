// `oauth-inspect scan`: decode every credential, run the rules, write a report, decide the exit code.
import { open, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
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
import { ecsAddon } from '../report/ecs-addon.js';
import type { EcsContext } from '../report/ecs-event.js';
import { reportAddon, type ReportFormat } from '../report/report-addon.js';
import { reportRuleOf, TOOL_NAME, type ReportMeta, type ScanRun } from '../report/report-meta.js';
import { BaselineMatcher } from '../report/baseline.js';
import { baselineWriterAddon } from '../report/baseline-addon.js';
import { readBaselineFile } from '../report/baseline-file.js';
import { ScanRunClock } from '../report/scan-run.js';
import { plural } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { loadKeyLog } from '../tls/load-key-log.js';
import { controllingTerminalInput, terminalAvailable } from '../tui/terminal.js';
import { TOOL_REPOSITORY, TOOL_VERSION } from '../version.js';
import { docsBaseUri, DOCS_URL_ENV } from '../report/docs-url.js';
import { readAnomalyHelp, readRuleHelp } from '../report/rule-help.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type CliIo } from './io.js';
import { isReportFormat, prepareReportFolder, reportPathFor, watchedCaptures, watchUsageError, writeReportAtomically } from './scan-watch.js';
import { chosenConfig } from './config-options.js';
import { stopReadingOn } from './stop-reading.js';
import { openReportStream } from './report-stream.js';
import { progressFor } from './progress-choice.js';
import type { ProgressLine } from '../report/progress-line.js';
import { STDIN_PATH } from '../sources/input-file.js';
import { refuseOutputOverInput } from './output-not-input.js';

export type ScanFormat = ReportFormat | 'jsonl' | 'ecs';

export interface ScanOptions {
  readonly format: ScanFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly showSecrets?: boolean;
  readonly rules?: string;
  readonly config?: string | boolean;
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
  /** Base URL of the rule pages in reports (default: the repository at this version). */
  readonly docsUrl?: string;
  /** Findings accepted in this baseline file are suppressed (listed as such, not counted). */
  readonly baseline?: string;
  /** Record this scan's findings as a baseline file. */
  readonly writeBaseline?: string;
  /** Scan each rotated capture of this folder once it is closed, until SIGINT/SIGTERM (no capture arguments then). */
  readonly watch?: string;
  /** No progress line and no informational stderr lines (warnings and errors stay). */
  readonly quiet?: boolean;
}


/** Where rule pages are linked: the repository's docs at this version unless `--docs-url` or $OAUTH_INSPECT_DOCS_URL says. */
export function docsBaseFor(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return docsBaseUri(TOOL_REPOSITORY, TOOL_VERSION, flag ?? env[DOCS_URL_ENV]);
}

export async function configFor(options: Pick<ScanOptions, 'config' | 'rules' | 'realm' | 'issuer' | 'cert' | 'metadata'>): Promise<ResolvedConfig> {
  const flags: ConfigFlags = {
    ...(options.realm?.length ? { realms: options.realm } : {}),
    ...(options.issuer?.length ? { issuers: options.issuer } : {}),
    ...(options.cert?.length ? { certificates: options.cert } : {}),
    ...(options.metadata?.length ? { metadata: options.metadata } : {}),
  };
  const file = await chosenConfig(options);
  return file ? loadConfig(file.path, flags, file) : resolveConfig(undefined, flags);
}

export function reportMeta(config: ResolvedConfig, failOn: FailOn, exitCode: 0 | 1, docsBase = docsBaseFor(undefined, {}), run?: ScanRun): ReportMeta {
  const described = ruleList.map((rule) => {
    const setting = config.rules[rule.id];
    const page = new URL(rule.docs, docsBase).href;
    const help = readRuleHelp(packageRoot, rule.docs, page);
    // The configured severity is the rule's default in reports (security-severity follows it).
    return { ...reportRuleOf(rule), ...(setting !== undefined && setting !== 'off' && { severity: setting }), ...(help && { help }) };
  });
  return {
    rules: described.filter((rule) => config.rules[rule.id] !== 'off'),
    disabledRules: described.filter((rule) => config.rules[rule.id] === 'off'),
    anomalyHelp: readAnomalyHelp(packageRoot, new URL('docs/anomalies.md', docsBase).href),
    informationUri: TOOL_REPOSITORY,
    ...(run && { run }),
    toolVersion: TOOL_VERSION,
    docsBaseUri: docsBase,
    ...(config.file ? { configPath: config.file } : {}),
    failOn,
    exitCode,
  };
}

/** What ECS documents name besides the event: this tool, this host, where rule pages are. */
export function ecsContext(docsBase: string): EcsContext {
  return { toolVersion: TOOL_VERSION, hostname: hostname(), docsBaseUri: docsBase, ruleNames: new Map(ruleList.map((rule) => [rule.id, rule.title])) };
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

export async function scanCommand(files: readonly string[], options: ScanOptions, io: CliIo): Promise<number> {
  const usage = watchUsageError(files, options);
  if (usage) {
    io.stderr.write(`oauth-inspect: ${usage}\n`);
    return EXIT_INPUT;
  }
  // No progress for a watch (it runs for days) or the dashboard (it shows its own).
  const progress =
    options.watch === undefined && options.tui !== true
      ? await progressFor(files, { ...(options.quiet ? { quiet: true } : {}), streamsToStdout: (options.format === 'jsonl' || options.format === 'ecs') && !options.output }, io)
      : undefined;
  const shown: CliIo = progress ? { ...io, stderr: progress.lines(io.stderr) } : io;
  // Ctrl-C, SIGTERM or a closed stdout (`| head`) stops reading: a live pipe ends with the report of what was seen.
  const stop = options.watch === undefined ? stopReadingOn(shown) : stopReadingOn(shown, 'ending the watch once the capture being written is scanned');
  try {
    return await scan(files, options, shown, stop.signal, progress);
  } finally {
    progress?.finish();
    stop.dispose();
  }
}

async function scan(files: readonly string[], options: ScanOptions, io: CliIo, stopReading: AbortSignal, progress?: ProgressLine): Promise<number> {
  // A --docs-url that is not a URL is a usage error before anything is read, not a report that fails at the end.
  docsBaseFor(options.docsUrl, io.env);
  await refuseOutputOverInput([['--output', options.output], ['--record', options.record], ['--write-baseline', options.writeBaseline]], [...files, ...(options.keylog ? [options.keylog] : [])]);
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
  const baseline = options.baseline ? new BaselineMatcher(await readBaselineFile(options.baseline), options.baseline, files) : undefined;
  const baselineWriter = options.writeBaseline ? await baselineWriterAddon(options.writeBaseline, `${TOOL_NAME} ${TOOL_VERSION}`) : undefined;
  const common: InspectorAddon[] = [...(recorder ? [recorder] : []), ...(baselineWriter ? [baselineWriter] : [])];
  const suppress = baseline ? { suppress: baseline.suppress } : {};
  const withBaseline = (meta: ReportMeta): ReportMeta => (baseline ? { ...meta, baseline: baseline.outcome() } : meta);
  const log = (line: string): void => void io.stderr.write(`oauth-inspect: ${terminalSafe(line)}\n`);
  if (dashboard) {
    const { runScanDashboard } = await import('../tui/index.js');
    try {
      await runScanDashboard(
        files,
        (addons, signal) => scanFiles(files, config, [...addons, ...common], { limits, read: { keyLog, signal: stopReading }, signal, log, recordSecrets, ...suppress }),
        {
          showSecrets,
          meta: (worst) => withBaseline(reportMeta(config, options.failOn, exitOf(worst), docsBaseFor(options.docsUrl, io.env))),
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
  const watchDir = options.watch;
  // A watch reads each closed file whole; SIGINT/SIGTERM ends the watch (after the file being written), not a read.
  const inputs = watchDir !== undefined ? await watchedCaptures(watchDir, stopReading) : files;
  const read = watchDir !== undefined ? { keyLog } : { keyLog, signal: stopReading, ...(progress ? { onInput: progress.input } : {}) };
  // The progress line is erased before any report is written (addons are done in order).
  const progressEnd: InspectorAddon[] = progress ? [{ name: 'progress', done: () => progress.finish() }] : [];
  const format = options.format;
  /** Scans `captures` through one Inspector; a watch logs an unreadable file and goes on. */
  const scanThrough = (captures: Iterable<string> | AsyncIterable<string>, output: (clock: ScanRunClock) => InspectorAddon, onUnreadable?: (error: InputError) => void): Promise<ScanOutcome> => {
    const clock = new ScanRunClock();
    return scanFiles(captures, config, [...progressEnd, stderrAnomalies, ...common, output(clock)], {
      ...(progress ? { onCounts: progress.counting } : {}),
      limits,
      read,
      log,
      recordSecrets,
      ...suppress,
      ...(watchDir !== undefined ? { onUnreadable: onUnreadable ?? ((error: InputError) => log(error.oneLine())) } : {}),
      onSourceDone: (source, started, seconds) => clock.source(source.file, started, seconds),
    });
  };
  const report = (reportFormat: ReportFormat, write: (report: string) => Promise<void>) => (clock: ScanRunClock): InspectorAddon =>
    reportAddon({
      format: reportFormat,
      showSecrets,
      color: reportFormat === 'text' && !options.output && shouldColor(io.stdout, io.env),
      meta: (summary) => withBaseline(reportMeta(config, options.failOn, exitOf(summary.worstSeverity), docsBaseFor(options.docsUrl, io.env), clock.run())),
      write,
    });
  const watchEnded = (captures: number, exchanges: number, findings: number): void => {
    if (!options.quiet) log(`watch of ${watchDir} ended: ${plural(captures, 'capture')}, ${plural(exchanges, 'exchange')}, ${plural(findings, 'finding')}`);
  };
  if (watchDir !== undefined && isReportFormat(format)) {
    // One report per rotated capture, as `scan CAPTURE` writes it: on stdout, or OUTDIR/<capture>.<ext>.
    const outputDir = options.output;
    if (outputDir) await prepareReportFolder(outputDir);
    const total = { captures: 0, exchanges: 0, findings: 0, fails: false };
    for await (const capture of inputs) {
      let unreadable = false;
      const write = async (text: string): Promise<void> => {
        if (unreadable) return;
        if (outputDir) await writeReportAtomically(reportPathFor(outputDir, capture, format), text);
        else io.stdout.write(text);
      };
      const outcome = await scanThrough([capture], report(format, write), (error) => {
        unreadable = true;
        log(error.oneLine());
      });
      if (unreadable) continue;
      total.captures++;
      total.exchanges += outcome.exchangeCount;
      total.findings += findingTotal(outcome);
      total.fails ||= exitOf(outcome.worstSeverity) === 1;
    }
    anomalies.finish();
    watchEnded(total.captures, total.exchanges, total.findings);
    return total.fails ? EXIT_FINDINGS : EXIT_OK;
  }
  const stream = async (): Promise<Writable> => (options.output ? await openReportStream(options.output, watchDir !== undefined) : io.stdout);
  const output: InspectorAddon | ((clock: ScanRunClock) => InspectorAddon) =
    format === 'jsonl'
      ? jsonlAddon(await stream(), showSecrets, exitOf, options.output !== undefined)
      : format === 'ecs'
      ? ecsAddon(await stream(), ecsContext(docsBaseFor(options.docsUrl, io.env)), options.output !== undefined)
      : report(format, await reportWriter(options.output, io));
  const outcome = await scanThrough(inputs, typeof output === 'function' ? output : () => output);
  if (watchDir !== undefined) watchEnded(outcome.sources.length, outcome.exchangeCount, findingTotal(outcome));
  anomalies.finish();
  if (outcome.droppedExchanges > 0 || outcome.droppedFindings > 0) {
    io.stderr.write(
      `warning: the report lists ${outcome.result.exchanges.length} of ${outcome.exchangeCount} exchanges and ` +
        `${outcome.result.findings.length} of ${outcome.result.findings.length + outcome.droppedFindings} findings ` +
        `(--max-exchanges ${limits.maxExchanges}, --max-findings-per-rule ${limits.maxFindingsPerRule}); counts and the exit code include them all\n`,
    );
  }
  if (recorder && !options.quiet) io.stderr.write(`oauth-inspect: recorded ${plural(recorder.entries, 'exchange')} to ${options.record}\n`);
  if (baselineWriter && !options.quiet) io.stderr.write(`oauth-inspect: wrote ${plural(baselineWriter.entries, 'finding')} to the baseline ${options.writeBaseline}\n`);
  return exitOf(outcome.worstSeverity) === 1 ? EXIT_FINDINGS : EXIT_OK;
}

/** Findings counted over every severity. */
function findingTotal(outcome: ScanOutcome): number {
  return outcome.findingCounts.error + outcome.findingCounts.warning + outcome.findingCounts.note;
}

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
