// `export`: flagged streams as pcapng that tshark reads, rule ids in frame comments, TLS keys embedded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin, tshark } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tshark's rows of `fields` for the packets of `file` that match `filter`. */
function rows(file: string, filter: string, fields: string[], extra: string[] = []): string[][] {
  const out = tshark(['-r', file, ...extra, '-Y', filter, '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])]);
  return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
}

describe('oauth-inspect export', () => {
  it('writes the flagged stream of a Basic capture; the request frames carry the rule ids', async () => {
    const out = join(dir, 'basic.pcapng');
    const result = await runBin(['export', 'captures/basic-auth.pcap', '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/wrote \d+ frames of 1 stream \(2 flagged frames\)/);
    // Every frame of the original capture's stream 0, with the same bytes: tshark sees the same requests.
    const original = rows('captures/basic-auth.pcap', 'http.request', ['tcp.stream', 'http.request.method', 'http.request.uri', 'http.authorization']);
    const exported = rows(out, 'http.request', ['tcp.stream', 'http.request.method', 'http.request.uri', 'http.authorization', 'frame.comment']);
    expect(exported.map((row) => row.slice(0, 4))).toEqual(original);
    for (const row of exported) {
      expect(row[4]).toContain('oauth-inspect no-basic-auth (error)');
      expect(row[4]).not.toContain('wonderland');
    }
    expect(tshark(['-r', out, '-T', 'fields', '-e', 'frame.number']).trim().split('\n').length).toBe(
      tshark(['-r', 'captures/basic-auth.pcap', '-Y', 'tcp.stream == 0', '-T', 'fields', '-e', 'frame.number']).trim().split('\n').length,
    );
  });

  it.each(['tls12-gcm', 'tls13-aes256'])('embeds the key-log lines of %s, so Wireshark decrypts it without a key log', async (name) => {
    const out = join(dir, `${name}.pcapng`);
    const capture = `captures/tls-decryption/${name}.pcap`;
    const keys = `captures/tls-decryption/${name}.keys`;
    const result = await runBin(['export', capture, '--keylog', keys, '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('key-log lines of 1 TLS connection embedded');
    const original = rows(capture, 'http.request', ['frame.number', 'http.request.uri'], ['-o', `tls.keylog_file:${keys}`]);
    const exported = rows(out, 'http.request', ['http.request.uri', 'frame.comment']);
    expect(exported.map((row) => row[0])).toEqual(original.map((row) => row[1]));
    expect(exported.some((row) => row[1]!.includes('oauth-inspect token-unsigned (error)'))).toBe(true);
    expect(tshark(['-r', out, '-T', 'fields', '-e', 'frame.comment']).match(/eyJ[A-Za-z0-9_-]{40,}\.[A-Za-z0-9_-]{40,}/)).toBeNull();
  });

  it('--rule keeps only that rule, --stream selects a stream with no finding', async () => {
    const onlyCleartext = join(dir, 'cleartext.pcapng');
    expect((await runBin(['export', 'captures/basic-auth.pcap', '--rule', 'cleartext-credential', '-o', onlyCleartext])).code).toBe(0);
    const comments = rows(onlyCleartext, 'frame.comment', ['frame.comment']).flat().join('\n');
    expect(comments).toContain('cleartext-credential');
    expect(comments).not.toContain('no-basic-auth');

    const chosen = join(dir, 'chosen.pcapng');
    const result = await runBin(['export', 'captures/keepalive-pipelining.pcap', '--rule', 'no-basic-auth', '--stream', '0', '-o', chosen]);
    expect(result.code).toBe(0);
    expect(rows(chosen, 'tcp', ['tcp.stream']).every((row) => row[0] === '0')).toBe(true);
    expect(rows(chosen, 'frame.comment', ['frame.comment'])).toEqual([]);
  });

  it('says which --stream a capture does not have, and exports the rest', async () => {
    const out = join(dir, 'absent-stream.pcapng');
    const result = await runBin(['export', 'captures/basic-auth.pcap', '--rule', 'no-basic-auth', '--stream', '7', '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('oauth-inspect: captures/basic-auth.pcap: no tcp.stream 7 in this capture (it has 1 TCP stream); --stream ignored there\n');
    expect(result.stderr).toMatch(/wrote 12 frames of 1 stream/);
  });

  it('bad usage is one line and exit 2', async () => {
    const unknownRule = await runBin(['export', 'captures/basic-auth.pcap', '--rule', 'no-basci-auth', '-o', join(dir, 'x.pcapng')]);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr.trim().split('\n')).toEqual(['oauth-inspect: --rule no-basci-auth: no such rule (oauth-inspect rules lists them)']);
    const unwritable = await runBin(['export', 'captures/basic-auth.pcap', '-o', join(dir, 'missing', 'x.pcapng')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^oauth-inspect: .*missing\/x\.pcapng: cannot write the export \(ENOENT\)\n$/);
    expect((await runBin(['export', 'captures/basic-auth.pcap'])).code).toBe(2);
  });
});
