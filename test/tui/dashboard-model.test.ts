// DashboardModel and its parts (ring, list view, filter, timeline, detail, export) on real judgements.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import type { Judgement } from '../../src/model/index.js';
import { scanFiles } from '../../src/pipeline/scan.js';
import { BoundedRing } from '../../src/tui/bounded-ring.js';
import { DashboardModel } from '../../src/tui/dashboard-model.js';
import { detailLines } from '../../src/tui/detail-view.js';
import { validityState } from '../../src/report/jwt-text.js';
import { exportFindings } from '../../src/tui/export-findings.js';
import { parseFilter } from '../../src/tui/filter.js';
import { ListView } from '../../src/tui/list-view.js';
import { layoutModeFor } from '../../src/tui/terminal.js';
import { Timeline } from '../../src/tui/timeline.js';
import { reportMeta } from '../../src/commands/scan.js';
import { repoRoot } from '../helpers/cli.js';

async function judgementsOf(capture: string): Promise<Judgement[]> {
  const judgements: Judgement[] = [];
  await scanFiles([join(repoRoot, capture)], await resolveConfig(undefined), [{ name: 'test', judged: (j) => judgements.push(j) }]);
  return judgements;
}

let basic: Judgement[];
let sample: Judgement[];

beforeAll(async () => {
  basic = await judgementsOf('captures/basic-auth.pcap');
  sample = await judgementsOf('captures/sample-sfb-exchange.pcapng');
});

describe('BoundedRing', () => {
  it('keeps the last `capacity` items by sequence number', () => {
    const ring = new BoundedRing<number>(3);
    for (let i = 0; i < 5; i++) ring.push((seq) => seq * 10);
    expect([ring.firstSeq, ring.nextSeq, ring.size]).toEqual([2, 5, 3]);
    expect([ring.get(1), ring.get(2), ring.get(4), ring.get(5)]).toEqual([undefined, 20, 40, undefined]);
    expect(() => new BoundedRing(0)).toThrow(TypeError);
  });
});

describe('ListView', () => {
  it('scrolls the window to the cursor and forgets evicted entries', () => {
    const view = new ListView(false);
    for (let seq = 0; seq < 100; seq++) view.append(seq);
    expect(view.cursor).toBe(0);
    view.move(50);
    expect(view.windowStart(10)).toBe(41);
    view.dropBelow(30);
    expect([view.length, view.selectedSeq]).toEqual([70, 50]);
    view.move(-1000);
    expect([view.cursor, view.windowStart(10)]).toEqual([0, 0]);
    expect(view.select(99)).toBe(true);
    expect(view.selectedSeq).toBe(99);
    expect(view.select(5)).toBe(false);
  });

  it('follows the newest entry when asked to and the cursor is on the last one', () => {
    const view = new ListView(true);
    view.append(1);
    view.append(2);
    expect(view.selectedSeq).toBe(2);
    view.move(-1);
    view.append(3);
    expect(view.selectedSeq).toBe(1);
  });
});

describe('parseFilter', () => {
  it('reads field terms and free text', () => {
    expect(parseFilter(' host:Mail rule:no-basic sev:error scheme:basic severity:warn loose: x ').terms).toEqual([
      { field: 'host', value: 'mail' },
      { field: 'rule', value: 'no-basic' },
      { field: 'sev', value: 'error' },
      { field: 'scheme', value: 'basic' },
      { field: 'sev', value: 'warn' },
      { field: 'text', value: 'loose:' },
      { field: 'text', value: 'x' },
    ]);
  });
});

describe('DashboardModel', () => {
  it('counts schemes and findings as the judgements say, and filters rows and findings', () => {
    const model = new DashboardModel();
    for (const j of sample) model.push(j);
    const findings = sample.reduce((n, j) => n + j.findings.length, 0);
    expect(model.counts.exchanges).toBe(sample.length);
    expect(model.findings.length).toBe(findings);
    const sentBasic = sample.filter((j) => j.decoded.credentials.find((c) => c.direction === 'request')?.scheme === 'basic');
    expect(model.counts.schemes.Basic).toBe(sentBasic.length);

    model.setFilter('scheme:basic');
    expect(model.exchanges.length).toBe(sentBasic.length);
    expect(model.visibleRows(10).every((row) => row.scheme === 'Basic')).toBe(true);

    model.setFilter('rule:no-basic-auth');
    const withRule = sample.filter((j) => j.findings.some((f) => f.ruleId === 'no-basic-auth'));
    expect(model.exchanges.length).toBe(withRule.length);
    expect(model.listedFindings().every((e) => e.finding.ruleId === 'no-basic-auth')).toBe(true);

    model.setFilter('sev:error host:no-such-host');
    expect([model.exchanges.length, model.findings.length]).toEqual([0, 0]);
    model.setFilter('');
    expect(model.exchanges.length).toBe(sample.length);
  });

  it('stays within its capacity while the counters stay exact', () => {
    const model = new DashboardModel({ capacity: 5, findingCapacity: 4 });
    for (let i = 0; i < 40; i++) for (const j of sample) model.push(j);
    expect(model.counts.exchanges).toBe(40 * sample.length);
    expect(model.rows.size).toBe(5);
    expect(model.exchanges.length).toBe(5);
    expect(model.findings.length).toBe(4);
    expect(model.visibleRows(3)).toHaveLength(3);
  });
});

describe('Timeline', () => {
  it('keeps a fixed number of buckets and counts every request', () => {
    const timeline = new Timeline(8);
    for (let s = 0; s < 1000; s++) timeline.add(1000 + s, s % 2);
    expect(timeline.requests.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(timeline.findings.reduce((a, b) => a + b, 0)).toBe(500);
    expect(timeline.requests).toHaveLength(8);
    expect(timeline.secondsPerBucket * 8).toBeGreaterThanOrEqual(1000);
  });
});

describe('detailLines', () => {
  it('shows the Basic user and finding, masks the credential, never shows the password', () => {
    const model = new DashboardModel();
    for (const j of basic) model.push(j);
    const row = model.selectedRow;
    expect(row).toBeDefined();
    if (!row) return;
    const sighting = row.judgement.decoded.credentials[0];
    const decoded = sighting?.decoded;
    expect(decoded?.type).toBe('basic');
    const raw = Buffer.from(sighting?.value.reveal() ?? '', 'base64').toString('utf8');
    const password = raw.slice(raw.indexOf(':') + 1);
    const text = detailLines(row, false).join('\n');
    expect(text).toContain(`user: ${decoded?.type === 'basic' ? decoded.user : '?'}`);
    expect(text).toContain('no-basic-auth');
    const ex = row.judgement.decoded.exchange;
    expect(text).toContain(`Wireshark filter: tcp.stream eq ${ex.stream} && frame.number == ${ex.request.frame}`);
    expect(text).not.toContain(password);
    expect(text).not.toContain(sighting?.value.reveal());
    expect(detailLines(row, true).join('\n')).toContain(sighting?.value.reveal());
  });

  it('shows a JWT with its actor token, thumbprint and validity against capture time', () => {
    const bearer = sample.find((j) => j.decoded.credentials.some((c) => c.decoded.type === 'jwt'));
    expect(bearer).toBeDefined();
    const model = new DashboardModel();
    if (bearer) model.push(bearer);
    const jwt = bearer?.decoded.credentials.find((c) => c.decoded.type === 'jwt')?.decoded;
    const text = model.selectedRow ? detailLines(model.selectedRow, false).join('\n') : '';
    expect(text).toContain('JOSE header:');
    if (jwt?.type === 'jwt') {
      if (jwt.jwt.x5tThumbprint) expect(text).toContain(`x5t thumbprint: ${jwt.jwt.x5tThumbprint}`);
      if (jwt.jwt.actor) expect(text).toContain('actor token (actortoken claim):');
      expect(text).toContain(jwt.jwt.compact.masked().slice(0, 6));
      expect(text).not.toContain(jwt.jwt.compact.reveal());
    }
    expect(validityState({ nbf: 100, exp: 200 }, 150)).toMatch(/^valid at capture time, for 50 seconds more/);
    expect(validityState({ nbf: 100, exp: 200 }, 260)).toMatch(/^expired 1 minute before/);
    expect(validityState({ nbf: 100, exp: 200 }, 40)).toMatch(/^not yet valid/);
  });
});

describe('exportFindings', () => {
  it('writes the listed findings as a JSON report, masked unless asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-export-'));
    try {
      const model = new DashboardModel();
      for (const j of basic) model.push(j);
      const entries = model.listedFindings();
      const meta = reportMeta(await resolveConfig(undefined), 'error', 1);
      const path = await exportFindings(dir, ['basic-auth.pcap'], entries, meta, false, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
      expect(path).toBe(join(dir, 'oauth-inspect-findings-20260102T030405Z.json'));
      const text = readFileSync(path, 'utf8');
      const report = JSON.parse(text) as { findings: unknown[]; exchanges: unknown[] };
      expect(report.findings).toHaveLength(entries.length);
      expect(report.exchanges).toHaveLength(basic.length);
      for (const j of basic) for (const c of j.decoded.credentials) expect(text).not.toContain(c.value.reveal());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('layoutModeFor', () => {
  it('gives every panel from 80x24, a compact layout below, a message when tiny', () => {
    expect([layoutModeFor(80, 24), layoutModeFor(79, 24), layoutModeFor(80, 23), layoutModeFor(39, 30)]).toEqual(['full', 'compact', 'compact', 'too-small']);
  });
});
