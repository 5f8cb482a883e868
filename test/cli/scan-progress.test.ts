// Progress on stderr: shown under a pseudo-terminal (util-linux `script`) for a capture over 20 MB and for a pipe; never without a terminal, with --quiet or for a small file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCapture } from '../../scripts/bench/synthetic-capture.js';
import { binPath, repoRoot, runBin, TEST_FINGERPRINT_KEY } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scan-progress-'));
const large = join(dir, 'large.pcap');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  writeSyntheticCapture(large, 21 * 1024 * 1024);
});

/** util-linux `script` gives the command a pseudo-terminal; a missing one fails with the command that installs it. */
function underTerminal(command: string): string {
  if (spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('script (util-linux) is missing: install it with `apt-get install -y util-linux`');
  }
  const run = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, NODE: process.execPath, BIN: binPath },
  });
  if (run.error) throw run.error;
  return run.stdout;
}

/** The progress lines a terminal was shown (each drawn after `\r` and an erase-line). */
function progressLines(terminal: string): string[] {
  return terminal.split('\r\x1b[K').filter((line) => line.startsWith('reading '));
}

describe('progress on a terminal', () => {
  it('shows bytes, percentage, rate, exchanges and findings while a capture over 20 MB is scanned, then erases itself', () => {
    const terminal = underTerminal(`"$NODE" "$BIN" scan '${large}' --format json -o '${join(dir, 'report.json')}'`);
    const lines = progressLines(terminal);
    // Drawn when the capture is opened, then at most 4 times a second: how many depends on the machine's speed.
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^reading \d+\.\d\/2[01]\.\d MB \(\d+%\) \d+\.\d MB\/s, \d+ exchanges, \d+ findings large\.pcap$/);
    // The last progress line is erased before anything else is written.
    expect(terminal).toMatch(/\r\x1b\[Kwarning: the report lists/);
  });

  it('shows bytes without a percentage on a pipe', () => {
    const terminal = underTerminal(`cat '${large}' | "$NODE" "$BIN" scan - --format sarif -o '${join(dir, 'report.sarif')}'`);
    const lines = progressLines(terminal);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.at(-1)).toMatch(/^reading \d+\.\d MB \d+\.\d MB\/s, \d+ exchanges, \d+ findings -$/);
  });

  it('shows exchanges (no findings) while `exchanges` lists a large capture elsewhere', () => {
    const lines = progressLines(underTerminal(`"$NODE" "$BIN" exchanges '${large}' > /dev/null`));
    expect(lines.at(-1)).toMatch(/^reading \d+\.\d\/2[01]\.\d MB \(\d+%\) \d+\.\d MB\/s, \d+ exchanges large\.pcap$/);
  });

  it('shows nothing with --quiet, nor for a small capture', () => {
    expect(progressLines(underTerminal(`"$NODE" "$BIN" scan '${large}' --quiet --format json -o '${join(dir, 'quiet.json')}'`))).toEqual([]);
    expect(underTerminal(`"$NODE" "$BIN" scan captures/basic-auth.pcap --format json -o '${join(dir, 'small.json')}'`)).not.toContain('reading ');
  });

  it('shows nothing when stderr is not a terminal', async () => {
    const result = await runBin(['scan', large, '--format', 'json', '-o', join(dir, 'piped.json')]);
    expect(result.stderr).not.toContain('reading ');
    expect(result.stderr).not.toContain('\x1b');
  });
});
