// `scan --watch DIR` with files the test writes: usage errors, one report per closed capture (-o OUTDIR), a file that is no capture is one stderr line.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runInProcess } from '../helpers/cli.js';
import { killLiveRuns, startLive } from '../helpers/live-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scan-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => killLiveRuns());

/** Writes a file as tcpdump would, with a modification time `secondsAgo` in the past (the order rotation is read in). */
function rotatedFile(folder: string, name: string, content: Buffer | string, secondsAgo: number): void {
  const path = join(folder, name);
  writeFileSync(path, content);
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, when, when);
}

/** Polls `ready` every 100 ms until it holds; fails after `timeoutMs`. */
async function waitFor(ready: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`not ready within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('scan --watch: usage', () => {
  it('refuses capture arguments beside --watch: exit 2, one line', async () => {
    const result = await runInProcess(['scan', '--watch', dir, 'captures/basic-auth.pcap']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('oauth-inspect: --watch DIR reads the captures of DIR: give no capture arguments with it\n');
  });

  it('wants captures or --watch, and a folder that exists', async () => {
    expect(await runInProcess(['scan'])).toMatchObject({ code: 2, stderr: "oauth-inspect: missing required argument 'capture' (or --watch DIR)\n" });
    const missing = join(dir, 'no-such-folder');
    expect(await runInProcess(['scan', '--watch', missing])).toMatchObject({ code: 2, stderr: `oauth-inspect: ${missing}: cannot watch (ENOENT)\n` });
    expect((await runInProcess(['scan', '--watch', dir, '--tui'])).stderr).toBe('oauth-inspect: --watch does not go with --tui\n');
  });
});

describe('scan --watch DIR (files written by the test)', () => {
  it('writes one SARIF per closed capture into -o OUTDIR, logs a file that is no capture, and exits 1 at SIGINT over everything seen', async () => {
    const watched = join(dir, 'reports-case');
    const reports = join(dir, 'reports-out');
    mkdirSync(watched);
    copyFileSync(join(repoRoot, 'captures/basic-auth.pcap'), join(watched, 'cap-1.pcap'));
    utimesSync(join(watched, 'cap-1.pcap'), new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    rotatedFile(watched, 'cap-2.pcap', 'not a capture\u001b[31m', 20);
    rotatedFile(watched, 'cap-3.pcap', readFileSync(join(repoRoot, 'captures/digest-auth.pcap')), 10);
    const run = startLive(['scan', '--watch', watched, '--format', 'sarif', '-o', reports]);
    // cap-1 and cap-2 are closed (a newer file exists); cap-3 is the one "being written".
    await waitFor(() => existsSync(join(reports, 'cap-1.pcap.sarif')), 10_000);
    await run.waitForStderr(/cap-2\.pcap: not a pcap/, 10_000);
    expect(existsSync(join(reports, 'cap-3.pcap.sarif'))).toBe(false);
    run.signal('SIGINT');
    expect(await run.exited(15_000)).toBe(1);
    const sarif = JSON.parse(readFileSync(join(reports, 'cap-1.pcap.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.map((result) => result.ruleId)).toContain('no-basic-auth');
    expect(existsSync(join(reports, 'cap-3.pcap.sarif'))).toBe(true);
    expect(existsSync(join(reports, 'cap-2.pcap.sarif'))).toBe(false);
    expect(run.stdout()).toBe('');
    // The file's name and content never put a control character on the terminal.
    expect(run.stderr()).not.toContain('\u001b');
    expect(run.stderr()).toMatch(/watch of .* ended: 2 captures, 4 exchanges/);
  });

  it('streams JSON Lines of every file through one inspection, one summary over all at the end', async () => {
    const watched = join(dir, 'jsonl-case');
    mkdirSync(watched);
    rotatedFile(watched, 'a.pcap', readFileSync(join(repoRoot, 'captures/basic-auth.pcap')), 20);
    rotatedFile(watched, 'b.pcap', readFileSync(join(repoRoot, 'captures/basic-auth.pcap')), 10);
    const run = startLive(['scan', '--watch', watched, '--format', 'jsonl', '--fail-on', 'never']);
    await run.waitForStdout(/"rule":"no-basic-auth"/, 10_000);
    run.signal('SIGTERM');
    expect(await run.exited(15_000)).toBe(0);
    const lines = run.stdout().trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(lines.filter((line) => line.type === 'summary')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', exchanges: 4, exitCode: 0 });
    expect(new Set(lines.filter((line) => line.type === 'exchange').map((line) => line['file']))).toEqual(new Set([join(watched, 'a.pcap'), join(watched, 'b.pcap')]));
  });
});
