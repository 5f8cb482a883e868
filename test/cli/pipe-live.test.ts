// A capture on a pipe is read as it is written: exchanges show while the writer writes, FIFOs and <(…) work, `| head` and Ctrl-C end the run.
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { killLiveRuns, startLive } from '../helpers/live-cli.js';
import { pcapFile, readPcapRecords } from '../helpers/pcap-writer.js';

afterEach(killLiveRuns);
const dir = mkdtempSync(join(tmpdir(), 'pipe-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * s2s-good.pcap cut after frame 7: its first exchange (request #4, response #6) is whole, the
 * second (#8, #9) not yet sent. The rest are frames 8-12, record by record.
 */
function s2sGoodInTwo(): { firstPart: Buffer; rest: Buffer } {
  const bytes = readFileSync(join(repoRoot, 'captures/s2s-good.pcap'));
  const { records, linkType } = readPcapRecords(bytes);
  const firstPart = pcapFile(records.slice(0, 7), { linkType });
  return { firstPart, rest: bytes.subarray(firstPart.length) };
}

const FIRST_EXCHANGE = /#4 +s0 .*POST mail\.contoso\.test \/EWS\/Exchange\.asmx +401/;
const SECOND_EXCHANGE = /#8 +s0 .* 200 +auth: Bearer eyJ0eX…/;

describe('exchanges - on a live pipe', () => {
  it('prints an exchange while the writer is still writing, the next once it is written', async () => {
    const { firstPart, rest } = s2sGoodInTwo();
    const run = startLive(['exchanges', '-']);
    run.child.stdin.write(firstPart);
    const early = await run.waitForStdout(FIRST_EXCHANGE, 10_000);
    expect(early).not.toMatch(SECOND_EXCHANGE);
    run.child.stdin.write(rest);
    await run.waitForStdout(SECOND_EXCHANGE, 10_000);
    run.child.stdin.end();
    expect(await run.exited()).toBe(0);
    expect(run.stdout().trim().split('\n')).toHaveLength(2);
    expect(run.stderr()).toBe('');
  });

  it('reads a FIFO path as it is written', async () => {
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const { firstPart, rest } = s2sGoodInTwo();
    const run = startLive(['exchanges', fifo]);
    const writer = createWriteStream(fifo);
    writer.write(firstPart);
    await run.waitForStdout(FIRST_EXCHANGE, 10_000);
    expect(run.stdout()).not.toMatch(SECOND_EXCHANGE);
    writer.end(rest);
    expect(await run.exited()).toBe(0);
    expect(run.stdout()).toMatch(SECOND_EXCHANGE);
    expect(run.stdout()).toContain(`${fifo}  #4`);
  });

  it('reads a bash <(…) process substitution and reports what the file gives', async () => {
    const args = '--format json --fail-on never --rules examples/sfb-online-exchange-onprem.yaml';
    const run = startLive(['-c', `"$NODE" "$BIN" scan <(cat captures/basic-auth.pcap) ${args}`], { command: 'bash' });
    run.child.stdin.end();
    expect(await run.exited(20_000), run.stderr()).toBe(0);
    const report = JSON.parse(run.stdout()) as { files: string[]; findings: { rule: string; frame: number }[] };
    const golden = JSON.parse(readFileSync(join(repoRoot, 'captures/basic-auth.pcap.scan.json'), 'utf8')) as typeof report;
    expect(report.files[0]).toMatch(/^\/dev\/fd\/\d+$/);
    expect(report.findings.map((f) => [f.rule, f.frame])).toEqual(golden.findings.map((f) => [f.rule, f.frame]));
  });

  it('ends promptly and quietly when `| head -1` closes the pipe, though the writer keeps its end open', async () => {
    const { firstPart, rest } = s2sGoodInTwo();
    const run = startLive(['-c', '"$NODE" "$BIN" exchanges - | head -1; echo "exit ${PIPESTATUS[0]}" >&2'], { command: 'bash' });
    run.child.stdin.write(firstPart);
    await run.waitForStdout(FIRST_EXCHANGE, 10_000);
    // head has its line and is gone: the next line written meets a closed pipe.
    run.child.stdin.write(rest);
    expect(await run.exited(10_000)).toBe(0);
    expect(run.stdout().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toBe('exit 0\n');
  });
});

describe('scan - on a live pipe, stopped by a signal', () => {
  const basicAuth = readFileSync(join(repoRoot, 'captures/basic-auth.pcap'));

  it('SIGINT prints the report of what was seen, and the exit code follows --fail-on', async () => {
    const run = startLive(['scan', '-', '--format', 'jsonl']);
    run.child.stdin.write(basicAuth);
    await run.waitForStdout(/"rule":"no-basic-auth"/, 10_000);
    run.child.kill('SIGINT');
    expect(await run.exited()).toBe(1);
    const summary = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as { type: string; exchanges: number; exitCode: number };
    expect(summary).toMatchObject({ type: 'summary', exchanges: 2, exitCode: 1 });
    expect(run.stderr()).toBe('oauth-inspect: SIGINT: stopped reading; the report covers what was read until now\n');
  });

  it.each([
    ['SIGINT', 'error', 1],
    ['SIGTERM', 'never', 0],
  ] as const)('%s with --fail-on %s: the text report, exit %d', async (signal, failOn, code) => {
    const run = startLive(['scan', '-', '--fail-on', failOn]);
    const record = startLive(['exchanges', '-']);
    // The same bytes to `exchanges -`: once it shows both exchanges, the scan has had time to read them too.
    run.child.stdin.write(basicAuth);
    record.child.stdin.write(basicAuth);
    await record.waitForStdout(/#8 /, 10_000);
    record.child.kill('SIGTERM');
    expect(await record.exited()).toBe(0);
    run.child.kill(signal);
    expect(await run.exited()).toBe(code);
    expect(run.stdout()).toMatch(/no-basic-auth +2 findings/);
    expect(run.stderr()).toContain(`${signal}: stopped reading`);
  });
});
