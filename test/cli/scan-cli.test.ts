// `scan` as CI uses it: exit codes, --fail-on, --output, and one-line errors for bad config or input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-scan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = 'examples/sfb-online-exchange-onprem.yaml';

describe('scan exit codes', () => {
  it('1 when an error-level finding exists (Basic credentials), with the finding in the text report', async () => {
    const r = await runBin(['scan', 'captures/basic-auth.pcap', '--rules', config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no-basic-auth/);
    expect(r.stdout).toMatch(/frame \d+, tcp\.stream \d+/);
  });

  it('0 with --fail-on never, and 0 when only warnings exist under --fail-on error', async () => {
    expect((await runBin(['scan', 'captures/basic-auth.pcap', '--fail-on', 'never'])).code).toBe(0);
    const s2s = await runBin(['scan', 'captures/s2s-good.pcap', '--rules', config]);
    expect(s2s.stdout).toMatch(/cleartext-credential/);
    expect(s2s.code).toBe(0);
    expect((await runBin(['scan', 'captures/s2s-good.pcap', '--rules', config, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('--output writes the report to a file', async () => {
    const out = join(dir, 'report.sarif');
    const r = await runBin(['scan', 'captures/token-expired.pcap', '--rules', config, '--format', 'sarif', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toContain('token-expired');
  });

  it('NO_COLOR and a pipe give no escape sequences', async () => {
    const r = await runBin(['scan', 'captures/basic-auth.pcap'], { env: { FORCE_COLOR: undefined, NO_COLOR: '1' } });
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('scan errors: one line naming the file, exit 2', () => {
  it('an unknown rule id in the config gives its line', async () => {
    const path = join(dir, 'rules.yaml');
    writeFileSync(path, 'expectedRealms:\n  - 5de110f8-2e0f-4d45-891d-bcf2218e253d\nrules:\n  no-basci-auth: off\n');
    const r = await runBin(['scan', 'captures/basic-auth.pcap', '--rules', path]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${path}:4`);
    expect(lines[0]).toMatch(/unknown rule id "no-basci-auth"/);
  });

  it('a config file that is not YAML', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'rules: [unclosed\n  - x: {\n');
    const r = await runBin(['scan', 'captures/basic-auth.pcap', '--rules', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(path);
  });

  it('a missing config file', async () => {
    const path = join(dir, 'nope.yaml');
    const r = await runBin(['scan', 'captures/basic-auth.pcap', '--rules', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(path);
  });

  it('a capture that is not a capture', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'hello\n');
    const r = await runBin(['scan', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown --fail-on value', async () => {
    const r = await runBin(['scan', 'captures/basic-auth.pcap', '--fail-on', 'fatal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fail-on/);
  });
});

describe('rules and decode', () => {
  it('`rules` lists every rule with id and severity', async () => {
    const r = await runBin(['rules', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; severity: string }[];
    expect(rows.map((x) => x.id)).toContain('s2s-actor-chain');
    expect(rows.every((x) => ['error', 'warning', 'note'].includes(x.severity))).toBe(true);
  });

  it('`decode` shows the nested actor token and judges it at a given time', async () => {
    const listing = await runBin(['exchanges', '--format', 'json', '--show-secrets', 'captures/s2s-good.pcap']);
    const auth = listing.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { authorization: string[]; time: string })
      .find((e) => e.authorization[0]?.startsWith('Bearer ey'));
    expect(auth).toBeDefined();
    const token = auth!.authorization[0]!.slice('Bearer '.length);
    const atCapture = await runBin(['decode', token, '--at', auth!.time, '--rules', config]);
    expect(atCapture.stdout).toMatch(/actor token \(actortoken claim\):/);
    expect(atCapture.stdout).toMatch(/x5t thumbprint: [0-9A-F]{40}/);
    expect(atCapture.stdout).toMatch(/findings: none/);
    expect(atCapture.code).toBe(0);
    const later = await runBin(['decode', token, '--at', '2099-01-01T00:00:00Z']);
    expect(later.stdout).toMatch(/token-expired/);
    expect(later.code).toBe(1);
    expect(later.stdout).not.toContain(token.split('.')[1]!.slice(-40) + '.');
  });
});
