// Every command's --help: options grouped by purpose, real examples, and the exit codes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS_WITH_EXAMPLES } from '../../src/commands/help-text.js';
import { binPath, runBin } from '../helpers/cli.js';

const COMMANDS = ['scan', 'exchanges', 'proxy', 'decode', 'rules', 'ca', 'export', 'completion'] as const;

describe('--help', () => {
  it.each(COMMANDS)('%s --help shows examples and the exit codes', async (command) => {
    const result = await runBin([command, '--help']);
    expect(result.code).toBe(0);
    const examples = result.stdout.slice(result.stdout.indexOf('Examples:'), result.stdout.indexOf('Exit codes:'));
    const exampleLines = examples.split('\n').filter((line) => line.startsWith(`  oauth-inspect ${command}`) || line.includes(`| oauth-inspect ${command}`));
    expect(exampleLines.length).toBeGreaterThanOrEqual(command === 'ca' ? 1 : 2);
    expect(exampleLines.every((line) => !line.includes('undefined'))).toBe(true);
    for (const code of ['0', '1', '2', '3']) expect(result.stdout).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });

  it('every command has examples', () => {
    expect([...COMMANDS_WITH_EXAMPLES].sort()).toEqual([...COMMANDS].sort());
  });

  it('scan groups its options by purpose, in a fixed order', async () => {
    const { stdout } = await runBin(['scan', '--help']);
    const headings = stdout.split('\n').filter((line) => /^[A-Z][a-z ]+:$/.test(line));
    expect(headings).toEqual(['Arguments:', 'Reading the traffic:', 'What to judge against:', 'Output:', 'Options:', 'Examples:', 'Exit codes:']);
    const judge = stdout.slice(stdout.indexOf('What to judge against:'), stdout.indexOf('Output:'));
    for (const flag of ['--realm', '--cert', '--metadata', '--issuer', '--fail-on']) expect(judge).toContain(flag);
    expect(stdout).toContain('--cert OAuthCert.cer');
  });

  it("proxy's --host is where it listens; its examples name netsh winhttp", async () => {
    const { stdout } = await runBin(['proxy', '--help']);
    const listening = stdout.slice(stdout.indexOf('Listening and upstream:'));
    expect(listening).toContain('--host <address>');
    expect(stdout).toContain('netsh winhttp set proxy');
  });
});

describe('a reader that goes away', () => {
  it.each([['--help'], ['scan', '--help'], ['rules'], ['completion', 'zsh']])('%s | head -1 ends quietly with exit 0, no EPIPE stack', (...args) => {
    const run = spawnSync('bash', ['-c', '"$NODE" "$BIN" "$@" | head -1 >/dev/null; echo "exit ${PIPESTATUS[0]}" >&2', 'sh', ...args], {
      env: { ...process.env, NODE: process.execPath, BIN: binPath },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('exit 0\n');
  });
});
