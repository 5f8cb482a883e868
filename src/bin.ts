#!/usr/bin/env node
// Entry point of the `oauth-inspect` command: runs the CLI and sets the exit code.
import { runCli } from './cli.js';

// A reader that goes away (`oauth-inspect --help | head -3`, `rules | head`) ends the output
// quietly: what it did not read is not an error of ours, and never a stack trace. Commands that
// stream (scan, exchanges) also stop reading on it (commands/stop-reading.ts).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
