// The `export` command's arguments and options; the scan and the pcapng writer load only when it runs.
import { Option, type Command } from '@commander-js/extra-typings';
import { InputError } from '../model/errors.js';
import { collect, withConfigOptions } from './config-options.js';
import type { CliIo } from './io.js';

function streamNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError('bad-usage', `--stream ${value}: not a tcp.stream number (0 or more)`);
  return n;
}

export function registerExportCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfigOptions(program.command('export'))
    .description('write the frames of the streams that carry findings as pcapng: flagged frames commented, TLS keys embedded')
    .argument('<capture...>', 'capture files (pcap, pcapng, .gz of either; saved files, not HAR, .saz or a pipe)')
    .addOption(new Option('-o, --output <file.pcapng>', 'the pcapng to write').makeOptionMandatory())
    .option('--rule <id>', 'only findings of this rule; repeatable', collect)
    .option('--stream <n>', 'also (or, with no finding, only) this tcp.stream, in every capture; repeatable', (value, previous: number[] = []) => [...previous, streamNumber(value)])
    .option('--keylog <file>', 'TLS key log (NSS format) to decrypt HTTPS; default $SSLKEYLOGFILE')
    .action(async (files, options) => {
      const { exportCommand } = await import('./export.js');
      setExit(await exportCommand(files, options, io));
    });
}
