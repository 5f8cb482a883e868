// KeyLog: NSS key log lines, bad lines as warnings; --keylog and SSLKEYLOGFILE on the command line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { Anomaly } from '../../src/model/index.js';
import { KeyLog } from '../../src/tls/key-log.js';
import { TLS_FIXTURE_DIR } from '../../scripts/record-tls-captures.js';
import { runInProcess } from '../helpers/cli.js';

const random = 'ab'.repeat(32);
const secret48 = 'cd'.repeat(48);

function load(text: string): { keyLog: KeyLog; warnings: Anomaly[] } {
  const warnings: Anomaly[] = [];
  const keyLog = new KeyLog();
  keyLog.load(text, { file: 'k.log' }, (a) => warnings.push(a));
  return { keyLog, warnings };
}

describe('KeyLog.load', () => {
  it('reads every NSS label, skipping comments and blank lines', () => {
    const labels = ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'CLIENT_EARLY_TRAFFIC_SECRET', 'EARLY_EXPORTER_SECRET'];
    const text = ['# comment', '', `CLIENT_RANDOM ${random} ${secret48}`, ...labels.map((l, i) => `${l} ${random} ${String(i).padStart(2, '0').repeat(32)}`), `RSA 0102030405060708 ${'ef'.repeat(48)}`].join('\r\n');
    const { keyLog, warnings } = load(text);
    expect(warnings).toEqual([]);
    const secrets = keyLog.secretsFor(Buffer.from(random, 'hex'));
    expect(secrets?.masterSecret?.toString('hex')).toBe(secret48);
    expect(secrets?.clientHandshakeTraffic?.toString('hex')).toBe('00'.repeat(32));
    expect(secrets?.serverTraffic0?.toString('hex')).toBe('03'.repeat(32));
    expect(secrets?.clientEarlyTraffic?.toString('hex')).toBe('05'.repeat(32));
    expect(keyLog.rsaPremaster(Buffer.from('0102030405060708ffff', 'hex'))?.toString('hex')).toBe('ef'.repeat(48));
  });

  it.each([
    ['CLIENT_RANDOM abc', /line 1: expected 3 fields/],
    [`CLIENT_RANDOM ${random} zz`, /line 1: CLIENT_RANDOM: values are not even-length hex/],
    [`CLIENT_RANDOM ${random} ${secret48.slice(0, 90)}`, /line 1: CLIENT_RANDOM: the master secret must be 48 bytes/],
    [`CLIENT_RANDOM ${random.slice(0, 62)} ${secret48}`, /client random must be 32 bytes/],
    [`SOMETHING ${random} ${secret48}`, /unknown label SOMETHING/],
    [`RSA 01020304 ${secret48}`, /RSA: the encrypted premaster prefix must be 8 bytes/],
  ])('warns about %s', (line, message) => {
    const { keyLog, warnings } = load(line);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'keylog-bad-line', severity: 'warning', file: 'k.log' });
    expect(warnings[0]!.message).toMatch(message);
    expect(keyLog.size).toBe(0);
  });

  it('lists ten bad lines, then counts the rest; good lines still load', () => {
    const { keyLog, warnings } = load([...Array.from({ length: 25 }, () => 'junk'), `CLIENT_RANDOM ${random} ${secret48}`].join('\n'));
    expect(warnings).toHaveLength(11);
    expect(warnings[10]!.message).toBe('key log: 15 more bad lines not listed');
    expect(keyLog.size).toBe(1);
  });
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keylog-test-'));
}

async function runWithEnv(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]): Writable => new Writable({ write: (chunk: Buffer, _e, cb) => void (into.push(Buffer.from(chunk)), cb()) });
  const code = await runCli(args, { stdout: sink(out), stderr: sink(err), env: { NO_COLOR: '1', ...env } });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('key logs on the command line', () => {
  const capture = join(TLS_FIXTURE_DIR, 'tls12-gcm.pcap');
  const keys = join(TLS_FIXTURE_DIR, 'tls12-gcm.keys');

  it('honours SSLKEYLOGFILE when --keylog is absent', async () => {
    const viaEnv = await runWithEnv(['exchanges', '--format', 'json', capture], { SSLKEYLOGFILE: keys });
    const viaFlag = await runInProcess(['exchanges', '--format', 'json', '--keylog', keys, capture]);
    expect(viaEnv.stderr).toBe('');
    expect(viaEnv.stdout).toBe(viaFlag.stdout);
    expect(viaEnv.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('--keylog wins over SSLKEYLOGFILE; an unreadable SSLKEYLOGFILE is a warning, a missing --keylog file an error', async () => {
    const both = await runWithEnv(['exchanges', '--keylog', keys, capture], { SSLKEYLOGFILE: '/nonexistent/keys' });
    expect(both.code).toBe(0);
    expect(both.stderr).toBe('');
    const envMissing = await runWithEnv(['exchanges', capture], { SSLKEYLOGFILE: '/nonexistent/keys' });
    expect(envMissing.code).toBe(0);
    expect(envMissing.stderr).toContain('SSLKEYLOGFILE: no such key log file [keylog-unreadable]');
    const flagMissing = await runInProcess(['exchanges', '--keylog', '/nonexistent/keys', capture]);
    expect(flagMissing.code).toBe(2);
    expect(flagMissing.stderr).toBe('oauth-inspect: /nonexistent/keys: no such key log file\n');
  });

  it('a truncated, wrong or partial key log gives warnings, not a crash', async () => {
    const dir = tempDir();
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const good = readFileSync(keys, 'utf8');
    const truncated = join(dir, 'truncated.keys');
    writeFileSync(truncated, good.slice(0, good.length - 20));
    const wrong = join(dir, 'wrong.keys');
    writeFileSync(wrong, good.replace(/[0-9a-f]{96}/, 'ab'.repeat(48)));
    const partial = join(dir, 'partial.keys');
    writeFileSync(partial, `# nothing useful\nCLIENT_RANDOM ${random} ${secret48}\n`);

    const cut = await runInProcess(['exchanges', '--keylog', truncated, capture]);
    expect(cut.code).toBe(0);
    expect(cut.stderr).toMatch(/key log: line 1: CLIENT_RANDOM: values are not even-length hex \[keylog-bad-line\]|master secret must be 48 bytes/);
    expect(cut.stderr).toContain('[tls-no-key]');

    const bad = await runInProcess(['exchanges', '--keylog', wrong, capture]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/a client record did not decrypt \(wrong key\?\)/);

    const none = await runInProcess(['exchanges', '--keylog', partial, capture]);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no key for client random/);
  });
});
