// Recorded TLS fixtures (scripts/record-tls-captures.ts): our exchanges equal tshark's decrypted requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TLS_FIXTURE_DIR, TLS_SCENARIOS, tlsTshark } from '../../scripts/record-tls-captures.js';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import type { Anomaly } from '../../src/model/index.js';
import { runInProcess, tshark } from '../helpers/cli.js';

interface Summary {
  readonly frame: number;
  readonly stream: number;
  readonly method: string;
  readonly uri: string;
  readonly authorization: string[];
  readonly tls?: { cipherSuite?: string };
}

/** Our exchanges as tshark's field lines: frame, stream, method, URI, Authorization. */
function asTsharkLines(stdout: string): string {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Summary)
    .map((s) => `${s.frame}\t${s.stream}\t${s.method}\t${s.uri}\t${s.authorization.join(',')}\n`)
    .join('');
}

describe('recorded TLS fixtures', () => {
  for (const scenario of TLS_SCENARIOS) {
    const capture = join(TLS_FIXTURE_DIR, scenario.embedSecrets ? `${scenario.name}.pcapng` : `${scenario.name}.pcap`);
    const keys = scenario.embedSecrets ? undefined : join(TLS_FIXTURE_DIR, `${scenario.name}.keys`);

    it(`${scenario.name}: exchanges match tshark -o tls.keylog_file`, async () => {
      const expected = tlsTshark(capture, keys);
      expect(readFileSync(join(TLS_FIXTURE_DIR, `${scenario.name}.tshark.tsv`), 'utf8')).toBe(expected);
      expect(expected.trim()).not.toBe('');
      const args = ['exchanges', '--format', 'json', '--show-secrets', ...(keys !== undefined ? ['--keylog', keys] : []), capture];
      const result = await runInProcess(args);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(asTsharkLines(result.stdout)).toBe(expected);
      for (const line of result.stdout.split('\n').filter(Boolean)) expect((JSON.parse(line) as Summary).tls?.cipherSuite).toMatch(/^TLS_/);
    });
  }

  it('scan findings of a decrypted capture carry the exchange TLS details and https', async () => {
    const capture = join(TLS_FIXTURE_DIR, 'tls12-cbc.pcap');
    const result = await runInProcess(['scan', '--format', 'json', '--fail-on', 'never', '--keylog', join(TLS_FIXTURE_DIR, 'tls12-cbc.keys'), capture]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384');
    expect(result.stdout).not.toContain('P@ssw0rd!');
  });

  it('without a key log: one warning per TLS stream, naming stream, SNI and client random', async () => {
    const result = await runInProcess(['exchanges', join(TLS_FIXTURE_DIR, 'tls12-gcm.pcap')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const clientRandom = readFileSync(join(TLS_FIXTURE_DIR, 'tls12-gcm.keys'), 'utf8').split(' ')[1]!;
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/see docs\/anomalies\.md/);
    expect(lines[0]).toMatch(/frame \d+, stream 0: no key for client random (\w+)…, SNI mail\.contoso\.test \[tls-no-key\]$/);
    expect(lines[0]).toContain(clientRandom.slice(0, 16));
  });

  for (const scenario of TLS_SCENARIOS.filter((s) => !s.embedSecrets)) {
    it(`${scenario.name} without keys: one tls-no-key per connection, at tshark's ClientHello, with server, SNI and client random`, async () => {
      const capture = join(TLS_FIXTURE_DIR, `${scenario.name}.pcap`);
      const anomalies: Anomaly[] = [];
      await readExchanges(capture, { exchange: () => undefined, anomaly: (a) => anomalies.push(a) });
      const hellos = tshark(['-r', capture, '-Y', 'tls.handshake.type == 1', '-T', 'fields',
        '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'tls.handshake.extensions_server_name', '-e', 'tls.handshake.random']);
      const expected = hellos
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t'))
        .map(([frame, stream, ip, port, sni, random]) => ({
          code: 'tls-no-key',
          frame: Number(frame),
          stream: Number(stream),
          details: { server: `${ip}:${port}`, sni, clientRandom: random },
        }));
      expect(expected.length).toBeGreaterThan(0);
      expect(anomalies.map(({ code, frame, stream, details }) => ({ code, frame, stream, details }))).toEqual(expected);
      expect(anomalies.every((a) => a.file === capture && a.message.startsWith(`no key for client random ${String(a.details?.clientRandom).slice(0, 16)}…, SNI `))).toBe(true);
    });
  }
});
