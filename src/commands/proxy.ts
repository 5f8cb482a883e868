// `oauth-inspect proxy`: a live proxy whose exchanges go through the same decode stage and rules as `scan`.
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { InputError } from '../model/index.js';
import { defaultCaDir, openCaStore } from '../proxy/ca-store.js';
import { LiveOutput } from '../proxy/live-output.js';
import { ProxyServer } from '../proxy/proxy-server.js';
import { HarWriter } from '../report/har-writer.js';
import { TOOL_NAME } from '../report/report-meta.js';
import { plural } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalAvailable } from '../tui/terminal.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_OK, type CliIo } from './io.js';
import { configFor, reportMeta } from './scan.js';
import { collect, withConfigOptions } from './config-options.js';

export interface ProxyOptions {
  readonly port: number;
  readonly host: string;
  readonly format: 'text' | 'jsonl';
  /** true: dashboard; false: lines; undefined: dashboard when on a terminal and the format is text. */
  readonly tui?: boolean;
  readonly caDir?: string;
  readonly record?: string;
  readonly recordSecrets?: boolean;
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

/** Resolves on SIGINT or SIGTERM (listeners removed afterwards). */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs the proxy until `stop` resolves (default: Ctrl-C / SIGTERM, or quitting the dashboard). */
export async function proxyCommand(options: ProxyOptions, io: CliIo, stop: Promise<void> = interrupted()): Promise<number> {
  const config = await configFor(options);
  const via = options.upstream ? urlOption(options.upstream, '--upstream', ['http:']) : undefined;
  const reverse = options.reverse ? urlOption(options.reverse, '--reverse', ['http:', 'https:']) : undefined;
  const extraCa = options.upstreamCa?.length ? await readPemFiles(options.upstreamCa) : undefined;
  const ca = await openCaStore(options.caDir ?? defaultCaDir(io.env));
  let proxy: ProxyServer;
  try {
    proxy = await ProxyServer.start({
      host: options.host,
      port: options.port,
      ca,
      config,
      upstream: { insecure: options.insecureUpstream === true, ...(via ? { via } : {}), ...(extraCa ? { extraCa } : {}) },
      ...(reverse ? { reverse } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError('bad-usage', `cannot listen on ${options.host}:${options.port} (${code})`);
  }
  const recording = options.record
    ? await HarWriter.create(options.record, { mask: options.recordSecrets !== true, creator: { name: TOOL_NAME, version: TOOL_VERSION } })
    : undefined;
  if (recording) proxy.onExchange((exchange) => recording.add(exchange));

  const showSecrets = options.showSecrets === true;
  const { host, port } = proxy.address;
  const listening = `listening on ${host.includes(':') ? `[${host}]` : host}:${port}${reverse ? ` (reverse proxy for ${reverse.origin})` : ''}; CA certificate ${ca.certPath}`;
  const wantsDashboard = options.tui ?? options.format === 'text';
  const canDashboard = options.format === 'text' && terminalAvailable(process.stdin, io.stdout, io.env);
  let dashboardQuit: Promise<void> | undefined;
  let closeOutput: () => Promise<void>;
  if (wantsDashboard && canDashboard) {
    const { startLiveDashboard } = await import('../tui/index.js');
    const dashboard = startLiveDashboard({
      source: `proxy ${host}:${port}`,
      showSecrets,
      meta: (worst) => reportMeta(config, 'error', worst === undefined ? 0 : 1),
      env: io.env,
      ...(config.file ? { rulesFile: config.file } : {}),
    });
    proxy.onJudged((judgement) => dashboard.push(judgement)).onLog((line) => dashboard.log(line));
    dashboard.log(listening);
    dashboardQuit = dashboard.whenQuit();
    closeOutput = () => dashboard.close();
  } else {
    if (options.tui === true) io.stderr.write('oauth-inspect: --tui needs a terminal and --format text; writing lines instead\n');
    const output = new LiveOutput(options.format === 'jsonl' ? io.stdout : io.stderr, options.format, showSecrets);
    proxy.onJudged(output.judged).onLog((line) => io.stderr.write(`oauth-inspect proxy: ${terminalSafe(line)}\n`));
    io.stderr.write(`oauth-inspect proxy: ${listening}\n`);
    closeOutput = () => output.end();
  }

  await (dashboardQuit ? Promise.race([stop, dashboardQuit]) : stop);
  try {
    await proxy.close();
  } finally {
    await closeOutput();
    await recording?.close();
  }
  if (recording && !dashboardQuit) io.stderr.write(`oauth-inspect proxy: recorded ${plural(recording.entries, 'exchange')} to ${options.record}\n`);
  return EXIT_OK;
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
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--format <format>', 'live output: text lines on stderr, or JSON Lines on stdout').choices(['text', 'jsonl'] as const).default('text' as const))
    .option('--tui', 'show the live dashboard (default on a terminal)')
    .option('--no-tui', 'write lines instead of the dashboard')
    .option('--ca-dir <dir>', 'where the proxy CA lives (default $XDG_CONFIG_HOME/oauth-inspect/ca)')
    .option('--record <file.har>', 'record the session as HAR 1.2, secrets masked, flushed per exchange')
    .option('--record-secrets', 'keep secrets unmasked in the recording (for private fixtures)')
    .option('--upstream <url>', 'send everything through this HTTP proxy (http://host:port)')
    .option('--upstream-ca <file>', 'extra CA certificate (PEM) trusted for upstream servers; repeatable', collect)
    .option('--insecure-upstream', 'do not verify upstream servers\' TLS certificates')
    .option('--reverse <url>', 'reverse-proxy mode: clients connect here as if to this server (https://exchange.test:443)')
    .option('--show-secrets', 'print credential values unmasked')
    .action(async (options) => {
      setExit(await proxyCommand(options, io));
    });
}
