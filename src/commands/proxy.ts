// `oauth-inspect proxy`: a live proxy whose exchanges go through the same decode stage and rules as `scan`.
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { InputError, type Severity } from '../model/index.js';
import { Inspector, type InspectorAddon } from '../pipeline/inspector.js';
import { defaultCaDir, openCaStore } from '../proxy/ca-store.js';
import { DEFAULT_TIMEOUTS, ProxyServer } from '../proxy/proxy-server.js';
import { reachesThreshold, type FailOn } from '../report/exit-code.js';
import { harRecorderAddon } from '../report/har-recorder-addon.js';
import { jsonlAddon } from '../report/jsonl-addon.js';
import { liveLinesAddon } from '../report/live-lines-addon.js';
import { reportAddon, type ReportFormat } from '../report/report-addon.js';
import { plural } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalAvailable } from '../tui/terminal.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';
import { configFor, reportMeta, reportWriter } from './scan.js';
import { collect, withConfigOptions } from './config-options.js';
import { onInterrupt } from './stop-reading.js';

export interface ProxyOptions {
  readonly port: number;
  readonly host: string;
  /** Seconds (see ProxyTimeouts); defaults DEFAULT_TIMEOUTS. */
  readonly upstreamTimeout?: number;
  readonly connectTimeout?: number;
  readonly idleTimeout?: number;
  readonly format: 'text' | 'jsonl';
  /** true: dashboard; false: lines; undefined: dashboard when on a terminal and the format is text. */
  readonly tui?: boolean;
  readonly caDir?: string;
  readonly record?: string;
  readonly recordSecrets?: boolean;
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
    files.map((file) =>
      readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InputError('not-found', `cannot read CA file (${error.code ?? String(error)})`, file);
      }),
    ),
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
    });
  } catch (error) {
    await recorder?.close();
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
    const listening = `listening on ${host.includes(':') ? `[${host}]` : host}:${port}${reverse ? ` (reverse proxy for ${reverse.origin})` : ''}; CA certificate ${ca.certPath}`;
    const wantsDashboard = options.tui ?? options.format === 'text';
    const canDashboard = options.format === 'text' && terminalAvailable(process.stdin, io.stdout, io.env);
    const addons: InspectorAddon[] = recorder ? [recorder] : [];
    if (writeSessionReport) {
      addons.push(
        reportAddon({
          format: options.reportFormat ?? 'text',
          showSecrets,
          meta: (summary) => reportMeta(config, failOn, exitOf(summary.worstSeverity)),
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
        meta: (worst) => reportMeta(config, failOn, exitOf(worst)),
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
      addons.push(options.format === 'jsonl' ? jsonlAddon(io.stdout, showSecrets, exitOf) : liveLinesAddon(io.stderr, showSecrets, 'proxy'));
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
    throw error;
  } finally {
    interrupt?.dispose();
  }
}

/** A timeout flag's value: seconds, more than 0, at most a day. */
function secondsOption(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new InputError('bad-usage', `${flag} ${value}: not a number of seconds (more than 0, at most 86400)`);
    return n;
  };
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError('bad-usage', `--port ${value}: not a port number (0-65535)`);
  return n;
}

export function registerProxyCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfigOptions(program.command('proxy'))
    .description('run a live HTTP/HTTPS proxy and judge every exchange as it passes (same rules as scan)')
    .option('--port <port>', 'port to listen on (0: any free port)', portNumber, 8080)
    .option('--host <address>', 'address to listen on; anything but loopback (0.0.0.0, ::) lets other machines use the proxy and is warned about', '127.0.0.1')
    .addOption(new Option('--format <format>', 'live output: text lines on stderr, or JSON Lines on stdout').choices(['text', 'jsonl'] as const).default('text' as const))
    .option('--tui', 'show the live dashboard (default on a terminal)')
    .option('--no-tui', 'write lines instead of the dashboard')
    .option('--ca-dir <dir>', 'where the proxy CA lives (default $XDG_CONFIG_HOME/oauth-inspect/ca)')
    .option('--record <file.har>', 'record the session as HAR 1.2, secrets masked, flushed per exchange')
    .option('--record-secrets', 'keep secrets unmasked in the recording (for private fixtures)')
    .option('--report <file>', 'write the whole session\'s report to this file when the proxy stops (SIGINT, SIGTERM, q)')
    .addOption(new Option('--report-format <format>', 'format of --report').choices(['text', 'json', 'junit', 'sarif'] as const).default('text' as const))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 when the proxy stops').choices(['error', 'warning', 'note', 'never'] as const).default('error' as const))
    .option('--upstream <url>', 'send everything through this HTTP proxy (http://host:port)')
    .option('--upstream-ca <file>', 'extra CA certificate (PEM) trusted for upstream servers; repeatable', collect)
    .option('--insecure-upstream', 'do not verify upstream servers\' TLS certificates')
    .option('--connect-timeout <seconds>', `give up connecting to a server (TCP and TLS) after this long: the client gets a 502 (default ${DEFAULT_TIMEOUTS.connectMs / 1000})`, secondsOption('--connect-timeout'))
    .option('--upstream-timeout <seconds>', `give up on a connected server that sends nothing for this long: the client gets a 504 (default ${DEFAULT_TIMEOUTS.upstreamMs / 1000})`, secondsOption('--upstream-timeout'))
    .option('--idle-timeout <seconds>', `close a client connection (keep-alive, CONNECT tunnel) idle this long with no request waiting (default ${DEFAULT_TIMEOUTS.idleMs / 1000}; WebSockets are never closed)`, secondsOption('--idle-timeout'))
    .option('--reverse <url>', 'reverse-proxy mode: clients connect here as if to this server (https://exchange.test:443)')
    .option('--show-secrets', 'print credential values unmasked')
    .action(async (options) => {
      setExit(await proxyCommand(options, io));
    });
}
