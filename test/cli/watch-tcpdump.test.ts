// A real capture rotation: `tcpdump -G 1 -w DIR/cap-%s.pcap` on loopback and `scan --watch DIR --format jsonl`: findings of each closed file while it runs, Ctrl-C for the summary.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killLiveRuns, startLive } from '../helpers/live-cli.js';
import { BASIC, post, requireTcpdump, startLoopbackServer, stopLoopbackServer } from '../helpers/loopback-exchange.js';

let server: Server | undefined;
afterEach(async () => {
  killLiveRuns();
  await stopLoopbackServer(server);
  server = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'watch-tcpdump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tcpdump -G | scan --watch DIR (capture rotation on loopback)', () => {
  it('scans each rotated file once it is closed while the watch runs; SIGINT ends it with the summary and exit 1', async () => {
    requireTcpdump();
    const started = await startLoopbackServer();
    server = started.server;
    const captures = join(dir, 'rotated');
    // -Z root: tcpdump keeps writing into the test's private folder after it drops privileges.
    mkdirSync(captures);
    const tcpdump = startLive(['-i', 'lo', '-U', '-s', '0', '-Z', 'root', '-G', '1', '-w', join(captures, 'cap-%s.pcap'), `tcp port ${started.port}`], { command: 'tcpdump' });
    await tcpdump.waitForStderr(/listening on lo/, 10_000);
    const watch = startLive(['scan', '--watch', captures, '--format', 'jsonl', '--fail-on', 'error']);
    // tcpdump opens the next file with the first packet after each second: one Basic request per rotation.
    for (let rotation = 0; rotation < 3; rotation++) {
      expect(await post(started.port, BASIC)).toBe(200);
      await sleep(1_200);
    }
    const filesBefore401 = readdirSync(captures).length;
    expect(await post(started.port, {})).toBe(401);
    const files = (text: string): Set<string> => new Set(text.trim().split('\n').filter((line) => line.includes('"rule":"no-basic-auth"')).map((line) => String((JSON.parse(line) as { file: string }).file)));
    // Findings of two closed files arrive before any Ctrl-C.
    await waitFor(() => files(watch.stdout()).size >= 2, 10_000);
    expect(watch.stdout()).not.toContain('"type":"summary"');
    // The 401 is in the file tcpdump is still writing: the watch scans it when it stops.
    await waitFor(() => readdirSync(captures).length > filesBefore401, 10_000);
    await sleep(300);
    tcpdump.signal('SIGINT');
    await tcpdump.exited(10_000);
    watch.signal('SIGINT');
    expect(await watch.exited(15_000)).toBe(1);
    const lines = watch.stdout().trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(files(watch.stdout()).size).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', exitCode: 1, stopped: false });
    expect(lines.filter((line) => line.type === 'exchange').map((line) => line['status'])).toEqual([200, 200, 200, 401]);
    expect(watch.stdout()).not.toContain('not-a-real-password');
    expect(watch.stderr()).toContain(`ended: ${readdirSync(captures).length} captures, 4 exchanges`);
  });
});

/** Polls `ready` every 100 ms until it holds; fails after `timeoutMs`. */
async function waitFor(ready: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`not ready within ${timeoutMs} ms`);
    await sleep(100);
  }
}
