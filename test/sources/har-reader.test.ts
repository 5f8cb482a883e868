// Tests the HAR reader against real exports, each checked against its own JSON read here.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Entry, Har, Header } from 'har-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly, HttpExchange } from '../../src/model/index.js';
import { InputError, headerValue, timestampToSeconds } from '../../src/model/index.js';
import { readHarFile, readHarText } from '../../src/sources/har-reader.js';

const dataDir = fileURLToPath(new URL('./data/har/', import.meta.url));

async function sampleJson(file: string): Promise<Har> {
  const text = await readFile(join(dataDir, file), 'utf8');
  return JSON.parse(text.replace(/^\uFEFF/, '')) as Har;
}

async function read(path: string): Promise<{ exchanges: HttpExchange[]; anomalies: Anomaly[]; entries: number; creator?: string }> {
  const exchanges: HttpExchange[] = [];
  const anomalies: Anomaly[] = [];
  const summary = await readHarFile(path, (ex) => exchanges.push(ex), (a) => anomalies.push(a));
  return { exchanges, anomalies, ...summary };
}

function readText(text: string): { exchanges: HttpExchange[]; anomalies: Anomaly[] } {
  const exchanges: HttpExchange[] = [];
  const anomalies: Anomaly[] = [];
  readHarText(text, 'inline.har', (ex) => exchanges.push(ex), (a) => anomalies.push(a));
  return { exchanges, anomalies };
}

function pairs(headers: Header[]): Array<[string, string]> {
  return headers.map((h) => [h.name, h.value]);
}

/** The request headers a reader should hand on: pseudo-headers gone, :authority as host, Host ensured. */
function expectedRequestHeaders(entry: Entry): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const { name, value } of entry.request.headers) {
    if (name === ':authority') headers.push(['host', value]);
    else if (!name.startsWith(':')) headers.push([name, value]);
  }
  if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['Host', new URL(entry.request.url).host]);
  return headers;
}

function expectedBody(text: string | undefined, encoding?: string): Buffer {
  return Buffer.from(text ?? '', encoding === 'base64' ? 'base64' : 'utf8');
}

const samples = (await readdir(dataDir)).filter((name) => name.endsWith('.har')).sort();

describe('readHarFile on real exports', () => {
  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of samples) {
    it(`${file}: one exchange per entry, fields as in the file`, async () => {
      const json = await sampleJson(file);
      const path = join(dataDir, file);
      const { exchanges, entries } = await read(path);
      expect(entries).toBe(json.log.entries.length);
      expect(exchanges).toHaveLength(json.log.entries.length);
      exchanges.forEach((ex, i) => {
        const entry = json.log.entries[i]!;
        const url = new URL(entry.request.url);
        const path2 = entry.request.headers.find((h) => h.name === ':path')?.value;
        expect(ex.origin).toEqual({ kind: 'har', file: path });
        expect(ex.scheme).toBe(url.protocol.slice(0, -1));
        expect(ex.request.method).toBe(entry.request.method);
        expect(ex.request.uri).toBe(path2 ?? url.pathname + url.search);
        expect(ex.request.headers).toEqual(expectedRequestHeaders(entry));
        expect(ex.request.body.bytes.equals(expectedBody(entry.request.postData?.text))).toBe(true);
        expect(ex.request.frame).toBeUndefined();
        expect(ex.request.firstFrame).toBeUndefined();
        expect(ex.entry).toBe(i);
        // Date.parse keeps whole milliseconds; the reader keeps the digits below them too.
        const startMs = timestampToSeconds(ex.request.time) * 1000;
        expect(Math.abs(startMs - Date.parse(entry.startedDateTime))).toBeLessThan(1);
        expect(ex.server).toEqual({ ip: entry.serverIPAddress ?? '', port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
        expect(ex.client).toBeUndefined();
        expect(ex.stream).toBeUndefined();
        expect(ex.connection).toBe(entry.connection !== undefined ? Number(entry.connection) : undefined);
        if (entry.response.status === 0) {
          expect(ex.response).toBeUndefined();
          return;
        }
        const response = ex.response!;
        expect(response.status).toBe(entry.response.status);
        expect(response.reason).toBe(entry.response.statusText);
        expect(response.headers).toEqual(pairs(entry.response.headers));
        const body = expectedBody(entry.response.content.text, entry.response.content.encoding);
        expect(response.body.bytes.equals(body)).toBe(true);
        expect(response.body.truncated).toBe((entry.response.content.size ?? 0) > body.length);
        const elapsedMs = (timestampToSeconds(response.time) - timestampToSeconds(ex.request.time)) * 1000;
        expect(elapsedMs).toBeCloseTo(entry.time, 3);
      });
    });
  }

  it('counts indexInStream within each connection (here none given), in file order', async () => {
    const { exchanges } = await read(join(dataDir, 'chrome-trimmed.har'));
    expect(exchanges.map((ex) => [ex.connection, ex.indexInStream])).toEqual([
      [undefined, 0],
      [undefined, 1],
    ]);
  });

  it('reports log.creator', async () => {
    const json = (await sampleJson('fiddler-with-bom.har')) as unknown as { log: { creator: { name: string; version: string } } };
    const { creator } = await read(join(dataDir, 'fiddler-with-bom.har'));
    expect(creator).toBe(`${json.log.creator.name} ${json.log.creator.version}`);
  });
});

describe('HAR field mapping', () => {
  it('maps HTTP/2 pseudo-headers: :authority to host, :path to the uri, others dropped', async () => {
    const json = await sampleJson('chrome-postdata.har');
    const entry = json.log.entries[0]!;
    const { exchanges } = await read(join(dataDir, 'chrome-postdata.har'));
    const ex = exchanges[0]!;
    expect(ex.request.version).toBe('HTTP/2');
    expect(headerValue(ex.request.headers, 'host')).toBe(entry.request.headers.find((h) => h.name === ':authority')!.value);
    expect(ex.request.uri).toBe(entry.request.headers.find((h) => h.name === ':path')!.value);
    expect(ex.request.headers.filter(([name]) => name.startsWith(':'))).toEqual([]);
    expect(ex.tls).toEqual({ alpn: 'h2' });
    expect(ex.request.body.wireLength).toBe(ex.request.body.bytes.length);
  });

  it('decodes base64 content and marks a body shorter than content.size as truncated', async () => {
    const json = await sampleJson('chrome-trimmed.har');
    const content = json.log.entries[1]!.response.content;
    expect(content.encoding).toBe('base64');
    const { exchanges } = await read(join(dataDir, 'chrome-trimmed.har'));
    const body = exchanges[1]!.response!.body;
    expect(body.bytes.equals(Buffer.from(content.text!, 'base64'))).toBe(true);
    expect(body.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(body.truncated).toBe(true);
  });

  it("turns Chrome's status 0 (failed request) into no response and an anomaly", async () => {
    const { exchanges, anomalies } = await read(join(dataDir, 'chrome-trimmed.har'));
    expect(exchanges[0]!.response).toBeUndefined();
    expect(anomalies).toEqual([
      {
        code: 'har-no-response',
        severity: 'info',
        message: 'log.entries[0]: no response (status 0: net::ERR_INTERNET_DISCONNECTED)',
        file: join(dataDir, 'chrome-trimmed.har'),
      },
    ]);
    expect(exchanges[0]!.anomalies).toEqual(anomalies);
  });

  it('keeps sub-millisecond digits and the zone of startedDateTime (Fiddler)', async () => {
    const { exchanges } = await read(join(dataDir, 'fiddler-with-bom.har'));
    // 2024-07-06T22:27:16.7857747+03:00
    expect(exchanges[0]!.request.time).toEqual({ sec: Date.parse('2024-07-06T19:27:16Z') / 1000, nsec: 785_774_700 });
  });

  it('adds Host from the URL when the request has none (Insomnia)', async () => {
    const { exchanges } = await read(join(dataDir, 'insomnia.har'));
    expect(exchanges[0]!.request.headers).toEqual([['Host', 'mitm.it']]);
    expect(exchanges[0]!.tls).toBeUndefined();
  });

  it('rebuilds a form body from postData.params and adds its Content-Type', async () => {
    const json = await sampleJson('insomnia.har');
    const entry = json.log.entries[0]! as unknown as Record<string, Record<string, unknown>>;
    entry['request']!['method'] = 'POST';
    entry['request']!['postData'] = {
      mimeType: 'application/x-www-form-urlencoded',
      params: [
        { name: 'grant_type', value: 'client_credentials' },
        { name: 'resource', value: '00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@realm' },
      ],
    };
    const { exchanges, anomalies } = readText(JSON.stringify(json));
    const request = exchanges[0]!.request;
    expect(request.body.bytes.toString()).toBe(
      'grant_type=client_credentials&resource=00000002-0000-0ff1-ce00-000000000000%2Fmail.contoso.com%40realm',
    );
    expect(headerValue(request.headers, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(anomalies).toEqual([]);
  });

  it('keeps the URL target as written and takes the port from the URL', async () => {
    const json = await sampleJson('insomnia.har');
    json.log.entries[0]!.request.url = 'https://user:pw@[2001:db8::1]:8443/a%2fb/../c?x=%41#frag';
    json.log.entries[0]!.serverIPAddress = '[2001:0db8:0000:0000:0000:0000:0000:0001]';
    const ex = readText(JSON.stringify(json)).exchanges[0]!;
    expect(ex.request.uri).toBe('/a%2fb/../c?x=%41');
    expect(headerValue(ex.request.headers, 'host')).toBe('[2001:db8::1]:8443');
    expect(ex.server).toEqual({ ip: '2001:db8::1', port: 8443 });
  });
});

describe('malformed entries', () => {
  it('skips a malformed entry with an anomaly naming it and reads the rest', async () => {
    const json = await sampleJson('insomnia.har');
    const good = json.log.entries[0]!;
    const text = JSON.stringify({
      log: { entries: [42, { request: {} }, good, { request: { method: 'GET', url: 'mailto:someone@example.com' } }, good] },
    });
    const { exchanges, anomalies } = readText(text);
    expect(exchanges).toHaveLength(2);
    expect(anomalies.map((a) => [a.code, a.message])).toEqual([
      ['har-bad-entry', 'log.entries[0]: not an object; entry skipped'],
      ['har-bad-entry', 'log.entries[1]: request.method is missing; entry skipped'],
      ['har-bad-entry', 'log.entries[3]: request.url is not an absolute http(s) URL; entry skipped'],
    ]);
    expect(anomalies.every((a) => a.file === 'inline.har' && a.severity === 'warning')).toBe(true);
  });

  it('drops a malformed header pair and bad base64 with anomalies, keeping the exchange', async () => {
    const json = await sampleJson('insomnia.har');
    const entry = json.log.entries[0]!;
    (entry.request.headers as unknown[]).push({ name: 'X-Broken' }, { name: 'Accept', value: '*/*' });
    entry.response.content = { ...entry.response.content, size: 4, text: '!!not base64!!', encoding: 'base64' };
    const { exchanges, anomalies } = readText(JSON.stringify(json));
    const ex = exchanges[0]!;
    expect(ex.request.headers).toEqual([
      ['Host', 'mitm.it'],
      ['Accept', '*/*'],
    ]);
    expect(ex.response!.body).toMatchObject({ truncated: true });
    expect(ex.response!.body.bytes).toHaveLength(0);
    expect(anomalies.map((a) => a.message)).toEqual([
      'log.entries[0]: request.headers[0] is not a {name, value} pair of strings; header dropped',
      'log.entries[0]: response.content.text is not valid base64; body dropped',
    ]);
  });
});

describe('robustness', () => {
  it('rejects long white space before a bad base64 character in linear time', async () => {
    // 256 KB: the former pattern backtracked over every space (about 100 s); one scan takes milliseconds.
    const json = await sampleJson('insomnia.har');
    const entry = json.log.entries[0]!;
    entry.response.content = { ...entry.response.content, size: 1, text: `${' '.repeat(256 * 1024)}!`, encoding: 'base64' };
    const started = performance.now();
    const { anomalies } = readText(JSON.stringify(json));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(anomalies.map((a) => a.code)).toEqual(['har-bad-base64']);
  });

  const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof(arb, fc.anything());
  const pairArb = fc.record({ name: fc.string(), value: maybe(fc.string()) }, { requiredKeys: [] });
  const entryArb = fc.record(
    {
      request: maybe(
        fc.record(
          {
            method: maybe(fc.constantFrom('GET', 'POST', 'CONNECT', '')),
            url: maybe(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string())),
            httpVersion: maybe(fc.constantFrom('HTTP/1.1', 'http/2.0', 'h3', '')),
            headers: maybe(fc.array(maybe(pairArb))),
            postData: maybe(fc.record({ text: maybe(fc.string()), encoding: maybe(fc.constant('base64')), params: maybe(fc.array(maybe(pairArb))) }, { requiredKeys: [] })),
            bodySize: maybe(fc.integer({ min: -1 })),
          },
          { requiredKeys: [] },
        ),
      ),
      response: maybe(
        fc.record(
          {
            status: maybe(fc.integer({ min: -1, max: 1000 })),
            headers: maybe(fc.array(maybe(pairArb))),
            content: maybe(fc.record({ text: maybe(fc.string()), size: maybe(fc.integer()), encoding: maybe(fc.constantFrom('base64', 'gzip')) }, { requiredKeys: [] })),
          },
          { requiredKeys: [] },
        ),
      ),
      startedDateTime: maybe(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string())),
      timings: maybe(fc.dictionary(fc.constantFrom('blocked', 'dns', 'connect', 'send', 'wait', 'receive'), fc.double())),
      connection: maybe(fc.oneof(fc.nat().map(String), fc.string())),
      serverIPAddress: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV6().map((ip) => `[${ip}]`))),
    },
    { requiredKeys: [] },
  );

  it('never throws on odd entries: each is an exchange or a skipped-entry anomaly', () => {
    fc.assert(
      fc.property(fc.array(maybe(entryArb), { maxLength: 8 }), (entries) => {
        const { exchanges, anomalies } = readText(JSON.stringify({ log: { entries } }));
        const skipped = anomalies.filter((a) => a.code === 'har-bad-entry').length;
        expect(exchanges.length + skipped).toBe(entries.length);
        for (const ex of exchanges) expect(ex.request.uri.startsWith('/') || ex.request.method === 'CONNECT').toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('throws only InputError on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          readText(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('files that are not HAR', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'har-reader-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function readError(name: string, content?: string): Promise<InputError> {
    const path = join(dir, name);
    if (content !== undefined) await writeFile(path, content);
    const error = await readHarFile(path, () => undefined, () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('a text file: invalid JSON at line 1 column 1', async () => {
    const error = await readError('notes.txt', 'hello world\n');
    expect(error.code).toBe('bad-har');
    expect(error.oneLine()).toBe(`${join(dir, 'notes.txt')}: invalid JSON at line 1 column 1: unexpected character 'h'`);
  });

  it('JSON that is not a HAR', async () => {
    const error = await readError('other.json', '{"log": {"pages": []}}');
    expect(error.code).toBe('bad-har');
    expect(error.message).toBe('not a HAR file: JSON has no log.entries');
  });

  it('a truncated HAR: the line and column where the text ends', async () => {
    const full = await readFile(join(dataDir, 'chrome-postdata.har'), 'utf8');
    const cut = full.split('\n').slice(0, 40).join('\n');
    const lines = cut.split('\n');
    const error = await readError('cut.har', cut);
    expect(error.code).toBe('bad-har');
    expect(error.message).toBe(`invalid JSON at line ${lines.length} column ${lines.at(-1)!.length + 1}: unexpected end of input`);
  });

  it('a syntax error inside a HAR: the line and column of the bad character', async () => {
    const full = await readFile(join(dataDir, 'chrome-postdata.har'), 'utf8');
    const broken = full.replace('"method": "POST"', '"method": POST');
    const offset = broken.indexOf('POST');
    const before = broken.slice(0, offset).split('\n');
    const error = await readError('broken.har', broken);
    expect(error.message).toBe(
      `invalid JSON at line ${before.length} column ${before.at(-1)!.length + 1}: unexpected character 'P'`,
    );
  });

  it('a binary file names the byte it stopped at', async () => {
    const error = await readError('capture.pcap', '\u00d4\u00c3\u00b2\u00a1');
    expect(error.message).toBe('invalid JSON at line 1 column 1: unexpected character U+00D4');
  });

  it('an empty file, a directory and a missing file', async () => {
    expect((await readError('empty.har', '')).code).toBe('empty-file');
    expect((await readError('.')).code).toBe('is-directory');
    expect((await readError('missing.har')).code).toBe('not-found');
  });
});
