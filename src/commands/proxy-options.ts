// The `proxy` command's arguments and options; the proxy itself (proxy.ts and its dependencies) loads only when it runs.
import { Option, type Command } from '@commander-js/extra-typings';
import { InputError } from '../model/errors.js';
import { DEFAULT_TIMEOUTS } from '../proxy/timeouts.js';
import { collect, withConfigOptions } from './config-options.js';
import type { CliIo } from './io.js';

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
    .addOption(new Option('--format <format>', 'live output: text lines on stderr, or JSON Lines or ECS NDJSON (docs/ecs.md) on stdout').choices(['text', 'jsonl', 'ecs'] as const).default('text' as const))
    .option('--tui', 'show the live dashboard (default on a terminal)')
    .option('--no-tui', 'write lines instead of the dashboard')
    .option('--ca-dir <dir>', 'where the proxy CA lives (default $XDG_CONFIG_HOME/oauth-inspect/ca)')
    .option('--record <file.har>', 'record the session as HAR 1.2, secrets masked, flushed per exchange')
    .option('--record-secrets', 'keep secrets unmasked in the recording (for private fixtures)')
    .option('--keylog <file>', 'append the TLS key log (SSLKEYLOGFILE format) of both legs, client-proxy and proxy-server, to this file (created 0600): a capture taken beside the proxy opens decrypted')
    .option('--report <file>', 'write the whole session\'s report to this file when the proxy stops (SIGINT, SIGTERM, q)')
    .option('-o, --output <file>', 'same as --report')
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
      const { proxyCommand } = await import('./proxy.js');
      const { output, ...rest } = options;
      setExit(await proxyCommand({ ...rest, ...(rest.report === undefined && output !== undefined ? { report: output } : {}) }, io));
    });
}
