// Differential test against tshark: the frames in which requests and responses complete.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { conversationPcap } from '../helpers/conversation-pcap.js';
import { runStream, type ScriptStep } from './stream-harness.js';

const workDir = mkdtempSync(join(tmpdir(), 'http1-oracle-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const conversation = [
  { dir: 'client', bytes: 'POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail\r\nContent-Length: 10\r\n\r\n01234' },
  { dir: 'client', bytes: '56789GET /autodiscover HTTP/1.1\r\nHost: mail\r\n\r\nGET /pipelined HTTP/1.1\r\nHost: mail\r\n\r\n' },
  { dir: 'server', bytes: 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\nWWW-Authenticate: Bearer realm=""\r\n\r\nno' },
  { dir: 'server', bytes: 'pe' },
  { dir: 'server', bytes: '!!HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n' },
  { dir: 'server', bytes: '0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n' },
].map((s) => ({ dir: s.dir as 'client' | 'server', bytes: Buffer.from(s.bytes, 'latin1') }));

test('request and response frames match tshark', () => {
  const file = join(workDir, 'conversation.pcap');
  writeFileSync(file, conversationPcap(conversation));
  const fields = execFileSync('tshark', ['-r', file, '-Y', 'http', '-T', 'fields', '-E', 'separator=|', '-E', 'aggregator=;', '-E', 'occurrence=a', '-e', 'frame.number', '-e', 'http.request.method', '-e', 'http.response.code'], { encoding: 'utf8' });
  const tsharkRequests: string[] = [];
  const tsharkResponses: string[] = [];
  for (const line of fields.trim().split('\n')) {
    const [frame, methods, codes] = line.split('|');
    for (const method of methods ? methods.split(';') : []) tsharkRequests.push(`${frame} ${method}`);
    for (const code of codes ? codes.split(';') : []) tsharkResponses.push(`${frame} ${code}`);
  }
  // Our frames: the three handshake packets come first, so data step i is frame i + 4.
  const script: ScriptStep[] = conversation.map((step, i) => ({ ...step, frame: i + 4 }));
  const run = runStream(script);
  expect(run.anomalies).toEqual([]);
  expect(run.exchanges.map((ex) => `${ex.request.frame} ${ex.request.method}`)).toEqual(tsharkRequests);
  expect(run.exchanges.map((ex) => `${ex.response!.frame} ${ex.response!.status}`)).toEqual(tsharkResponses);
});
