// The command line: parses arguments, wires the stages, and returns an exit code (never exits).
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { InputError } from './model/index.js';
import { readExchanges } from './pipeline/read-exchanges.js';
import { AnomalyReporter } from './report/anomaly-reporter.js';
import { exchangeSummaryLine, summarizeExchange } from './report/exchange-summary.js';
import { LineWriter } from './report/line-writer.js';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & import('node:stream').Writable;
  readonly stderr: NodeJS.WritableStream & import('node:stream').Writable;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;
export const EXIT_INTERNAL = 3;

async function exchangesCommand(
  files: string[],
  options: { format: 'text' | 'json'; showSecrets?: boolean },
  io: CliIo,
): Promise<number> {
  const out = new LineWriter(io.stdout);
  const anomalies = new AnomalyReporter((line) => io.stderr.write(`${line}\n`));
  const json = options.format === 'json';
  const showSecrets = options.showSecrets === true;
  for (const file of files) {
    await readExchanges(file, {
      exchange(ex) {
        const summary = summarizeExchange(ex, showSecrets);
        out.line(json ? JSON.stringify(summary) : exchangeSummaryLine(summary));
      },
      anomaly: anomalies.report,
    });
    out.flush();
  }
  anomalies.finish();
  await out.end();
  return EXIT_OK;
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('oauth-inspect')
    .description('Inspect server-to-server OAuth traffic (Exchange, Skype for Business) in captures, HAR files and a live proxy')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command('exchanges')
    .description('list every HTTP exchange in pcap, pcapng, gzip\'d or HAR captures')
    .argument('<capture...>', 'capture files (pcap, pcapng, .gz of either, HAR)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
    .option('--show-secrets', 'print credential values unmasked')
    .action(async (files, options) => {
      setExit(await exchangesCommand(files, options, io));
    });

  return program;
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
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_INPUT;
    }
    if (error instanceof InputError) {
      io.stderr.write(`oauth-inspect: ${error.oneLine()}\n`);
      return EXIT_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`oauth-inspect: internal error: ${message}\n`);
    if (process.env.OAUTH_INSPECT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return EXIT_INTERNAL;
  }
}
