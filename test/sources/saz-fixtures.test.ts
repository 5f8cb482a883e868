// The committed .saz fixtures against the captures they were cut from: same requests, answers, credentials and findings.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../src/model/index.js';
import { exchangeHost } from '../../src/model/index.js';
import { decodeExchange } from '../../src/decode/index.js';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import { openZip } from '../../src/sources/zip-archive.js';
import { recordedExchanges, SAZ_FIXTURES, sessionOf, sidOf, writeSaz } from '../../scripts/record-saz-fixtures.js';
import { repoRoot, runInProcess } from '../helpers/cli.js';

const capturesDir = join(repoRoot, 'captures');
const config = 'examples/sfb-online-exchange-onprem.yaml';
const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-saz-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exchangesOf(path: string): Promise<HttpExchange[]> {
  const exchanges: HttpExchange[] = [];
  await readExchanges(path, {
    exchange: (ex) => exchanges.push(ex),
    anomaly: (a) => {
      throw new Error(`${path}: unexpected anomaly ${a.code}: ${a.message}`);
    },
  });
  return exchanges;
}

/** What a session must share with the exchange of the capture it was cut from. */
function content(ex: HttpExchange): unknown {
  return {
    method: ex.request.method,
    url: `${ex.scheme}://${exchangeHost(ex)}${ex.request.uri}`,
    version: ex.request.version,
    time: ex.request.time,
    client: ex.client,
    serverIp: ex.server.ip,
    requestHeaders: ex.request.headers,
    requestBody: ex.request.body.bytes.toString('latin1'),
    status: ex.response?.status,
    responseHeaders: ex.response?.headers,
    responseBody: ex.response?.body.bytes.toString('latin1'),
    responseEncoding: ex.response?.body.contentEncoding,
    credentials: decodeExchange(ex).credentials.map((c) => [c.direction, c.scheme, c.location, c.value.fingerprint]),
  };
}

interface Finding {
  rule: string;
  severity: string;
  message: string;
}

async function findingsOf(path: string): Promise<string[]> {
  const r = await runInProcess(['scan', path, '--rules', config, '--format', 'json', '--fail-on', 'never']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.map((f) => `${f.rule} ${f.severity} ${f.message}`).sort();
}

describe.each(SAZ_FIXTURES)('captures/saz/$name', (fixture) => {
  const saz = join(capturesDir, 'saz', fixture.name);

  it('holds each exchange of its captures as one session, in order, with SIDs that are not file numbers', async () => {
    const captured = (await Promise.all(fixture.pcaps.map((pcap) => exchangesOf(join(capturesDir, pcap))))).flat();
    const sessions = await exchangesOf(saz);
    expect(sessions).toHaveLength(captured.length);
    sessions.forEach((session, i) => {
      expect(session.origin).toEqual({ kind: 'saz', file: saz });
      expect(session.session).toBe(sidOf(i));
      expect(session.session).not.toBe(i + 1);
      expect(content(session)).toEqual(content(captured[i]!));
    });
  });

  it('is scored like its captures: the same findings', async () => {
    const expected = (await Promise.all(fixture.pcaps.map((pcap) => findingsOf(`captures/${pcap}`)))).flat().sort();
    expect(await findingsOf(`captures/saz/${fixture.name}`)).toEqual(expected);
  });

  it('is what scripts/record-saz-fixtures.ts writes today (zero-padded names, Fiddler layout)', async () => {
    const recorded = (await Promise.all(fixture.pcaps.map((pcap) => recordedExchanges(join(capturesDir, pcap))))).flat();
    const rebuilt = join(dir, fixture.name);
    writeSaz(rebuilt, recorded.map((one, i) => sessionOf(one, sidOf(i))));
    expect(readFileSync(rebuilt).equals(readFileSync(saz))).toBe(true);
  });
});

describe('fiddler-mixed.saz layout', () => {
  it('numbers its 16 sessions 01 to 16, after [Content_Types].xml and _index.htm', async () => {
    const archive = await openZip(join(capturesDir, 'saz', 'fiddler-mixed.saz'), 100);
    archive.close();
    const names = archive.entries.map((entry) => entry.name);
    expect(names.slice(0, 5)).toEqual(['[Content_Types].xml', '_index.htm', 'raw/01_c.txt', 'raw/01_m.xml', 'raw/01_s.txt']);
    expect(names.at(-1)).toBe('raw/16_s.txt');
  });
});
