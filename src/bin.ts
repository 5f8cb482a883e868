#!/usr/bin/env node
// Entry point of the `oauth-inspect` command: runs the CLI and sets the exit code.
import { runCli } from './cli.js';

// A reader that goes away (`oauth-inspect --help | head -3`, `rules | head`) ends the output
// quietly: what it did not read is not an error of ours, and never a stack trace. Commands that
// stream (scan, exchanges) also stop reading on it (commands/stop-reading.ts).
// Any other failure (a full disk behind `> out.json`) is one line and exit 2: the output is gone.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  process.stderr.write(`oauth-inspect: -: cannot write to standard output (${error.code ?? error.message})\n`);
  process.exit(2);
});

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
