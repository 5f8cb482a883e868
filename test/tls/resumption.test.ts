// TLS 1.2 session resumption: a resumed connection decrypts with the master secret of the session it resumes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess, tshark } from '../helpers/cli.js';
import { TLS_FIXTURE_DIR, TLS_FIXTURE_PORT } from '../../scripts/record-tls-captures.js';

const capture = join(TLS_FIXTURE_DIR, 'tls12-resumed.pcap');
const keys = join(TLS_FIXTURE_DIR, 'tls12-resumed.keys');
const dir = mkdtempSync(join(tmpdir(), 'tls-resumption-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  frame: number;
  stream: number;
  uri: string;
}

async function exchanges(keyLog: string): Promise<{ rows: Row[]; stderr: string }> {
  const r = await runInProcess(['exchanges', '--format', 'json', '--keylog', keyLog, capture]);
  expect(r.code, r.stderr).toBe(0);
  const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row).map(({ frame, stream, uri }) => ({ frame, stream, uri }));
  return { rows, stderr: r.stderr };
}

describe('tls12-resumed fixture', () => {
  it('its second connection really resumes the first one\'s session (tshark sees an abbreviated handshake)', () => {
    const handshakes = tshark(['-r', capture, '-d', `tcp.port==${TLS_FIXTURE_PORT},tls`, '-Y', 'tls.handshake.type==2', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tls.handshake.type', '-e', 'tls.handshake.session_id'])
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(handshakes).toHaveLength(2);
    expect(handshakes[1]![1]).toBe('2');
    expect(handshakes[1]![2]).toBe(handshakes[0]![2]);
  });

  it('decrypts the resumed connection from the first session\'s master secret alone', async () => {
    const full = await exchanges(keys);
    expect(full.rows.map((r) => r.stream)).toEqual([0, 1]);
    // Keep only the first connection's line: the second must be found through its session id.
    const firstLine = readFileSync(keys, 'utf8').split('\n').find((line) => line.startsWith('CLIENT_RANDOM'))!;
    const partial = join(dir, 'first-session-only.keys');
    writeFileSync(partial, `${firstLine}\n`);
    const resumed = await exchanges(partial);
    expect(resumed.rows).toEqual(full.rows);
    expect(resumed.stderr).not.toMatch(/no key/);
  });
});
