// The real dashboard (`scan --tui`, built bin) driven inside tmux: panels, Basic auth masking, filter, export, quit.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBin } from '../helpers/cli.js';
import { tableRows, TmuxSession } from './tmux-session.js';

const SAMPLE = 'captures/sample-sfb-exchange.pcapng';
const BASIC = 'captures/basic-auth.pcap';
const RULES = 'examples/sfb-online-exchange-onprem.yaml';

interface ExchangeLine {
  readonly method: string;
  readonly authorization?: string[];
}

/** What `exchanges --show-secrets --format json` lists (one JSON object a line). */
async function exchangesOf(capture: string): Promise<ExchangeLine[]> {
  const { stdout, code } = await runBin(['exchanges', '--show-secrets', '--format', 'json', capture]);
  expect(code).toBe(0);
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as ExchangeLine);
}

/** user and password of every Basic Authorization header in the capture. */
async function basicCredentials(capture: string): Promise<{ user: string; password: string }[]> {
  const out: { user: string; password: string }[] = [];
  for (const ex of await exchangesOf(capture)) {
    for (const value of ex.authorization ?? []) {
      const m = /^Basic\s+(\S+)$/i.exec(value);
      if (!m?.[1]) continue;
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      out.push({ user: decoded.slice(0, colon), password: decoded.slice(colon + 1) });
    }
  }
  return out;
}

interface JsonReport {
  summary: { exchanges: number; findings: { total: number } };
  findings: { rule: string; severity: string }[];
}

async function scanReport(capture: string, ...extra: string[]): Promise<JsonReport> {
  const { stdout } = await runBin(['scan', capture, '--format', 'json', '--fail-on', 'never', ...extra]);
  return JSON.parse(stdout) as JsonReport;
}

let work: string;
let sessions: TmuxSession[] = [];
let counter = 0;

function open(args: string[], options: ConstructorParameters<typeof TmuxSession>[3] = {}): TmuxSession {
  counter++;
  const session = new TmuxSession(`tui-${process.pid}-${counter}`, args, join(work, `exit-${counter}`), options);
  sessions.push(session);
  return session;
}

const ready = (screen: string): boolean => screen.includes('| done |');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'oauth-inspect-tui-'));
  return () => rmSync(work, { recursive: true, force: true });
});

afterEach(() => {
  for (const session of sessions) session.kill();
  sessions = [];
});

describe('scan --tui in tmux', () => {
  it('shows every panel, the counts of the scan and readable borders, and q exits 0', async () => {
    const report = await scanReport(SAMPLE, '--rules', RULES);
    const session = open(['scan', SAMPLE, '--rules', RULES, '--fail-on', 'never', '--tui']);
    const screen = await session.waitFor(ready, 'the scan to finish');
    for (const label of ['Exchanges', 'Detail', 'Findings', 'Auth schemes', 'Timeline']) expect(screen).toContain(label);
    expect(screen).toContain(SAMPLE);
    expect(screen).toContain(`${report.summary.exchanges} exchanges`);
    expect(screen).toContain(`${report.summary.findings.total} findings`);
    expect(screen).toContain(`rules: ${RULES}`);
    expect(screen).toContain('q quit');
    expect(tableRows(screen)).toHaveLength(report.summary.exchanges);
    for (const scheme of ['Bearer', 'Basic', 'NTLM', 'Negotiate', 'none']) expect(screen).toMatch(new RegExp(`│${scheme}\\s`));
    expect(screen).toContain('requests (');
    // NCURSES_NO_UTF8_ACS=1: box-drawing characters, not the ACS letters (lqqk) tmux would show.
    expect(screen).toMatch(/┌─/);
    expect(screen).not.toMatch(/lqqq/);
    session.sendKeys('q');
    expect(await session.exitCode()).toBe(0);
  });

  it('on a Basic-auth exchange shows the finding and the user name but never the password', async () => {
    const credentials = await basicCredentials(BASIC);
    expect(credentials.length).toBeGreaterThan(0);
    const session = open(['scan', BASIC, '--tui']);
    await session.waitFor(ready, 'the scan to finish');
    const exchanges = await exchangesOf(BASIC);
    for (let index = 0; index < exchanges.length; index++) {
      if (index > 0) session.sendKeys('j');
      const screen = await session.waitFor((s) => s.includes(`tcp.stream`) && tableRows(s).length === exchanges.length, `exchange ${index}`);
      const credential = credentials[index];
      if (!credential) continue;
      const detail = await session.waitFor((s) => s.includes(`user: ${credential.user}`), `the user of exchange ${index}`);
      expect(detail).toContain('no-basic-auth');
      for (const { password } of credentials) expect(screen + detail).not.toContain(password);
    }
    session.sendKeys('Tab');
    const findings = await session.waitFor((s) => s.includes('[Findings]'), 'the findings pane to take focus');
    expect(findings).toMatch(/error\s+no-basic-auth/);
    for (const { password } of credentials) expect(findings).not.toContain(password);
    session.sendKeys('q');
    expect(await session.exitCode()).toBe(0);
  });

  it('narrows the table with a filter and exports the listed findings, masked', async () => {
    const ntlm = (await exchangesOf(SAMPLE)).filter((ex) => (ex.authorization ?? []).some((v) => /^NTLM\s/i.test(v)));
    const all = await exchangesOf(SAMPLE);
    expect(ntlm.length).toBeGreaterThan(0);
    expect(ntlm.length).toBeLessThan(all.length);
    const exportDir = mkdtempSync(join(work, 'export-'));
    const session = open(['scan', join(repoRoot, SAMPLE), '--rules', join(repoRoot, RULES), '--fail-on', 'never', '--tui'], { cwd: exportDir });
    const before = await session.waitFor(ready, 'the scan to finish');
    expect(tableRows(before)).toHaveLength(all.length);
    session.sendKeys('/');
    await session.waitFor((s) => s.includes('filter (host:'), 'the filter prompt');
    session.sendKeys('scheme:ntlm', 'Enter');
    const after = await session.waitFor((s) => s.includes('filter: scheme:ntlm'), 'the filter to apply');
    expect(tableRows(after)).toHaveLength(ntlm.length);
    for (const row of tableRows(after)) expect(row).toContain('NTLM');

    session.sendKeys('e');
    await session.waitFor((s) => s.includes('exported'), 'the export message');
    const files = readdirSync(exportDir).filter((f) => /^oauth-inspect-findings-.*\.json$/.test(f));
    expect(files).toHaveLength(1);
    const text = readFileSync(join(exportDir, files[0] ?? ''), 'utf8');
    const exported = JSON.parse(text) as JsonReport;
    const report = await scanReport(SAMPLE, '--rules', RULES);
    // The filter keeps the findings of the NTLM exchanges: fewer than all, and none that is not in the scan.
    expect(exported.findings.length).toBeGreaterThan(0);
    expect(exported.findings.length).toBeLessThan(report.findings.length);
    expect(exported.summary.exchanges).toBe(ntlm.length);
    for (const ex of ntlm) for (const value of ex.authorization ?? []) expect(text).not.toContain(value.split(/\s+/)[1]);
    session.sendKeys('q');
    expect(await session.exitCode()).toBe(0);
  });

  it('uses no colours with NO_COLOR', async () => {
    const session = open(['scan', BASIC, '--tui'], { env: { NO_COLOR: '1' } });
    await session.waitFor(ready, 'the scan to finish');
    const screen = session.capture(true);
    expect(screen).toContain('no-basic-auth');
    // Foreground / background colour SGR parameters (30-37, 40-47, 90-97, 38;5 …); resets (39, 49) are fine.
    expect(screen).not.toMatch(/\u001b\[(?:[\d;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[\d;]*)?m/);
    session.sendKeys('q');
    expect(await session.exitCode()).toBe(0);
  });

  it('gives a small terminal a compact layout, a tiny one a clear message', async () => {
    const compact = open(['scan', BASIC, '--tui'], { width: 70, height: 20 });
    const screen = await compact.waitFor((s) => s.includes('| done |'), 'the compact layout');
    expect(screen).toContain('Exchanges');
    expect(screen).toContain('Detail');
    expect(screen).not.toContain('Timeline');
    compact.sendKeys('q');
    expect(await compact.exitCode()).toBe(0);

    const tiny = open(['scan', BASIC, '--tui'], { width: 30, height: 10 });
    const message = await tiny.waitFor((s) => s.includes('Terminal too small'), 'the size message');
    expect(message.replace(/\s+/g, ' ')).toContain('press q to quit');
    tiny.sendKeys('q');
    expect(await tiny.exitCode()).toBe(0);
  });

  it('lays the screen out again when the terminal is resized', async () => {
    const session = open(['scan', BASIC, '--tui']);
    await session.waitFor((s) => ready(s) && s.includes('Timeline'), 'the full layout');
    session.resize(70, 20);
    await session.waitFor((s) => s.includes('Exchanges') && !s.includes('Timeline'), 'the compact layout');
    session.resize(120, 40);
    const full = await session.waitFor((s) => s.includes('Timeline') && s.includes('Findings'), 'the full layout again');
    expect(tableRows(full).length).toBeGreaterThan(0);
    session.sendKeys('q');
    expect(await session.exitCode()).toBe(0);
  });
});

describe('scan --tui without a terminal', () => {
  it('writes the text report and says why on stderr', async () => {
    const plain = await runBin(['scan', BASIC, '--fail-on', 'never']);
    const result = await runBin(['scan', BASIC, '--fail-on', 'never', '--tui']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(plain.stdout);
    expect(result.stderr).toContain('--tui needs a terminal');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
