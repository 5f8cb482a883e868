// The dashboard on a live pipe: `… | oauth-inspect scan - --tui` shows exchanges as they arrive, takes its keys from the terminal, and q ends it.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { pcapFile, readPcapRecords } from '../helpers/pcap-writer.js';
import { tableRows, TmuxSession } from '../tui/tmux-session.js';

const dir = mkdtempSync(join(tmpdir(), 'pipe-dashboard-'));
let session: TmuxSession | undefined;
let writer: WriteStream | undefined;
afterEach(() => {
  session?.kill();
  writer?.destroy();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan - --tui on a live pipe', () => {
  it('shows the first exchange while the capture is written, the next once it comes; keys come from the terminal', async () => {
    const bytes = readFileSync(join(repoRoot, 'captures/s2s-good.pcap'));
    const { records, linkType } = readPcapRecords(bytes);
    const firstPart = pcapFile(records.slice(0, 7), { linkType });
    const fifo = join(dir, 'stdin.fifo');
    execFileSync('mkfifo', [fifo]);
    // Standard input is the FIFO (a pipe, as from tcpdump); the terminal stays the tmux pane.
    session = new TmuxSession(`pipe-tui-${process.pid}`, ['scan', '-', '--tui'], join(dir, 'exit'), { stdin: fifo });
    writer = createWriteStream(fifo);
    writer.write(firstPart);
    const early = await session.waitFor((screen) => tableRows(screen).length === 1, 'the first exchange', 20_000);
    expect(early).toMatch(/│\d\d:\d\d:\d\d\.\d{3} .*POST .*401/);
    writer.end(bytes.subarray(firstPart.length));
    await session.waitFor((screen) => tableRows(screen).length === 2 && screen.includes('| done |'), 'both exchanges and the end', 20_000);
    session.sendKeys('q');
    expect(await session.exitCode()).toBe(0);
  });
});
