// HAR exchanges are placed by `entry` (index in log.entries) in every output: no frame 0, stream -1 or client `:0`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import type { HttpExchange } from '../../src/model/index.js';
import { ScanCollector } from '../../src/pipeline/scan.js';
import { HarWriter } from '../../src/report/har-writer.js';
import { readHarFile } from '../../src/sources/har-reader.js';
import { exchangeRowOf } from '../../src/tui/exchange-row.js';
import { detailLines } from '../../src/tui/detail-view.js';
import { makeExchange } from '../factories.js';
import { runInProcess } from '../helpers/cli.js';
import { about, decodedExchange } from './builders.js';
import { parseXml, type XmlElement } from './mini-xml.js';
import { errorsOf, validateReport, validateSarif } from './schema-validators.js';

const FIXTURES = join(import.meta.dirname, '../sources/data/har');
const FIXTURE_FILES = ['charles-trimmed.har', 'chrome-postdata.har', 'chrome-trimmed.har', 'fiddler-with-bom.har', 'insomnia.har'];
const basic = (user: string): string => `Basic ${Buffer.from(`${user}:Pa55-${user}`).toString('base64')}`;

/** Plain-HTTP requests: entries 0, 2 and 3 send Basic credentials, entry 1 none. */
const ENTRIES: HttpExchange[] = [
  makeExchange({ uri: '/a', scheme: 'http', requestHeaders: { Host: 'mail.contoso.com', Authorization: basic('alice') }, status: 200 }),
  makeExchange({ uri: '/b', scheme: 'http', requestHeaders: { Host: 'mail.contoso.com' }, status: 200 }),
  makeExchange({ uri: '/c', scheme: 'http', requestHeaders: { Host: 'mail.contoso.com', Authorization: basic('bob') }, status: 200 }),
  makeExchange({ uri: '/d', scheme: 'http', requestHeaders: { Host: 'mail.contoso.com', Authorization: basic('carol') }, status: 200 }),
];

let dir: string;
let har: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-har-places-'));
  har = join(dir, 'recorded.har');
  const writer = await HarWriter.create(har, { masked: false, creator: { name: 'oauth-inspect', version: 'test' } });
  for (const ex of ENTRIES) writer.add(ex);
  await writer.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(format: string, file = har): Promise<string> {
  const r = await runInProcess(['scan', file, '--format', format, '--fail-on', 'never']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** No trace of the placeholders a HAR exchange used to print. */
function expectNoPlaceholders(text: string): void {
  expect(text).not.toMatch(/frame 0\b|stream -1|"frame": 0\b|"stream": -1|"client": ":0"|#-1\./);
}

describe('a HAR built by HarWriter', () => {
  it('reads back with entry = index in log.entries', async () => {
    const exchanges: HttpExchange[] = [];
    await readHarFile(har, (ex) => exchanges.push(ex), () => {});
    expect(exchanges.map((ex) => ex.entry)).toEqual([0, 1, 2, 3]);
  });

  it('JSON: entry on exchanges, credentials and findings; frame, stream and client null; valid against the schema', async () => {
    const text = await scan('json');
    expectNoPlaceholders(text);
    const report = JSON.parse(text) as Record<string, Array<Record<string, unknown>>>;
    expect(validateReport(report), errorsOf(validateReport)).toBe(true);
    expect(report['exchanges']!.map((ex) => [ex['id'], ex['entry'], ex['frame'], ex['responseFrame'], ex['stream'], ex['client']])).toEqual(
      [0, 1, 2, 3].map((entry) => [`${har}#entry.${entry}`, entry, null, null, null, null]),
    );
    expect(report['credentials']!.map((c) => [c['entry'], c['frame'], c['stream']])).toEqual([[0, null, null], [2, null, null], [3, null, null]]);
    const basicFindings = report['findings']!.filter((f) => f['rule'] === 'no-basic-auth');
    expect(basicFindings.map((f) => [f['entry'], f['frame'], f['stream'], f['exchange']])).toEqual(
      [0, 2, 3].map((entry) => [entry, null, null, `${har}#entry.${entry}`]),
    );
  });

  it('text: findings say `entry N`, in entry order', async () => {
    const text = await scan('text');
    expectNoPlaceholders(text);
    const places = [...text.matchAll(/^ {4}\S+ {2}(entry \d+) {2}mail\.contoso\.com \/(\w)$/gm)].map((m) => `${m[1]} /${m[2]}`);
    expect(places.slice(0, 3)).toEqual(['entry 0 /a', 'entry 2 /c', 'entry 3 /d']);
  });

  it('SARIF: the logical location is the entry, frame and stream null', async () => {
    const text = await scan('sarif');
    expectNoPlaceholders(text);
    const log = JSON.parse(text) as Log;
    expect(validateSarif(log), errorsOf(validateSarif)).toBe(true);
    const results = log.runs[0]!.results!.filter((r) => r.ruleId === 'no-basic-auth');
    expect(results.map((r) => r.locations![0]!.logicalLocations![0]!.name)).toEqual(['entry 0', 'entry 2', 'entry 3']);
    expect(results[0]!.locations![0]!.logicalLocations![0]!.kind).toBe('element');
    expect(results[1]!.locations![0]!.properties).toEqual({ frame: null, stream: null, entry: 2, host: 'mail.contoso.com', path: '/c' });
    expect(results[1]!.message.text).toContain('(entry 2: mail.contoso.com/c)');
  });

  it('JUnit: each finding line names its entry', async () => {
    const text = await scan('junit');
    expectNoPlaceholders(text);
    const all = (element: XmlElement): XmlElement[] => [element, ...element.children.flatMap(all)];
    const testcase = all(parseXml(text)).find((e) => e.name === 'testcase' && e.attributes['name'] === 'no-basic-auth');
    const out = testcase?.children.find((e) => e.name === 'system-out')?.text ?? '';
    expect(out.split('\n').filter((line) => !line.startsWith('  fix: ')).map((line) => /^error (entry \d+) mail\.contoso\.com\/\w: /.exec(line)?.[1])).toEqual(['entry 0', 'entry 2', 'entry 3']);
  });

  it('exchanges: `entry N` in text, entry and nulls in JSON', async () => {
    const text = await runInProcess(['exchanges', har]);
    expect(text.stdout.split('\n')[1]).toMatch(new RegExp(`^${har.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2}entry 1 {2}\\S+ {2}- -> 127\\.0\\.0\\.1:80 {2}GET mail\\.contoso\\.com /b {2}200$`));
    expectNoPlaceholders(text.stdout);
    const json = await runInProcess(['exchanges', '--format', 'json', har]);
    const lines = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l['entry'], l['frame'], l['stream'], l['client']])).toEqual([0, 1, 2, 3].map((entry) => [entry, null, null, null]));
  });

  it('dashboard detail: `entry N` and no client address', async () => {
    const exchanges: HttpExchange[] = [];
    await readHarFile(har, (ex) => exchanges.push(ex), () => {});
    const row = exchangeRowOf(0, { decoded: decodeExchange(exchanges[2]!, 3), findings: [], ruleErrors: [] });
    const lines = detailLines(row, false);
    expect(lines[2]).toMatch(/^ {2}entry 2 {2}at /);
    expect(lines[3]).toBe('  (client not recorded) -> 127.0.0.1:80');
  });
});

describe('the HAR fixtures', () => {
  it.each(FIXTURE_FILES)('%s: every exchange and anomaly carries its entry, none a frame, stream or client', async (file) => {
    const path = join(FIXTURES, file);
    const entries = (JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as { log: { entries: unknown[] } }).log.entries;
    const text = await scan('json', path);
    expectNoPlaceholders(text);
    const report = JSON.parse(text) as Record<string, Array<Record<string, unknown>>>;
    expect(validateReport(report), errorsOf(validateReport)).toBe(true);
    expect(report['exchanges']!.map((ex) => ex['entry'])).toEqual(entries.map((_, index) => index));
    for (const ex of report['exchanges']!) expect([ex['frame'], ex['stream'], ex['client']]).toEqual([null, null, null]);
    for (const anomaly of report['anomalies']!) expect(anomaly['stream']).toBeUndefined();
  });
});

describe('ScanCollector', () => {
  it('lists the findings of one rule in entry order, whatever order they were judged in', () => {
    const collector = new ScanCollector();
    for (const entry of [3, 0, 2]) {
      const decoded = decodedExchange(entry + 1, { ...ENTRIES[entry]!, entry });
      collector.add({
        decoded,
        findings: [{ ruleId: 'no-basic-auth', severity: 'error', message: `entry ${entry}`, messageId: 'basic', data: {}, ...about(decoded), fix: 'f', docs: 'd' }],
        ruleErrors: [],
      });
    }
    expect(collector.result([]).findings.map((f) => f.place?.entry)).toEqual([0, 2, 3]);
  });
});
