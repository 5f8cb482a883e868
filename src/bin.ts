#!/usr/bin/env node
// Entry point of the `oauth-inspect` command: runs the CLI and sets the exit code.
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
