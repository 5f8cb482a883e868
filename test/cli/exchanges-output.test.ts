// `exchanges -o FILE`: the list goes to the file, as `scan -o` does with its report; never over an input.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'exchanges-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exchanges -o', () => {
  it('writes the same lines stdout would get, and nothing to stdout', async () => {
    const file = join(dir, 'list.json');
    const toFile = await runBin(['exchanges', 'captures/sample-sfb-exchange.pcapng', '--format', 'json', '-o', file]);
    const toStdout = await runBin(['exchanges', 'captures/sample-sfb-exchange.pcapng', '--format', 'json']);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(toStdout.stdout);
    expect(toStdout.stdout.trim().split('\n')).toHaveLength(7);
  });

  it('refuses to write over its input, and names an unwritable path, one line and exit 2', async () => {
    const over = await runBin(['exchanges', 'captures/basic-auth.pcap', '-o', 'captures/basic-auth.pcap']);
    expect(over.code).toBe(2);
    expect(over.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runBin(['exchanges', 'captures/basic-auth.pcap', '-o', join(dir, 'no', 'such', 'list.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/list\.txt: cannot write report \(ENOENT\)\n$/);
  });
});
