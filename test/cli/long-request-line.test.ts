// A first request line over 16 KB: the connection is still read as HTTP (compared with tshark), the
// long line's request is kept with its target cut and an anomaly, and the requests after it are read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import type { HttpExchange } from '../../src/model/index.js';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import { runInProcess, tshark } from '../helpers/cli.js';
import { conversationPcap, type ConversationStep } from '../helpers/conversation-pcap.js';

const basic = (user: string): string => Buffer.from(`${user}:Secr3t-${user}`).toString('base64');
const requests =
  `GET /owa/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: mail\r\nAuthorization: Basic ${basic('alice')}\r\n\r\n` +
  `GET /ews/exchange.asmx HTTP/1.1\r\nHost: mail\r\nAuthorization: Basic ${basic('bob')}\r\n\r\n`;

let dir: string;
let capture: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-long-line-'));
  capture = join(dir, 'long-first-request-line.pcap');
  const bytes = Buffer.from(requests);
  const steps: ConversationStep[] = [];
  for (let offset = 0; offset < bytes.length; offset += 1460) steps.push({ dir: 'client', bytes: bytes.subarray(offset, offset + 1460) });
  steps.push({ dir: 'server', bytes: Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'.repeat(2)) });
  writeFileSync(capture, conversationPcap(steps));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads both requests and their Basic credentials, as tshark does', async () => {
  const fields = tshark(['-r', capture, '-Y', 'http.request', '-T', 'fields', '-E', 'aggregator=|', '-e', 'http.authorization']);
  const tsharkAuthorizations = fields.trim().split(/[|\n]/);
  expect(tsharkAuthorizations).toEqual([`Basic ${basic('alice')}`, `Basic ${basic('bob')}`]);

  const exchanges: HttpExchange[] = [];
  await readExchanges(capture, { exchange: (ex) => exchanges.push(ex), anomaly: () => {} });
  const authorizations = exchanges.flatMap((ex, index) => decodeExchange(ex, index + 1).credentials.map((c) => `${c.schemeName} ${c.value.reveal()}`));
  expect(authorizations).toEqual(tsharkAuthorizations);
  expect(exchanges.map((ex) => ex.request.uri.length)).toEqual([16 * 1024 - 'GET '.length, '/ews/exchange.asmx'.length]);
  expect(exchanges[0]!.anomalies.map((a) => a.code)).toEqual(['http-long-start-line']);
  expect(exchanges[1]!.anomalies).toEqual([]);
});

it('scan reports both Basic users, and no pass', async () => {
  const result = await runInProcess(['scan', '--format', 'json', capture]);
  expect(result.code).toBe(1);
  const report = JSON.parse(result.stdout) as { exchanges: unknown[]; credentials: Array<{ decoded?: { user?: string } }> };
  expect(report.exchanges).toHaveLength(2);
  expect(report.credentials.map((c) => c.decoded?.user)).toEqual(['alice', 'bob']);
});
