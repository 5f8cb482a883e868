// The command line: parses arguments, loads and runs a command (its modules only then), and returns its exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { DEFAULT_SCAN_LIMITS } from './pipeline/scan-limits.js';
import { InputError } from './model/errors.js';
import { registerCaCommand } from './commands/ca.js';
import { registerExportCommand } from './commands/export-options.js';
import { registerCompletionCommand } from './commands/completion-options.js';
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, type CliIo } from './commands/io.js';
import { registerProxyCommand } from './commands/proxy-options.js';
import { terminalSafe } from './report/terminal-safe.js';
import { TOOL_VERSION } from './version.js';
import { withConfigOptions } from './commands/config-options.js';
import { applyHelpLayout } from './commands/help-text.js';
import { wantsJson, withTextOrJsonFormat } from './commands/format-option.js';

export type { CliIo } from './commands/io.js';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a positive whole number');
  return n;
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('oauth-inspect')
    .description('Inspect server-to-server OAuth traffic (Exchange, Skype for Business) in captures, HAR files and a live proxy')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // A usage error is one line, like every other error: `oauth-inspect: <problem> (run with --help for usage)`.
      outputError: (s, write) => write(`oauth-inspect: ${terminalSafe(s.trim().replace(/^error: /, ''))} (run with --help for usage)\n`),
    })
    .hook('preAction', async (_program, command) => {
      // Once per run, before any credential is fingerprinted; the key file is read on first need.
      const { fingerprintKey } = command.opts() as { fingerprintKey?: string };
      const [{ fingerprintKeySource }, { setFingerprintKey }] = await Promise.all([import('./config/fingerprint-key.js'), import('./model/index.js')]);
      setFingerprintKey(fingerprintKeySource(fingerprintKey, io.env, (line) => io.stderr.write(`oauth-inspect: ${line}\n`)));
    });

  program
    .command('exchanges')
    .description("list every HTTP exchange in pcap, pcapng, gzip'd, HAR or Fiddler .saz captures")
    .argument('<capture...>', 'capture files (pcap, pcapng, .gz of either, HAR, Fiddler .saz); - reads standard input, and FIFOs and <(…) are read as they arrive')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
    .option('-o, --output <file>', 'write the list to a file instead of stdout')
    .option('--show-secrets', 'print credential values unmasked')
    .option('--keylog <file>', 'TLS key log (NSS format) to decrypt HTTPS; default $SSLKEYLOGFILE')
    .option('-q, --quiet', 'no progress line on stderr (shown on a terminal for inputs over 20 MB or a pipe) and no informational stderr lines; warnings and errors stay')
    .action(async (files, options) => {
      const { exchangesCommand } = await import('./commands/exchanges.js');
      setExit(await exchangesCommand(files, options, io));
    });

  withConfigOptions(program
    .command('scan'))
    .description('find every credential, decode it, and judge it against the S2S OAuth rules')
    .argument('[capture...]', 'capture files (pcap, pcapng, .gz of either, HAR, Fiddler .saz); - reads standard input, and FIFOs and <(…) are read as they arrive')
    .option('--watch <dir>', 'scan each rotated capture of DIR (tcpdump -G/-W) once it is closed, until SIGINT/SIGTERM; jsonl/ecs stream every file to one output, report formats write one report per capture (-o OUTDIR: OUTDIR/<capture>.<ext>)')
    .addOption(
      new Option('--format <format>', 'report format (jsonl: one JSON object per exchange, finding and anomaly as they are judged, then a summary; ecs: Elastic Common Schema NDJSON, see docs/ecs.md)')
        .choices(['text', 'json', 'junit', 'sarif', 'jsonl', 'ecs'] as const)
        .default('text' as const),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout (with --watch and a report format: a folder)')
    .option('--record <file.har>', 'also record the scanned exchanges as HAR 1.2, secrets masked (as the proxy records)')
    .option('--record-secrets', 'keep secrets unmasked in the recording (for private fixtures)')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'note', 'never'] as const).default('error' as const))
    .option('--show-secrets', 'print credential values unmasked')
    .option('--keylog <file>', 'TLS key log (NSS format) to decrypt HTTPS; default $SSLKEYLOGFILE')
    .option('--max-exchanges <n>', 'exchanges listed in the report (counts stay exact beyond)', positiveInteger, DEFAULT_SCAN_LIMITS.maxExchanges)
    .option('--max-findings-per-rule <n>', 'findings listed per rule (counts and exit code stay exact beyond)', positiveInteger, DEFAULT_SCAN_LIMITS.maxFindingsPerRule)
.option('-q, --quiet', 'no progress line on stderr (shown on a terminal for inputs over 20 MB or a pipe) and no informational stderr lines; warnings and errors stay')
    .option('--tui', 'open the terminal dashboard (the text report when stdout is not a terminal)')
    .option('--baseline <file>', 'suppress the findings accepted in this baseline (see --write-baseline); the report counts them and lists the fixed ones')
    .option('--write-baseline <file>', "record this scan's findings (rule, fingerprint, location; no secrets) as a baseline")
    .option('--docs-url <url>', 'base URL of the rule pages linked from reports (default: the repository at this version; or $OAUTH_INSPECT_DOCS_URL)')
    .action(async (files, options) => {
      const { scanCommand } = await import('./commands/scan.js');
      setExit(await scanCommand(files, options, io));
    });

  withTextOrJsonFormat(program
    .command('rules'))
    .description('list every rule with its id, default severity and description')
    .action(async (options) => {
      const { rulesCommand } = await import('./commands/rules.js');
      setExit(rulesCommand({ json: wantsJson(options) }, io));
    });

  withTextOrJsonFormat(withConfigOptions(program
    .command('decode')))
    .description('decode one token (JWT with its actor token, or opaque) and run the token rules on it')
    .argument('<token>', "the token, with or without 'Bearer '; '-' reads it from stdin")
    .option('--at <time>', 'judge validity at this time (ISO 8601) instead of now')
    .option('--host <host>', "the host the token is sent to (default: the host in its 'aud')")
    .action(async (token, options) => {
      const value = token === '-' ? await readStdin() : token;
      if (value.trim().replace(/^bearer\b/i, '').trim() === '') {
        // Nothing to decode: an empty argument, `Bearer` alone, or an empty stdin.
        throw new InputError('bad-usage', token === '-' ? 'is empty: no token was written to it' : 'decode: no token given (an empty argument)', token === '-' ? '-' : undefined);
      }
      const { decodeCommand } = await import('./commands/decode.js');
      setExit(await decodeCommand(value, { ...options, json: wantsJson(options) }, io));
    });

  registerProxyCommand(program, io, setExit);
  registerCaCommand(program, io, setExit);
  registerExportCommand(program, io, setExit);
  registerCompletionCommand(program, io, setExit);
  applyHelpLayout(program);

  return program;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
    }
    if (error instanceof InputError) {
      io.stderr.write(`oauth-inspect: ${terminalSafe(error.oneLine())}\n`);
      return EXIT_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`oauth-inspect: internal error: ${terminalSafe(message)}\n`);
    if (io.env['OAUTH_INSPECT_DEBUG'] && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return EXIT_INTERNAL;
  }
}
