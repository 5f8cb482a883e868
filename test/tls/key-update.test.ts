// TLS 1.3 KeyUpdate: after both sides update their keys, requests and responses still decrypt.
import { describe, expect, it } from 'vitest';
import { runInProcess, tshark } from '../helpers/cli.js';
import { TLS_FIXTURE_DIR, TLS_FIXTURE_PORT } from '../../scripts/record-tls-captures.js';

const capture = `${TLS_FIXTURE_DIR}/tls13-keyupdate.pcap`;
const keys = `${TLS_FIXTURE_DIR}/tls13-keyupdate.keys`;

describe('tls13-keyupdate fixture (openssl s_client sends K)', () => {
  it('has a KeyUpdate from each side before the request and the response (tshark decrypts them)', () => {
    const keyUpdates = tshark(['-r', capture, '-o', `tls.keylog_file:${keys}`, '-d', `tcp.port==${TLS_FIXTURE_PORT},tls`, '-Y', 'tls.handshake.type==24', '-T', 'fields', '-e', 'frame.number'])
      .trim()
      .split('\n')
      .map(Number);
    expect(keyUpdates).toHaveLength(2);
  });

  it('decrypts the request sent after the update, and the 200 answering it, with no warning', async () => {
    const r = await runInProcess(['exchanges', '--format', 'json', '--keylog', keys, capture]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { uri: string; status: number; frame: number; tls: { cipherSuite: string } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ uri: '/EWS/Exchange.asmx?afterKeyUpdate=1', status: 200, tls: { cipherSuite: 'TLS_AES_128_GCM_SHA256' } });
  });
});
