// A gzip'd HAR reads like the HAR itself (found by magic bytes, not by the .gz name).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess, repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'har-gzip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gzip'd HAR", () => {
  it('gives the same exchanges as the plain file', async () => {
    const plain = join(repoRoot, 'test/sources/data/har/chrome-postdata.har');
    const zipped = join(dir, 'export.bin');
    writeFileSync(zipped, gzipSync(readFileSync(plain)));
    const a = await runInProcess(['exchanges', '--format', 'json', plain]);
    const b = await runInProcess(['exchanges', '--format', 'json', zipped]);
    expect(b.code, b.stderr).toBe(0);
    const strip = (out: string) => out.trim().split('\n').map((l) => ({ ...(JSON.parse(l) as object), file: '' }));
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    expect(strip(a.stdout).length).toBeGreaterThan(0);
  });

  it('a damaged gzip HAR is a one-line error naming the file', async () => {
    const broken = join(dir, 'broken.har.gz');
    const whole = gzipSync(readFileSync(join(repoRoot, 'test/sources/data/har/chrome-postdata.har')));
    writeFileSync(broken, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await runInProcess(['exchanges', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(broken);
  });

  it('a gzip HAR damaged only in its CRC trailer is read whole, with a gzip-bad-trailer warning', async () => {
    const damaged = join(dir, 'bad-crc.har.gz');
    const whole = Buffer.from(gzipSync(readFileSync(join(repoRoot, 'test/sources/data/har/chrome-postdata.har'))));
    whole[whole.length - 8] ^= 0xff;
    writeFileSync(damaged, whole);
    const r = await runInProcess(['exchanges', damaged]);
    const plain = await runInProcess(['exchanges', join(repoRoot, 'test/sources/data/har/chrome-postdata.har')]);
    expect(r.code).toBe(plain.code);
    expect(r.stdout.replaceAll(damaged, 'X')).toBe(plain.stdout.replaceAll(join(repoRoot, 'test/sources/data/har/chrome-postdata.har'), 'X'));
    expect(r.stderr).toContain('[gzip-bad-trailer]');
  });
});
