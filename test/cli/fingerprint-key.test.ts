// The fingerprint key: --fingerprint-key, $OAUTH_INSPECT_FINGERPRINT_KEY, else a key file kept 0600.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';

type Json = Record<string, any>;

const home = mkdtempSync(join(tmpdir(), 'oauth-inspect-key-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function scan(env: Record<string, string>, extra: string[] = []): Promise<{ code: number; fingerprints: string[]; stderr: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]): Writable => new Writable({ write: (chunk: Buffer, _enc, cb) => (into.push(Buffer.from(chunk)), cb()) });
  const code = await runCli(['scan', 'captures/basic-auth.pcap', '--format', 'json', '--fail-on', 'never', ...extra], {
    stdout: sink(out),
    stderr: sink(err),
    env: { NO_COLOR: '1', ...env },
  });
  const report = JSON.parse(Buffer.concat(out).toString() || '{}') as Json;
  const fingerprints = ((report['credentials'] ?? []) as Json[]).map((c) => c['fingerprint'] as string);
  return { code, fingerprints, stderr: Buffer.concat(err).toString() };
}

describe('fingerprint key', () => {
  it('gives the same keyed fingerprints under the same environment key, others under another', async () => {
    const one = await scan({ XDG_CONFIG_HOME: join(home, 'unused'), OAUTH_INSPECT_FINGERPRINT_KEY: 'ci-key-1' });
    const again = await scan({ XDG_CONFIG_HOME: join(home, 'unused'), OAUTH_INSPECT_FINGERPRINT_KEY: 'ci-key-1' });
    const other = await scan({ XDG_CONFIG_HOME: join(home, 'unused'), OAUTH_INSPECT_FINGERPRINT_KEY: 'ci-key-2' });
    expect(one.code).toBe(0);
    expect(one.fingerprints.length).toBeGreaterThan(0);
    for (const fingerprint of one.fingerprints) expect(fingerprint).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(again.fingerprints).toEqual(one.fingerprints);
    expect(other.fingerprints).not.toEqual(one.fingerprints);
    const flag = await scan({ XDG_CONFIG_HOME: join(home, 'unused'), OAUTH_INSPECT_FINGERPRINT_KEY: 'ci-key-2' }, ['--fingerprint-key', 'ci-key-1']);
    expect(flag.fingerprints).toEqual(one.fingerprints);
    expect(() => statSync(join(home, 'unused'))).toThrow();
  });

  it('otherwise keeps a random key in the config folder, 0600 in a 0700 folder, and reuses it', async () => {
    const config = join(home, 'config');
    const first = await scan({ XDG_CONFIG_HOME: config });
    const keyFile = join(config, 'oauth-inspect', 'fingerprint.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(config, 'oauth-inspect')).mode & 0o777).toBe(0o700);
    expect(first.stderr).not.toContain('fingerprint key');
    const second = await scan({ XDG_CONFIG_HOME: config });
    expect(second.fingerprints).toEqual(first.fingerprints);
    const byEnv = await scan({ XDG_CONFIG_HOME: join(home, 'unused'), OAUTH_INSPECT_FINGERPRINT_KEY: 'ci-key-1' });
    expect(byEnv.fingerprints).not.toEqual(first.fingerprints);
  });

  it('falls back to a key of this run, and says so once, when the key file cannot be kept', async () => {
    const blocked = join(home, 'a-file');
    writeFileSync(blocked, 'not a folder');
    const run = await scan({ XDG_CONFIG_HOME: blocked });
    expect(run.code).toBe(0);
    for (const fingerprint of run.fingerprints) expect(fingerprint).toMatch(/^hmac-sha256:/);
    expect(run.stderr.match(/cannot keep a fingerprint key/g)).toHaveLength(1);
  });
});
