// Bad input: one-line errors naming the path with exit code 2; cut captures keep what came before.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot, runBin } from '../helpers/cli.js';
import { zipArchive } from '../helpers/zip-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectOneLineError(stderr: string, path: string, problem: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(problem);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('bad input to `exchanges`', () => {
  it('a text file', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'this is not a capture\n');
    const r = await runBin(['exchanges', path]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, path, /not a (capture|pcap)|unknown|format/i);
  });

  it('an empty file', async () => {
    const path = join(dir, 'empty.pcap');
    writeFileSync(path, '');
    const r = await runBin(['exchanges', path]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, path, /empty/i);
  });

  it('a missing path', async () => {
    const path = join(dir, 'does-not-exist.pcap');
    const r = await runBin(['exchanges', path]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, path, /no such file/i);
  });

  it('a directory', async () => {
    const r = await runBin(['exchanges', dir]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, dir, /directory/i);
  });

  it('an unknown option', async () => {
    const r = await runBin(['exchanges', '--no-such-option', 'x.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });
});

describe('a capture cut mid-record', () => {
  const sample = readdirSync(join(repoRoot, 'captures')).find((f) => f.endsWith('.pcap') && f.startsWith('sample'));
  it('yields the exchanges before the cut, a warning saying where, and exit 0', async () => {
    expect(sample, 'captures/sample*.pcap').toBeDefined();
    const full = join(repoRoot, 'captures', sample!);
    const whole = await runBin(['exchanges', '--format', 'json', full]);
    expect(whole.code).toBe(0);
    const all = whole.stdout.trim().split('\n').map((l) => JSON.parse(l) as { frame: number });
    expect(all.length).toBeGreaterThan(2);
    const bytes = readFileSync(full);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7) + 3));
    const r = await runBin(['exchanges', '--format', 'json', cut]);
    expect(r.code, r.stderr).toBe(0);
    const got = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { frame: number });
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(all.length);
    const lastFrame = Math.max(...got.map((g) => g.frame));
    expect(all.filter((e) => e.frame <= lastFrame).length).toBeGreaterThanOrEqual(got.filter((g) => g.frame <= lastFrame).length);
    expect(r.stderr).toMatch(/warning: .*cut\.pcap.*(truncat|cut short|stopped)/i);
  });
});

describe('Fiddler archives that cannot be read', () => {
  it('a zip that is not a .saz: one line naming the file, exit 2', async () => {
    const path = join(dir, 'report.zip');
    writeFileSync(path, zipArchive([{ name: 'word/document.xml', data: '<w:document/>' }]));
    const r = await runBin(['scan', path]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, path, /not a Fiddler session archive .*not a capture/);
  });

  it('a password-protected .saz: one line saying so, exit 2', async () => {
    const path = join(dir, 'protected.saz');
    writeFileSync(path, zipArchive([{ name: 'raw/1_c.txt', data: 'GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n', methodField: 99, flags: 1 }]));
    const r = await runBin(['exchanges', path]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, path, /password-protected/);
  });

  it('a .saz cut short: the sessions before the cut, a warning, exit 0', async () => {
    const bytes = readFileSync(join(repoRoot, 'captures', 'saz', 'fiddler-mixed.saz'));
    const cut = join(dir, 'cut.saz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = await runBin(['exchanges', '--format', 'json', cut]);
    expect(r.code, r.stderr).toBe(0);
    const sessions = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { session: number }).session);
    expect(sessions.slice(0, 3)).toEqual([100, 103, 106]);
    expect(r.stderr).toMatch(/warning: .*cut\.saz.*damaged zip archive: no central directory.*\[saz-truncated\]/);
  });
});

describe('bad usage that used to pass or crash', () => {
  it('export of a HAR or a Fiddler archive: no packets to export, exit 2', async () => {
    for (const file of ['captures/s2s-good.masked.har', 'captures/saz/basic-auth.saz']) {
      const path = join(repoRoot, file);
      const r = await runBin(['export', path, '-o', join(dir, 'none.pcapng')]);
      expect(r.code, r.stderr).toBe(2);
      expectOneLineError(r.stderr, path, /holds no packets to export/);
    }
  });

  it('export of standard input: it is read twice, so a saved file is needed, exit 2', async () => {
    const r = await runBin(['export', '-', '-o', join(dir, 'none.pcapng')]);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, '-', /needs a saved file/);
  });

  it('a --docs-url that is not a URL stops the scan at once, exit 2', async () => {
    const r = await runBin(['scan', join(repoRoot, 'captures/s2s-good.pcap'), '--no-config', '--docs-url', 'not-a-url']);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, 'not-a-url', /--docs-url.*not an absolute URL/);
    expect(r.stdout).toBe('');
  });

  it('decode of an empty token is a usage error, exit 2', async () => {
    for (const token of ['', 'Bearer ']) {
      const r = await runBin(['decode', token, '--no-config']);
      expect(r.code, r.stderr).toBe(2);
      expectOneLineError(r.stderr, 'decode', /no token given/);
    }
  });
});

describe('proxy --upstream-ca', () => {
  it('a file that holds no PEM certificate stops the proxy before it listens, exit 2', async () => {
    const path = join(dir, 'not-a-ca.pem');
    writeFileSync(path, 'hello\n');
    const r = await runBin(['proxy', '--no-tui', '--port', '0', '--no-config', '--ca-dir', join(dir, 'ca'), '--upstream-ca', path], { timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, path, /no PEM certificate/);
  });
});

describe('an output that names an input', () => {
  it.each([
    ['scan', '-o'],
    ['scan', '--record'],
    ['scan', '--write-baseline'],
    ['export', '-o'],
  ])('%s %s over the capture itself is refused before it is truncated, exit 2', async (command, flag) => {
    const capture = join(dir, `own-${command}${flag}.pcap`);
    const bytes = readFileSync(join(repoRoot, 'captures/basic-auth.pcap'));
    writeFileSync(capture, bytes);
    const r = await runBin([command, capture, '--no-config', flag, capture]);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, capture, /names an input of this run/);
    expect(readFileSync(capture).equals(bytes)).toBe(true);
  });
});

describe('usage errors found by the option parser', () => {
  it.each([
    [['completion', 'tcsh'], /'tcsh' is invalid/],
    [['scan', 'x.pcap', '--format', 'xml'], /'xml' is invalid/],
    [['no-such-command'], /unknown command/],
    [['export', 'x.pcap'], /required option '-o, --output/],
  ])('%j is one line and exit 2', async (args, problem) => {
    const r = await runBin(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oauth-inspect: .*\(run with --help for usage\)\n$/);
    expect(r.stderr).toMatch(problem);
  });

  it('shows a control character typed as an option value escaped', async () => {
    const r = await runBin(['scan', 'x.pcap', '--format', '\u001b[2J']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\x1b[2J');
    expect(r.stderr).not.toContain('\u001b');
  });
});

describe.runIf(existsSync('/dev/full'))('an output that fills the disk (/dev/full)', () => {
  it.each([['text'], ['json'], ['sarif'], ['junit'], ['jsonl'], ['ecs']])('scan --format %s -o /dev/full is one line naming it, exit 2', async (format) => {
    const r = await runBin(['scan', join(repoRoot, 'captures/basic-auth.pcap'), '--no-config', '--format', format, '-o', '/dev/full']);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, '/dev/full', /cannot write report \(ENOSPC\)/);
  });

  it('export -o /dev/full is one line naming it, exit 2, and claims nothing written', async () => {
    const r = await runBin(['export', join(repoRoot, 'captures/basic-auth.pcap'), '--no-config', '-o', '/dev/full']);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, '/dev/full', /cannot write the export \(ENOSPC\)/);
  });

  it.each([['scan'], ['exchanges']])('%s > /dev/full is one line about standard output, exit 2', (command) => {
    const run = spawnSync('bash', ['-c', '"$NODE" "$BIN" "$@" > /dev/full', 'sh', command, join(repoRoot, 'captures/basic-auth.pcap')], {
      env: { ...process.env, NODE: process.execPath, BIN: binPath },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('oauth-inspect: -: cannot write to standard output (ENOSPC)\n');
  });
});

describe('--keylog that is not a key log', () => {
  it.each([['scan'], ['exchanges']])('%s --keylog <a capture> is one line and exit 2, not a screen of bad-line warnings', async (command) => {
    const notKeys = join(repoRoot, 'captures/basic-auth.pcap');
    const r = await runBin([command, join(repoRoot, 'captures/tls-decryption/tls12-gcm.pcap'), '--keylog', notKeys]);
    expect(r.code, r.stderr).toBe(2);
    expectOneLineError(r.stderr, notKeys, /not an NSS key log/);
  });

  it('a key log with one bad line among good ones still decrypts, with a warning', async () => {
    const mixed = join(dir, 'mixed.keys');
    writeFileSync(mixed, `${readFileSync(join(repoRoot, 'captures/tls-decryption/tls12-gcm.keys'), 'latin1')}garbage\n`);
    const r = await runBin(['exchanges', join(repoRoot, 'captures/tls-decryption/tls12-gcm.pcap'), '--keylog', mixed]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('/EWS/Exchange.asmx');
    expect(r.stderr).toMatch(/keylog-bad-line/);
  });
});
