// `oauth-inspect proxy`: a live proxy whose exchanges go through the same decode stage and rules as `scan`.
import { readFile } from 'node:fs/promises';
import { InputError, type Severity } from '../model/index.js';
import { Inspector, type InspectorAddon } from '../pipeline/inspector.js';
import { defaultCaDir, openCaStore } from '../proxy/ca-store.js';
import { KeyLogFile } from '../proxy/key-log-file.js';
import { ProxyServer } from '../proxy/proxy-server.js';
import { DEFAULT_TIMEOUTS } from '../proxy/timeouts.js';
import { reachesThreshold, type FailOn } from '../report/exit-code.js';
import { harRecorderAddon } from '../report/har-recorder-addon.js';
import { jsonlAddon } from '../report/jsonl-addon.js';
import { ecsAddon } from '../report/ecs-addon.js';
import { liveLinesAddon } from '../report/live-lines-addon.js';
import { reportAddon, type ReportFormat } from '../report/report-addon.js';
import { plural } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalAvailable } from '../tui/terminal.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';
import { configFor, docsBaseFor, ecsContext, reportMeta, reportWriter } from './scan.js';
import { onInterrupt } from './stop-reading.js';

export interface ProxyOptions {
  readonly port: number;
  readonly host: string;
  /** Seconds (see ProxyTimeouts); defaults DEFAULT_TIMEOUTS. */
  readonly upstreamTimeout?: number;
  readonly connectTimeout?: number;
  readonly idleTimeout?: number;
  readonly format: 'text' | 'jsonl' | 'ecs';
  /** true: dashboard; false: lines; undefined: dashboard when on a terminal and the format is text. */
  readonly tui?: boolean;
  readonly caDir?: string;
  readonly record?: string;
  readonly recordSecrets?: boolean;
  /** Appends the NSS key log of both TLS legs to this file. */
  readonly keylog?: string;
  /** The whole session's report, written when the proxy stops. */
  readonly report?: string;
  readonly reportFormat?: ReportFormat;
  readonly failOn?: FailOn;
  readonly upstream?: string;
  readonly upstreamCa?: string[];
  readonly insecureUpstream?: boolean;
  readonly reverse?: string;
  readonly showSecrets?: boolean;
  readonly rules?: string;
  readonly config?: string | boolean;
  readonly realm?: string[];
  readonly issuer?: string[];
  readonly cert?: string[];
  readonly metadata?: string[];
}

function urlOption(value: string, flag: string, schemes: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('bad-usage', `${flag} ${value}: not a URL`);
  }
  if (!schemes.includes(url.protocol)) throw new InputError('bad-usage', `${flag} ${value}: must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
  return url;
}

async function readPemFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InputError('not-found', `cannot read CA file (${error.code ?? String(error)})`, file);
      });
      // Without a PEM block TLS would silently trust nothing more: say so before listening.
      if (!text.includes('-----BEGIN CERTIFICATE-----')) {
        throw new InputError('bad-config', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA certificate as PEM (openssl x509 -inform der -in ca.cer -out ca.pem)', file);
      }
      return text;
    }),
  );
}

/** A warning when other machines can reach the listening address (anything but loopback), else undefined. */
export function exposureWarning(address: string): string | undefined {
  const loopback = /^(?:127\.|::1$|::ffff:127\.)/i.test(address);
  if (loopback) return undefined;
  const where = address === '0.0.0.0' || address === '::' ? `${address} (every interface)` : address;
  return `warning: listening on ${where}: other machines can reach this intercepting proxy and see its decrypted traffic; use --host 127.0.0.1 unless that is meant`;
}

/**
 * Runs the proxy until `stop` resolves (default: the first SIGINT / SIGTERM, or quitting the
 * dashboard); exits as scan does by --fail-on. The signal handlers exist only while it serves.
 */
export async function proxyCommand(options: ProxyOptions, io: CliIo, stop?: Promise<void>): Promise<number> {
  const config = await configFor(options);
  const failOn = options.failOn ?? 'error';
  const exitOf = (worst: Severity | undefined): 0 | 1 => (worst !== undefined && reachesThreshold(worst, failOn) ? 1 : 0);
  const via = options.upstream ? urlOption(options.upstream, '--upstream', ['http:']) : undefined;
  const reverse = options.reverse ? urlOption(options.reverse, '--reverse', ['http:', 'https:']) : undefined;
  const extraCa = options.upstreamCa?.length ? await readPemFiles(options.upstreamCa) : undefined;
  const ca = await openCaStore(options.caDir ?? defaultCaDir(io.env));
  // The recording is opened before listening: a path that cannot be written stops here, with one line.
  const recorder = options.record ? await harRecorderAddon(options.record, { masked: options.recordSecrets !== true, toolVersion: TOOL_VERSION }) : undefined;
  // The session report's file too is created before listening: an unwritable path stops here.
  const writeSessionReport = options.report ? await reportWriter(options.report, io).catch(async (error: unknown) => {
    await recorder?.close();
    throw error;
  }) : undefined;
  // The key log too is opened before listening; it is closed once the proxy has stopped.
  const keyLog = options.keylog ? await KeyLogFile.open(options.keylog).catch(async (error: unknown) => {
    await recorder?.close();
    throw error;
  }) : undefined;
  let proxy: ProxyServer;
  try {
    proxy = await ProxyServer.start({
      host: options.host,
      port: options.port,
      ca,
      timeouts: {
        connectMs: (options.connectTimeout ?? DEFAULT_TIMEOUTS.connectMs / 1000) * 1000,
        upstreamMs: (options.upstreamTimeout ?? DEFAULT_TIMEOUTS.upstreamMs / 1000) * 1000,
        idleMs: (options.idleTimeout ?? DEFAULT_TIMEOUTS.idleMs / 1000) * 1000,
      },
      upstream: { insecure: options.insecureUpstream === true, ...(via ? { via } : {}), ...(extraCa ? { extraCa } : {}) },
      ...(reverse ? { reverse } : {}),
      ...(keyLog ? { keyLog: (line: Buffer) => keyLog.write(line) } : {}),
    });
  } catch (error) {
    await recorder?.close();
    await keyLog?.close();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError('bad-usage', `cannot listen on ${options.host}:${options.port} (${code})`);
  }

  // From here the first SIGINT / SIGTERM stops the proxy; the handlers go when it has stopped.
  const interrupt = stop ? undefined : onInterrupt();
  try {
    const showSecrets = options.showSecrets === true;
    const { host, port } = proxy.address;
    const exposure = exposureWarning(host);
    if (exposure) io.stderr.write(`oauth-inspect proxy: ${exposure}\n`);
    if (keyLog?.exposedMode !== undefined) {
      io.stderr.write(`oauth-inspect proxy: warning: the key log ${options.keylog} is readable by other users (mode ${keyLog.exposedMode.toString(8)}); chmod 600 it\n`);
    }
    const listening = `listening on ${host.includes(':') ? `[${host}]` : host}:${port}${reverse ? ` (reverse proxy for ${reverse.origin})` : ''}; CA certificate ${ca.certPath}`;
    const wantsDashboard = options.tui ?? options.format === 'text';
    const canDashboard = options.format === 'text' && terminalAvailable(process.stdin, io.stdout, io.env);
    const addons: InspectorAddon[] = recorder ? [recorder] : [];
    if (writeSessionReport) {
      addons.push(
        reportAddon({
          format: options.reportFormat ?? 'text',
          showSecrets,
          meta: (summary) => reportMeta(config, failOn, exitOf(summary.worstSeverity), docsBaseFor(undefined, io.env)),
          write: writeSessionReport,
        }),
      );
    }
    let dashboardQuit: Promise<void> | undefined;
    let closeDashboard: (() => Promise<void>) | undefined;
    const log = (line: string): void => void io.stderr.write(`oauth-inspect proxy: ${terminalSafe(line)}\n`);
    let logLine = log;
    if (wantsDashboard && canDashboard) {
      const { dashboardAddon, startLiveDashboard } = await import('../tui/index.js');
      const dashboard = startLiveDashboard({
        source: `proxy ${host}:${port}`,
        showSecrets,
        meta: (worst) => reportMeta(config, failOn, exitOf(worst), docsBaseFor(undefined, io.env)),
        env: io.env,
        ...(config.file ? { rulesFile: config.file } : {}),
      });
      addons.push(dashboardAddon(dashboard));
      logLine = (line) => dashboard.log(line);
      dashboard.log(listening);
      if (exposure) dashboard.log(exposure);
      dashboardQuit = dashboard.whenQuit();
      closeDashboard = () => dashboard.close();
    } else {
      if (options.tui === true) io.stderr.write('oauth-inspect: --tui needs a terminal and --format text; writing lines instead\n');
      addons.push(
        options.format === 'jsonl'
          ? jsonlAddon(io.stdout, showSecrets, exitOf)
          : options.format === 'ecs'
            ? ecsAddon(io.stdout, ecsContext(docsBaseFor(undefined, io.env)))
            : liveLinesAddon(io.stderr, showSecrets, 'proxy'),
      );
      io.stderr.write(`oauth-inspect proxy: ${listening}\n`);
    }
    // Live traffic is judged against the clock of the moment it passes: "now".
    const inspector = new Inspector(config, addons, { clockLabel: 'now', log: (line) => logLine(line), recordSecrets: options.recordSecrets === true });
    proxy.onExchange(inspector.exchange).onLog((line) => logLine(line));

    const stopped = stop ?? interrupt!.stopped;
    await (dashboardQuit ? Promise.race([stopped, dashboardQuit]) : stopped);
    let worst: Severity | undefined;
    try {
      await proxy.close();
      await keyLog?.close();
    } finally {
      await closeDashboard?.();
      worst = (await inspector.finish([])).worstSeverity;
    }
    if (recorder && !dashboardQuit) log(`recorded ${plural(recorder.entries, 'exchange')} to ${options.record}`);
    if (options.report && !dashboardQuit) log(`wrote the session report to ${options.report}`);
    return exitOf(worst) === 1 ? EXIT_FINDINGS : EXIT_OK;
  } catch (error) {
    await proxy.close();
    await recorder?.close().catch(() => undefined);
    await keyLog?.close().catch(() => undefined);
    throw error;
  } finally {
    interrupt?.dispose();
  }
}
