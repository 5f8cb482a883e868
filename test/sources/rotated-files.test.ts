// rotatedFiles: a folder of rotated captures yields each file once it is closed, ring-buffer rewrites again.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rotatedFiles } from '../../src/sources/rotated-files.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `name` with `bytes` and a modification time of `second` (seconds since the epoch). */
function put(name: string, bytes: string, second: number): void {
  writeFileSync(join(dir, name), bytes);
  utimesSync(join(dir, name), second, second);
}

/** A request for the next file still waiting after a timeout: the following call takes its answer. */
let waiting: Promise<string> | undefined;

/** The next value of `files` (its name), 'done' at the end, or 'timeout' after `ms`. */
async function next(files: AsyncGenerator<string>, ms = 2_000): Promise<string> {
  waiting ??= files.next().then((r) => (r.done ? 'done' : r.value.slice(dir.length + 1)));
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
  const result = await Promise.race([waiting, timeout]);
  if (result !== 'timeout') waiting = undefined;
  return result;
}

describe('rotatedFiles', () => {
  it('yields closed files oldest first, holds back the one being written, and yields it when the watch stops', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rotated-'));
    put('cap-0002.pcap', 'b', 1_000_002);
    put('cap-0001.pcap', 'a', 1_000_001);
    put('cap-0003.pcap', 'c', 1_000_003);
    put('.hidden', 'x', 1_000_004);
    put('empty.pcap', '', 1_000_000);
    const stop = new AbortController();
    const files = rotatedFiles(dir, { signal: stop.signal, pollMs: 20 });
    expect(await next(files)).toBe('cap-0001.pcap');
    expect(await next(files)).toBe('cap-0002.pcap');
    // cap-0003 is the newest: tcpdump is still writing it.
    expect(await next(files, 200)).toBe('timeout');
    // Rotation: the next file appears, so cap-0003 is closed.
    put('cap-0004.pcap', 'd', 1_000_005);
    expect(await next(files)).toBe('cap-0003.pcap');
    stop.abort();
    expect(await next(files)).toBe('cap-0004.pcap');
    expect(await next(files)).toBe('done');
  });

  it('yields a ring-buffer file again once it was rewritten and closed again (tcpdump -W)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rotated-'));
    put('ring0', 'first', 1_000_001);
    put('ring1', 'second', 1_000_002);
    const stop = new AbortController();
    const files = rotatedFiles(dir, { signal: stop.signal, pollMs: 20 });
    expect(await next(files)).toBe('ring0');
    put('ring0', 'third!', 1_000_003); // the ring wraps: ring0 is rewritten, so ring1 is closed
    expect(await next(files)).toBe('ring1');
    put('ring1', 'fourth!', 1_000_004);
    expect(await next(files)).toBe('ring0');
    stop.abort();
    expect(await next(files)).toBe('ring1');
    expect(await next(files)).toBe('done');
  });

  it('ends with an input error naming the folder when it is removed while watched', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rotated-'));
    put('cap-1.pcap', 'a', 1_000_001);
    const stop = new AbortController();
    const files = rotatedFiles(dir, { signal: stop.signal, pollMs: 20 });
    rmSync(dir, { recursive: true, force: true });
    await expect(files.next()).rejects.toThrow(/cannot watch any more \(ENOENT\)/);
    stop.abort();
  });
});
