// `oauth-inspect proxy` and `oauth-inspect ca` as a user runs them: jsonl lines, a HAR that survives SIGKILL, exit on Ctrl-C.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { curl, eventually, exited, startCli, startUpstream, tempDir, type Upstream } from './harness.js';

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream.close();
});

describe('oauth-inspect proxy (CLI)', () => {
  it('--format jsonl prints one JSON object per exchange and finding; the HAR parses after SIGKILL', async () => {
    const dir = tempDir();
    const har = join(dir, 'session.har');
    const cli = await startCli(['--format', 'jsonl', '--record', har, '--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    try {
      await curl(['--proxy', `http://127.0.0.1:${cli.port}`, '-u', 'alice:wonderland', `${upstream.url}/first`]);
      await curl(['--proxy', `http://127.0.0.1:${cli.port}`, `${upstream.url}/second`]);
      expect(await eventually(() => cli.stdout().split('\n').filter((l) => l.includes('"type":"exchange"')).length === 2)).toBe(true);
      expect(await eventually(() => (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: unknown[] } }).log.entries.length === 2)).toBe(true);
    } finally {
      cli.child.kill('SIGKILL');
      await done;
    }
    const lines = cli.stdout().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((l) => l['type'] === 'exchange').map((l) => l['uri'])).toEqual([`${upstream.url}/first`, `${upstream.url}/second`]);
    expect(lines.filter((l) => l['type'] === 'finding').map((l) => l['rule'])).toContain('no-basic-auth');
    expect(cli.stdout()).not.toContain(Buffer.from('alice:wonderland').toString('base64'));
    const log = (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: unknown[]; creator: { name: string } } }).log;
    expect(log.creator.name).toBe('oauth-inspect');
    expect(log.entries).toHaveLength(2);
    expect(statSync(har).mode & 0o777).toBe(0o600);
    const scan = await runInProcess(['scan', har, '--format', 'json', '--fail-on', 'never']);
    expect((JSON.parse(scan.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule)).toContain('no-basic-auth');
  });

  it('text format: exchange and finding lines on stderr, masked; SIGINT stops it with the exit code --fail-on gives', async () => {
    const dir = tempDir();
    const cli = await startCli(['--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    await curl(['--proxy', `http://127.0.0.1:${cli.port}`, '-u', 'alice:wonderland', `${upstream.url}/text`]);
    expect(await eventually(() => cli.stderr().includes('no-basic-auth'))).toBe(true);
    cli.child.kill('SIGINT');
    // A Basic request is an error finding: the session fails as `scan` of it would.
    expect(await done).toBe(1);
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).toMatch(/proxy .*GET 127\.0\.0\.1:\d+ http:\/\/127\.0\.0\.1:\d+\/text {2}200 {2}auth: Basic …\(\d+ chars\)/);
    expect(cli.stderr()).not.toContain(Buffer.from('alice:wonderland').toString('base64'));
  });
});

describe('oauth-inspect proxy --report', () => {
  it('writes the whole session as SARIF when it gets SIGINT, masked, and exits by --fail-on', async () => {
    const dir = tempDir();
    const sarif = join(dir, 's.sarif');
    const cli = await startCli(['--report', sarif, '--report-format', 'sarif', '--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    await curl(['--proxy', `http://127.0.0.1:${cli.port}`, '-u', 'alice:wonderland', `${upstream.url}/report`]);
    expect(await eventually(() => cli.stderr().includes('no-basic-auth'))).toBe(true);
    cli.child.kill('SIGINT');
    expect(await done).toBe(1);
    const text = readFileSync(sarif, 'utf8');
    const log = JSON.parse(text) as { runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
    expect(log.runs[0]!.results.filter((r) => r.ruleId === 'no-basic-auth').map((r) => r.level)).toEqual(['error']);
    expect(text).not.toContain(Buffer.from('alice:wonderland').toString('base64'));
    expect(text).not.toContain('wonderland');
    expect(cli.stderr()).toContain(`wrote the session report to ${sarif}`);
  });

  it('-o is --report: the text report is written when it gets SIGTERM', async () => {
    const dir = tempDir();
    const report = join(dir, 'session.txt');
    const cli = await startCli(['-o', report, '--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    await curl(['--proxy', `http://127.0.0.1:${cli.port}`, '-u', 'alice:wonderland', `${upstream.url}/output`]);
    expect(await eventually(() => cli.stderr().includes('no-basic-auth'))).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await done).toBe(1);
    const text = readFileSync(report, 'utf8');
    expect(text).toContain('no-basic-auth');
    expect(text).not.toContain('wonderland');
  });

  it('--fail-on never keeps the exit code 0', async () => {
    const dir = tempDir();
    const cli = await startCli(['--fail-on', 'never', '--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    await curl(['--proxy', `http://127.0.0.1:${cli.port}`, '-u', 'alice:wonderland', `${upstream.url}/never`]);
    expect(await eventually(() => cli.stderr().includes('no-basic-auth'))).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await done).toBe(0);
  });
});

describe('oauth-inspect ca', () => {
  it('creates the CA on first use and says how to trust it, key 0600', async () => {
    const dir = join(tempDir(), 'ca');
    const result = await runInProcess(['ca', '--ca-dir', dir]);
    expect(result.code).toBe(0);
    const certPath = join(dir, 'certs', 'ca.pem');
    expect(result.stdout).toContain(`CA certificate: ${certPath}`);
    for (const hint of ['--cacert', 'NODE_EXTRA_CA_CERTS', 'certutil -addstore', 'security add-trusted-cert', 'update-ca-certificates']) {
      expect(result.stdout).toContain(hint);
    }
    expect(readFileSync(certPath, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(statSync(join(dir, 'keys', 'ca.private.key')).mode & 0o777).toBe(0o600);
  });
});
