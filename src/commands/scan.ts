// `oauth-inspect scan`: decode every credential, run the rules, write a report, decide the exit code.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig, resolveConfig, type ConfigFlags, type ResolvedConfig } from '../config/index.js';
import { InputError } from '../model/index.js';
import { DEFAULT_SCAN_LIMITS, scanFiles, type ScanOutcome } from '../pipeline/scan.js';
import { ruleList } from '../rules/index.js';
import { AnomalyReporter } from '../report/anomaly-reporter.js';
import { reachesThreshold, type FailOn } from '../report/exit-code.js';
import { shouldColor } from '../report/format-color.js';
import { formatJson } from '../report/format-json.js';
import { formatJunit } from '../report/format-junit.js';
import { formatSarif } from '../report/format-sarif.js';
import { formatText } from '../report/format-text.js';
import { reportRuleOf, type ReportMeta, type ScanFormatter } from '../report/report-meta.js';
import { loadKeyLog } from '../tls/load-key-log.js';
import { terminalAvailable } from '../tui/terminal.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';

export type ScanFormat = 'text' | 'json' | 'junit' | 'sarif';

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
}

const FORMATTERS: Readonly<Record<ScanFormat, ScanFormatter>> = {
  text: formatText,
  json: formatJson,
  junit: formatJunit,
  sarif: formatSarif,
};

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

export async function scanCommand(files: readonly string[], options: ScanOptions, io: CliIo): Promise<number> {
  const config = await configFor(options);
  const dashboard = options.tui === true && terminalAvailable(process.stdin, io.stdout, io.env);
  if (options.tui && !dashboard) io.stderr.write('oauth-inspect: --tui needs a terminal (stdin and stdout); writing the text report instead\n');
  const anomalies = new AnomalyReporter((line) => io.stderr.write(`${line}\n`));
  const limits = {
    maxExchanges: options.maxExchanges ?? DEFAULT_SCAN_LIMITS.maxExchanges,
    maxFindingsPerRule: options.maxFindingsPerRule ?? DEFAULT_SCAN_LIMITS.maxFindingsPerRule,
  };
  const keyLog = await loadKeyLog(options.keylog, io.env, anomalies.report);
  if (dashboard) {
    const { runScanDashboard } = await import('../tui/index.js');
    await runScanDashboard(files, (events) => scanFiles(files, config, events, limits, { keyLog }), {
      showSecrets: options.showSecrets === true,
      meta: (worst) => reportMeta(config, options.failOn, worst !== undefined && reachesThreshold(worst, options.failOn) ? 1 : 0),
      env: io.env,
      ...(config.file ? { rulesFile: config.file } : {}),
    });
    return EXIT_OK;
  }
  const outcome = await scanFiles(files, config, { anomaly: anomalies.report }, limits, { keyLog });
  anomalies.finish();
  if (outcome.droppedExchanges > 0 || outcome.droppedFindings > 0) {
    io.stderr.write(
      `warning: the report lists ${outcome.result.exchanges.length} of ${outcome.exchangeCount} exchanges and ` +
        `${outcome.result.findings.length} of ${outcome.result.findings.length + outcome.droppedFindings} findings ` +
        `(--max-exchanges ${limits.maxExchanges}, --max-findings-per-rule ${limits.maxFindingsPerRule}); counts and the exit code include them all\n`,
    );
  }
  const exitCode = exitCodeOf(outcome, options.failOn);
  const meta = reportMeta(config, options.failOn, exitCode);
  const target = options.output;
  const color = options.format === 'text' && !target && shouldColor(io.stdout, io.env);
  const report = FORMATTERS[options.format](outcome.result, meta, { showSecrets: options.showSecrets === true, color });
  if (target) {
    try {
      await writeFile(target, report.endsWith('\n') ? report : `${report}\n`);
    } catch (error) {
      throw new InputError('unreadable', `cannot write report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, target);
    }
  } else {
    io.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
  }
  return exitCode === 1 ? EXIT_FINDINGS : EXIT_OK;
}

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
