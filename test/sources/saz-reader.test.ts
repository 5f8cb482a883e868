// The .saz reader on archives built here: layout, metadata, tunnels, limits (zip bombs), encryption and damage.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Anomaly, HttpExchange } from '../../src/model/index.js';
import { InputError } from '../../src/model/index.js';
import { decodeExchange } from '../../src/decode/index.js';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import { DEFAULT_SAZ_LIMITS, readSazFile, type SazLimits } from '../../src/sources/saz-reader.js';
import { repoRoot, runInProcess } from '../helpers/cli.js';
import { zipArchive, type ZipFileSpec } from '../helpers/zip-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-saz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function writeTemp(bytes: Buffer): string {
  const path = join(dir, `archive-${files++}.saz`);
  writeFileSync(path, bytes);
  return path;
}

interface Read {
  readonly exchanges: HttpExchange[];
  readonly anomalies: Anomaly[];
  readonly damaged: boolean;
}

async function readSaz(bytes: Buffer, limits?: Partial<SazLimits>): Promise<Read> {
  const exchanges: HttpExchange[] = [];
  const anomalies: Anomaly[] = [];
  const summary = await readSazFile(writeTemp(bytes), (ex) => exchanges.push(ex), (a) => anomalies.push(a), {
    limits: { ...DEFAULT_SAZ_LIMITS, ...limits },
  });
  return { exchanges, anomalies, damaged: summary.damaged };
}

function metadata(sid: number, flags: Record<string, string> = {}, begin = '2026-03-02T10:15:30.1234567+01:00'): string {
  const flagLines = Object.entries(flags).map(([n, v]) => `<SessionFlag N="${n}" V="${v}" />`);
  return `<?xml version="1.0" encoding="utf-8"?>\r\n<Session SID="${sid}" BitFlags="0">\r\n<SessionTimers ClientConnected="0001-01-01T00:00:00" ClientBeginRequest="${begin}" ServerDoneResponse="2026-03-02T10:15:31.0000000+01:00" />\r\n<PipeInfo />\r\n<SessionFlags>${flagLines.join('')}</SessionFlags>\r\n</Session>`;
}

const GET = 'GET http://mail.contoso.test/EWS/Exchange.asmx?x=1 HTTP/1.1\r\nHost: mail.contoso.test\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** One session's three files; `response` null leaves out `_s.txt`. */
function session(number: string, sid: number, request = GET, response: string | null = OK, flags: Record<string, string> = {}): ZipFileSpec[] {
  return [
    { name: `raw/${number}_c.txt`, data: request },
    { name: `raw/${number}_m.xml`, data: metadata(sid, flags) },
    ...(response !== null ? [{ name: `raw/${number}_s.txt`, data: response }] : []),
  ];
}

const FRAME: ZipFileSpec[] = [
  { name: '[Content_Types].xml', data: '<?xml version="1.0" encoding="utf-8" ?><Types />' },
  { name: '_index.htm', data: '<html></html>' },
];

describe('a Fiddler archive', () => {
  it('gives one exchange per session, placed by SID, time, client and server from the metadata', async () => {
    const { exchanges, anomalies } = await readSaz(zipArchive([...FRAME, ...session('1', 57, GET, OK, { 'x-clientip': '10.1.2.3', 'x-clientport': '50123', 'x-hostip': '10.9.8.7' })]));
    expect(anomalies).toEqual([]);
    expect(exchanges).toHaveLength(1);
    const [ex] = exchanges;
    expect(ex!.origin.kind).toBe('saz');
    expect(ex!.session).toBe(57);
    expect(ex!.stream).toBeUndefined();
    expect(ex!.request.frame).toBeUndefined();
    expect(ex!.request.uri).toBe('/EWS/Exchange.asmx?x=1');
    expect(ex!.scheme).toBe('http');
    expect(ex!.client).toEqual({ ip: '10.1.2.3', port: 50123 });
    expect(ex!.server).toEqual({ ip: '10.9.8.7', port: 80 });
    // 10:15:30.1234567 at +01:00 is 09:15:30.1234567Z.
    expect(ex!.request.time).toEqual({ sec: Date.UTC(2026, 2, 2, 9, 15, 30) / 1000, nsec: 123_456_700 });
    expect(ex!.response?.status).toBe(200);
    expect(ex!.response?.body.bytes.toString()).toBe('ok');
  });

  it('reads an https URL as TLS on 443, and keeps a Host header from the URL when the request has none', async () => {
    const request = 'POST https://login.contoso.test:8443/tokens HTTP/1.1\r\nContent-Length: 3\r\n\r\na=b';
    const [ex] = (await readSaz(zipArchive(session('1', 3, request)))).exchanges;
    expect(ex!.scheme).toBe('https');
    expect(ex!.tls).toEqual({});
    expect(ex!.server.port).toBe(8443);
    expect(ex!.request.headers[0]).toEqual(['Host', 'login.contoso.test:8443']);
    expect(ex!.request.body.bytes.toString()).toBe('a=b');
  });

  it('orders sessions by file number, not by entry order or SID, and zero-padded numbers of any width', async () => {
    const count = 1200;
    const width = String(count).length;
    const specs: ZipFileSpec[] = [];
    for (let i = count; i >= 1; i--) specs.push(...session(String(i).padStart(width, '0'), 5000 - i, GET, OK));
    const { exchanges, anomalies } = await readSaz(zipArchive([...FRAME, ...specs]));
    expect(anomalies).toEqual([]);
    expect(exchanges).toHaveLength(count);
    expect(exchanges.slice(0, 3).map((ex) => ex.session)).toEqual([4999, 4998, 4997]);
    expect(exchanges.at(-1)!.session).toBe(5000 - count);
  });

  it('undoes chunked framing and gzip as in captures', async () => {
    const body = gzipSync('{"access_token":"abc"}');
    const response = Buffer.concat([
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`),
      body,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const [ex] = (await readSaz(zipArchive([{ name: 'raw/1_c.txt', data: GET }, { name: 'raw/1_m.xml', data: metadata(9) }, { name: 'raw/1_s.txt', data: response }]))).exchanges;
    expect(ex!.response?.body.bytes.toString()).toBe('{"access_token":"abc"}');
    expect(ex!.response?.body.contentEncoding).toBe('gzip');
  });

  it('reads a session Fiddler Everywhere saved as HTTP/2 with the HTTP/1 parser, keeping its version', async () => {
    const request = 'POST https://login.contoso.test/tokens HTTP/2.0\r\nhost: login.contoso.test\r\ncontent-length: 3\r\n\r\na=b';
    const { exchanges, anomalies } = await readSaz(zipArchive(session('1', 6, request, 'HTTP/2.0 200 OK\r\ncontent-length: 2\r\n\r\nok')));
    expect(anomalies).toEqual([]);
    const [ex] = exchanges;
    expect([ex!.request.version, ex!.request.method, ex!.request.uri, ex!.request.body.bytes.toString()]).toEqual(['HTTP/2', 'POST', '/tokens', 'a=b']);
    expect([ex!.response?.version, ex!.response?.status, ex!.response?.body.bytes.toString()]).toEqual(['HTTP/2', 200, 'ok']);
  });

  it('makes a session without a response file an exchange without a response', async () => {
    const { exchanges, anomalies } = await readSaz(zipArchive(session('1', 4, GET, null)));
    expect(exchanges[0]!.response).toBeUndefined();
    expect(anomalies.map((a) => a.code)).toEqual(['saz-no-response']);
    expect(anomalies[0]!.message).toBe('session 4 (raw/1): no response recorded');
  });

  it('skips a session without its request file, with an anomaly', async () => {
    const specs = [...session('1', 11), { name: 'raw/2_m.xml', data: metadata(12) }, { name: 'raw/2_s.txt', data: OK }, ...session('3', 13)];
    const { exchanges, anomalies } = await readSaz(zipArchive(specs));
    expect(exchanges.map((ex) => ex.session)).toEqual([11, 13]);
    expect(anomalies.map((a) => [a.code, a.message])).toEqual([['saz-missing-request', 'session 12 (raw/2): no _c.txt request file: session skipped']]);
  });

  it('places a session without metadata by its file number, at time 0', async () => {
    const { exchanges, anomalies } = await readSaz(zipArchive([{ name: 'raw/07_c.txt', data: GET }, { name: 'raw/07_s.txt', data: OK }]));
    expect(exchanges[0]!.session).toBe(7);
    expect(exchanges[0]!.request.time).toEqual({ sec: 0, nsec: 0 });
    expect(anomalies.map((a) => a.code)).toEqual(['saz-bad-metadata']);
  });
});

describe('CONNECT tunnels', () => {
  const connect =
    'CONNECT mail.contoso.test:443 HTTP/1.1\r\nHost: mail.contoso.test:443\r\nConnection: keep-alive\r\n\r\n' +
    'A SSLv3-compatible ClientHello handshake was found. Fiddler extracted the parameters below.\r\n\r\nVersion: 3.3 (TLS/1.2)\r\n';
  const established =
    'HTTP/1.1 200 Connection Established\r\nFiddlerGateway: Direct\r\nStartTime: 10:15:30.123\r\nConnection: close\r\n\r\n' +
    'Encrypted HTTPS traffic flows through this CONNECT tunnel. HTTPS Decryption is disabled in Fiddler.\r\n';

  it('are exchanges with the authority as target and none of Fiddler\'s notes as bodies', async () => {
    const { exchanges, anomalies } = await readSaz(zipArchive(session('1', 2, connect, established, { 'x-no-decrypt': 'boring', 'x-hostip': '10.9.8.7' })));
    const [ex] = exchanges;
    expect(ex!.request.method).toBe('CONNECT');
    expect(ex!.request.uri).toBe('mail.contoso.test:443');
    expect(ex!.server).toEqual({ ip: '10.9.8.7', port: 443 });
    expect(ex!.request.body.bytes.length).toBe(0);
    expect(ex!.response?.status).toBe(200);
    expect(ex!.response?.body.bytes.length).toBe(0);
    expect(anomalies.map((a) => a.code)).toEqual(['saz-tunnel-not-decrypted']);
    expect(decodeExchange(ex!).credentials).toEqual([]);
  });

  it('not decrypted by Fiddler are a capture-unreadable finding: the scan does not pass in silence', async () => {
    const path = writeTemp(zipArchive(session('1', 2, connect, established, { 'x-no-decrypt': 'boring' })));
    const r = await runInProcess(['scan', path, '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; message: string }> }).findings;
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      ['capture-unreadable', 'HTTPS tunnel to mail.contoso.test:443 was not decrypted by Fiddler (x-no-decrypt): the requests in it are not in the archive and are not judged'],
    ]);
  });

  it('still carry a Proxy-Authorization credential (it went to the proxy in the clear)', async () => {
    const withCredentials = connect.replace('Connection:', 'Proxy-Authorization: Basic dXNlcjpwYXNz\r\nConnection:');
    const [ex] = (await readSaz(zipArchive(session('1', 2, withCredentials, established)))).exchanges;
    const credentials = decodeExchange(ex!).credentials;
    expect(credentials.map((c) => [c.scheme, c.location])).toEqual([['basic', { type: 'header', name: 'Proxy-Authorization', index: 0 }]]);
  });
});

describe('archives that are no Fiddler archive', () => {
  it('a zip without raw/NN_c.txt entries is not a capture (InputError unknown-format)', async () => {
    const path = writeTemp(zipArchive([{ name: 'word/document.xml', data: '<w:document/>' }, { name: 'raw/readme.txt', data: 'hi' }]));
    const error = await readExchanges(path, { exchange() {}, anomaly() {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('unknown-format');
    expect((error as InputError).oneLine()).toBe(`${path}: a zip archive but not a Fiddler session archive (.saz): it has no raw/NN_c.txt entries, so it is not a capture`);
  });

  it('is recognised by content, not by name: a .pcap-named archive is read as one', async () => {
    const path = join(dir, 'looks-like.pcap');
    writeFileSync(path, zipArchive(session('1', 8)));
    const exchanges: HttpExchange[] = [];
    await readExchanges(path, { exchange: (ex) => exchanges.push(ex), anomaly() {} });
    expect(exchanges.map((ex) => ex.session)).toEqual([8]);
  });

  it.each([
    ['ZipCrypto (general purpose bit 0)', { flags: 1 }],
    ['WinZip AES (method 99)', { methodField: 99, flags: 1 }],
    ['WinZip AES (method 99) without bit 0', { methodField: 99 }],
  ])('a password-protected archive, %s, is one InputError saying so', async (_kind, lie) => {
    const specs = session('1', 5).map((spec) => ({ ...spec, ...lie }));
    const path = writeTemp(zipArchive(specs));
    const error = await readExchanges(path, { exchange() {}, anomaly() {} }).catch((e: unknown) => e);
    expect((error as InputError).code).toBe('encrypted-archive');
    expect((error as InputError).oneLine()).toBe(`${path}: password-protected Fiddler archive (its files are encrypted): save the sessions again in Fiddler without a password`);
  });
});

describe('zip bombs and limits', () => {
  const zeros = Buffer.alloc(3 * 1024 * 1024);
  const bombResponse = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${zeros.length}\r\n\r\n`), zeros]);

  it('reads a file only up to the per-file limit, with an anomaly', async () => {
    const specs = [{ name: 'raw/1_c.txt', data: GET }, { name: 'raw/1_m.xml', data: metadata(1) }, { name: 'raw/1_s.txt', data: bombResponse }];
    const { exchanges, anomalies, damaged } = await readSaz(zipArchive(specs), { maxEntryBytes: 1024 * 1024 });
    expect(damaged).toBe(true);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.response?.status).toBe(200);
    expect(exchanges[0]!.response?.incomplete).toBe(true);
    expect(anomalies.map((a) => a.code)).toContain('saz-entry-too-large');
  });

  it('stops at the total limit, keeping the sessions before it', async () => {
    const specs = [...session('1', 1), { name: 'raw/2_c.txt', data: GET }, { name: 'raw/2_s.txt', data: bombResponse }, ...session('3', 3)];
    const { exchanges, anomalies } = await readSaz(zipArchive(specs), { maxTotalBytes: 2 * 1024 * 1024 });
    expect(exchanges.map((ex) => ex.session)).toEqual([1, 2]);
    expect(anomalies.map((a) => a.code)).toContain('saz-limit-reached');
  });

  it('treats a size that lies (declared small, inflating big) as a damaged file, not as memory to fill', async () => {
    const specs = [{ name: 'raw/1_c.txt', data: GET }, { name: 'raw/1_s.txt', data: bombResponse, declaredSize: 100 }];
    const { exchanges, anomalies } = await readSaz(zipArchive(specs));
    expect(exchanges).toHaveLength(1);
    expect(anomalies.map((a) => a.code)).toContain('saz-damaged-entry');
  });

  it('lists at most maxEntries entries', async () => {
    const specs = [...session('1', 1), ...session('2', 2), ...session('3', 3)];
    const { exchanges, anomalies } = await readSaz(zipArchive(specs), { maxEntries: 4 });
    expect(exchanges.map((ex) => ex.session)).toEqual([1, 2]);
    expect(anomalies.map((a) => a.code)).toContain('saz-limit-reached');
  });
});

describe('damaged archives', () => {
  it('a bad CRC-32 is an anomaly on that session; the others are read', async () => {
    const specs = [...session('1', 1), { name: 'raw/2_c.txt', data: GET, declaredCrc: 0x12345678 }, ...session('3', 3)];
    const { exchanges, anomalies } = await readSaz(zipArchive(specs));
    expect(exchanges.map((ex) => ex.session)).toEqual([1, 2, 3]);
    const bad = anomalies.find((a) => a.code === 'saz-damaged-entry');
    expect(bad?.message).toMatch(/^session 2 \(raw\/2\): _c.txt is damaged \(CRC-32 mismatch/);
  });

  it('a cut archive (no central directory) is read up to the cut, with a warning', async () => {
    const whole = readFileSync(join(repoRoot, 'captures', 'saz', 'fiddler-mixed.saz'));
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const { exchanges, anomalies, damaged } = await readSaz(cut);
    expect(damaged).toBe(true);
    expect(exchanges.length).toBeGreaterThan(3);
    expect(exchanges.length).toBeLessThan(16);
    const truncated = anomalies.filter((a) => a.code === 'saz-truncated');
    expect(truncated).toHaveLength(1);
    expect(truncated[0]!.severity).toBe('warning');
    expect(truncated[0]!.message).toMatch(/^damaged zip archive: no central directory \(End of central directory record signature not found. Either not a zip file, or file is truncated\); entries read from their local headers; the file ends inside .*; sessions after the damage are missing$/);
  });

  it('a zip magic with nothing readable after it is not a capture', async () => {
    const path = writeTemp(Buffer.from('PK\x03\x04garbage', 'latin1'));
    const error = await readExchanges(path, { exchange() {}, anomaly() {} }).catch((e: unknown) => e);
    expect((error as InputError).code).toBe('unknown-format');
    expect((error as InputError).oneLine()).toMatch(/a damaged zip archive with no readable entry .*: not a capture$/);
  });
});
