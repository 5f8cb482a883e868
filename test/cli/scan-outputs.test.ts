// Every output is an addon that works with every source: scan --record, scan --format jsonl, and a failing addon.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { scanFiles } from '../../src/pipeline/scan.js';
import { repoRoot, runBin, runInProcess } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --record', () => {
  it('writes the scanned exchanges as a masked HAR, one entry per exchange, that scans to the same findings', async () => {
    const har = join(dir, 'sample.har');
    const scan = await runInProcess(['scan', 'captures/sample-sfb-exchange.pcap', '--record', har, '--format', 'json', '--fail-on', 'never']);
    expect(scan.code).toBe(0);
    const report = JSON.parse(scan.stdout) as { summary: { exchanges: number }; findings: Array<{ rule: string; messageId: string }> };
    const text = readFileSync(har, 'utf8');
    const log = (JSON.parse(text) as { log: { entries: unknown[] } }).log;
    expect(log.entries).toHaveLength(report.summary.exchanges);
    // No raw secret: the Basic password, the NTLM response, a token signature.
    const sample = readFileSync(join(repoRoot, 'captures/sample-sfb-exchange.tshark.tsv'), 'utf8');
    const basic = /Basic (\S+)/.exec(sample)![1]!;
    const bearer = /Bearer (eyJ\S+)/.exec(sample)![1]!;
    expect(text).not.toContain(basic);
    // The outer token's payload carries the signed actor token: re-encoded with the actor's signature masked.
    expect(text).not.toContain(bearer.split('.')[1]!);
    expect(text).toContain(bearer.split('.')[0]!);
    const rescan = await runInProcess(['scan', har, '--format', 'json', '--fail-on', 'never']);
    const rules = (r: { findings: Array<{ rule: string }> }) => r.findings.map((f) => f.rule).filter((rule) => rule !== 'token-signature-unverified').sort();
    expect(rules(JSON.parse(rescan.stdout) as typeof report)).toEqual(rules(report));
  });

  it('refuses a path it cannot write with one line and exit 2', async () => {
    const result = await runInProcess(['scan', 'captures/s2s-good.pcap', '--record', join(dir, 'missing', 'x.har')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cannot write the recording \(ENOENT\)/);
  });
});

describe('scan --max-exchanges', () => {
  it('cuts the listed exchanges, not the places of the findings on the others', async () => {
    const scan = async (format: string, ...limit: string[]) =>
      JSON.parse((await runInProcess(['scan', 'captures/sample-sfb-exchange.pcap', '--format', format, '--fail-on', 'never', ...limit])).stdout) as {
        exchanges?: Array<{ id: string }>;
        findings?: Array<Record<string, unknown>>;
        runs?: Array<{ results: Array<{ locations: unknown; properties: unknown }> }>;
      };
    const [full, cut] = [await scan('json'), await scan('json', '--max-exchanges', '1')];
    expect(cut.exchanges).toHaveLength(1);
    const listed = new Set(cut.exchanges!.map((ex) => ex.id));
    expect(cut.findings!.filter((f) => !listed.has(f['exchange'] as string)).length).toBeGreaterThan(0);
    // Everything but the credential's id, which names a sighting of a listed exchange.
    const place = ({ credential: _credential, ...finding }: Record<string, unknown>) => finding;
    expect(cut.findings!.map(place)).toEqual(full.findings!.map(place));
    const sarifPlaces = (log: typeof full) => log.runs![0]!.results.map((r) => [r.locations, r.properties]);
    expect(sarifPlaces(await scan('sarif', '--max-exchanges', '1'))).toEqual(sarifPlaces(await scan('sarif')));
  });
});

describe('scan --format jsonl', () => {
  it('streams exchange, finding and anomaly lines then a summary; exchange lines have exactly the fields of exchanges --format json', async () => {
    const capture = 'captures/sample-sfb-exchange.pcap';
    const jsonl = await runInProcess(['scan', capture, '--format', 'jsonl']);
    const lines = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const exchanges = (await runInProcess(['exchanges', capture, '--format', 'json'])).stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const exchangeLines = lines.filter((l) => l['type'] === 'exchange').map(({ type: _type, id: _id, ...rest }) => rest);
    expect(exchangeLines).toEqual(exchanges);
    const findings = lines.filter((l) => l['type'] === 'finding');
    expect(findings.map((f) => f['rule'])).toContain('no-basic-auth');
    for (const finding of findings) expect(Object.keys(finding)).toEqual(expect.arrayContaining(['rule', 'severity', 'message', 'fix', 'docs', 'frame', 'stream']));
    const summary = lines.at(-1)!;
    expect(summary['type']).toBe('summary');
    expect(summary['exchanges']).toBe(exchanges.length);
    expect(summary['exitCode']).toBe(jsonl.code);
  });

  it('writes to --output and closes it, with the exit code of the scan; an unwritable path is one line and exit 2', async () => {
    const target = join(dir, 'scan.jsonl');
    const written = await runBin(['scan', 'captures/s2s-good.pcap', '--format', 'jsonl', '-o', target]);
    expect(written.code).toBe(0);
    const lines = readFileSync(target, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)!['type']).toBe('summary');
    const refused = await runBin(['scan', 'captures/s2s-good.pcap', '--format', 'jsonl', '-o', join(dir, 'missing', 'x.jsonl')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([`oauth-inspect: ${join(dir, 'missing', 'x.jsonl')}: cannot write report (ENOENT)`]);
  });

  it('streams capture findings and anomalies of an unreadable capture', async () => {
    const jsonl = await runInProcess(['scan', 'captures/tls-decryption/tls13-aes256.pcap', '--format', 'jsonl']);
    const lines = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l['type'])).toEqual(['anomaly', 'finding', 'summary']);
    expect(lines[1]!['rule']).toBe('capture-unreadable');
    expect(jsonl.code).toBe(1);
  });
});

describe('report files', () => {
  it('an unwritable --output (scan) or --report (proxy) is one line and exit 2, before anything is read or proxied', async () => {
    const scan = await runBin(['scan', 'captures/s2s-good.pcap', '-o', join(dir, 'missing', 'r.txt')]);
    expect(scan.code).toBe(2);
    expect(scan.stderr.trim().split('\n')).toEqual([`oauth-inspect: ${join(dir, 'missing', 'r.txt')}: cannot write report (ENOENT)`]);
    const proxy = await runBin(['proxy', '--port', '0', '--no-tui', '--ca-dir', join(dir, 'ca'), '--report', join(dir, 'missing', 'r.sarif')], { timeoutMs: 20_000 });
    expect(proxy.code).toBe(2);
    expect(proxy.stderr).not.toMatch(/listening on/);
    expect(proxy.stderr.trim().split('\n')).toEqual([`oauth-inspect: ${join(dir, 'missing', 'r.sarif')}: cannot write report (ENOENT)`]);
  });
});

describe('addons', () => {
  it('a throwing addon is logged, the others still get every exchange and the summary, and the run ends as an internal error', async () => {
    const logged: string[] = [];
    let judged = 0;
    let done = false;
    const scanning = scanFiles(
      [join(repoRoot, 'captures/sample-sfb-exchange.pcap')],
      await resolveConfig(undefined),
      [
        { name: 'broken', judged: () => { throw new Error('boom'); }, done: () => { throw new Error('boom at the end'); } },
        { name: 'counting', judged: () => void judged++, done: () => void (done = true) },
      ],
      { log: (line) => logged.push(line) },
    );
    // Not a pass: a report that broke is no report (runCli makes this exit 3).
    await expect(scanning).rejects.toThrow("output broken failed: the run's output is incomplete");
    expect(judged).toBe(7);
    expect(done).toBe(true);
    expect(logged.filter((line) => line.startsWith('output broken failed in judged: boom'))).toHaveLength(judged);
    expect(logged).toContain('output broken failed in done: boom at the end');
  });

  it('an aborted signal stops the scan: the next file is not read, and the summary says so', async () => {
    const stop = new AbortController();
    let judged = 0;
    const outcome = await scanFiles(
      [join(repoRoot, 'captures/sample-sfb-exchange.pcap'), join(repoRoot, 'captures/basic-auth.pcap')],
      await resolveConfig(undefined),
      [{ name: 'stopper', judged: () => { judged++; stop.abort(); } }],
      { signal: stop.signal },
    );
    expect(outcome.stopped).toBe(true);
    expect(outcome.sources.map((source) => source.file)).toEqual([join(repoRoot, 'captures/sample-sfb-exchange.pcap')]);
    // The first file was read in one chunk before the first judgement; nothing of the second one was.
    expect(outcome.exchangeCount).toBe(outcome.sources[0]!.exchanges);
    expect(judged).toBe(outcome.exchangeCount);
  });
});
