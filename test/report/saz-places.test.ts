// Fiddler archive exchanges are placed by `session` (the SID) in every output, as HAR exchanges are by `entry`.
import { join } from 'node:path';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import type { HttpExchange } from '../../src/model/index.js';
import { readSazFile } from '../../src/sources/saz-reader.js';
import { detailLines } from '../../src/tui/detail-view.js';
import { exchangeRowOf } from '../../src/tui/exchange-row.js';
import { repoRoot, runInProcess } from '../helpers/cli.js';
import { parseXml, type XmlElement } from './mini-xml.js';
import { errorsOf, validateReport, validateSarif } from './schema-validators.js';

const saz = 'captures/saz/basic-auth.saz';

async function scan(format: string): Promise<string> {
  const r = await runInProcess(['scan', saz, '--format', format, '--fail-on', 'never']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('captures/saz/basic-auth.saz (SIDs 100 and 103)', () => {
  it('JSON: session on exchanges, credentials and findings; frame and stream null; valid against the schema', async () => {
    const report = JSON.parse(await scan('json')) as Record<string, Array<Record<string, unknown>>>;
    expect(validateReport(report), errorsOf(validateReport)).toBe(true);
    expect(report['exchanges']!.map((ex) => [ex['id'], ex['session'], ex['frame'], ex['stream'], ex['entry']])).toEqual(
      [100, 103].map((sid) => [`${saz}#session.${sid}`, sid, null, null, undefined]),
    );
    expect(report['credentials']!.map((c) => [c['session'], c['frame'], c['stream']])).toEqual([[100, null, null], [103, null, null]]);
    const basic = report['findings']!.filter((f) => f['rule'] === 'no-basic-auth');
    expect(basic.map((f) => [f['session'], f['exchange']])).toEqual([100, 103].map((sid) => [sid, `${saz}#session.${sid}`]));
  });

  it('text: findings say `session N`', async () => {
    const text = await scan('text');
    const places = [...text.matchAll(/^ {4}\S+ {2}(session \d+) {2}mail\.contoso\.test \/EWS\/Exchange\.asmx$/gm)].map((m) => m[1]);
    expect(places.slice(0, 2)).toEqual(['session 100', 'session 103']);
  });

  it('SARIF: the logical location is the session, an element', async () => {
    const log = JSON.parse(await scan('sarif')) as Log;
    expect(validateSarif(log), errorsOf(validateSarif)).toBe(true);
    const results = log.runs[0]!.results!.filter((r) => r.ruleId === 'no-basic-auth');
    expect(results.map((r) => r.locations![0]!.logicalLocations![0]!.name)).toEqual(['session 100', 'session 103']);
    expect(results[0]!.locations![0]!.logicalLocations![0]!.kind).toBe('element');
    expect(results[1]!.locations![0]!.properties).toMatchObject({ frame: null, stream: null, session: 103 });
  });

  it('JUnit: each finding line names its session', async () => {
    const text = await scan('junit');
    const all = (element: XmlElement): XmlElement[] => [element, ...element.children.flatMap(all)];
    const testcase = all(parseXml(text)).find((e) => e.name === 'testcase' && e.attributes['name'] === 'no-basic-auth');
    const out = testcase?.children.find((e) => e.name === 'system-out')?.text ?? '';
    expect(out.split('\n').filter((line) => line.startsWith('error ')).map((line) => /^error (session \d+) /.exec(line)?.[1])).toEqual(['session 100', 'session 103']);
  });

  it('JSON Lines: findings carry the session', async () => {
    const lines = (await scan('jsonl')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const findings = lines.filter((l) => l['rule'] === 'no-basic-auth' || (l['finding'] as Record<string, unknown> | undefined)?.['rule'] === 'no-basic-auth');
    expect(JSON.stringify(findings)).toContain('"session":100');
  });

  it('exchanges: `session N` in text, session and the client in JSON', async () => {
    const text = await runInProcess(['exchanges', saz]);
    expect(text.stdout.split('\n')[1]).toMatch(/^captures\/saz\/basic-auth\.saz {2}session 103 {2}\S+ {2}127\.0\.0\.1:\d+ -> 127\.0\.0\.1:80 {2}POST mail\.contoso\.test \/EWS\/Exchange\.asmx {2}200 {2}auth: Basic /);
    const json = await runInProcess(['exchanges', '--format', 'json', saz]);
    const lines = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l['session'], l['frame'], l['stream']])).toEqual([[100, null, null], [103, null, null]]);
  });

  it('dashboard detail: `session N`', async () => {
    const exchanges: HttpExchange[] = [];
    await readSazFile(join(repoRoot, saz), (ex) => exchanges.push(ex), () => {});
    const row = exchangeRowOf(0, { decoded: decodeExchange(exchanges[1]!), findings: [], ruleErrors: [] });
    expect(detailLines(row, false)[2]).toMatch(/^ {2}session 103 {2}at /);
  });
});
