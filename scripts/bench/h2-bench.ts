// HTTP/2 beside HTTP/1.1 in `npm run bench`: an h2c capture of the same requests as the HTTP/1.1 one, decoded by `exchanges`, as a ratio.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dataFrames, headerFrames, HpackEncoder, PREFACE, settingsFrame } from '../fixture-server/h2-wire.js';
import { TcpPcapWriter } from './tcp-pcap-writer.js';

const MSS = 1448;
const SERVER = 0x7f000001;
const CLIENT = 0x7f000002;
const PORT = 18080;
const CONCURRENT = 16;
const REQUESTS_PER_CONNECTION = 200;

/** The S2S shape of the HTTP/1.1 bench's tokens: an unsigned outer token around a signed-looking actor token. */
function token(connection: number): string {
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const realm = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
  const actor = `${b64({ typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' })}.${b64({ aud: `00000002-0000-0ff1-ce00-000000000000/mail.contoso.test@${realm}`, iss: `00000001-0000-0000-c000-000000000000@${realm}`, nameid: `00000004-0000-0ff1-ce00-000000000000@${realm}`, trustedfordelegation: 'true' })}.${Buffer.alloc(256, connection & 0xff).toString('base64url')}`;
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64({ aud: `00000002-0000-0ff1-ce00-000000000000/mail.contoso.test@${realm}`, iss: `00000004-0000-0ff1-ce00-000000000000@${realm}`, nameid: `user${connection}@contoso.test`, actortoken: actor })}.`;
}

interface Connection {
  readonly port: number;
  readonly token: string;
  readonly requests: HpackEncoder;
  readonly responses: HpackEncoder;
  clientSeq: number;
  serverSeq: number;
  nextStream: number;
}

/** Writes an h2c (prior knowledge) capture of `requestCount` SOAP POSTs with bearer tokens, 16 connections at a time, as the HTTP/1.1 bench does. */
export function writeH2cCapture(path: string, requestCount: number): { requests: number; bytes: number } {
  const pcap = new TcpPcapWriter(path);
  let timeUs = 1_795_000_000 * 1e6;
  let nextPort = 20000;
  const soap = Buffer.from(`<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUserAvailabilityRequest>${'x'.repeat(420)}</GetUserAvailabilityRequest></soap:Body></soap:Envelope>`);
  const responseBody = Buffer.from(`<?xml version="1.0"?><Response>${'y'.repeat(3000)}</Response>`);
  const send = (c: Connection, fromClient: boolean, bytes: Buffer): void => {
    for (let offset = 0; offset < bytes.length; offset += MSS) {
      const part = bytes.subarray(offset, offset + MSS);
      timeUs += 7;
      if (fromClient) {
        pcap.packet(timeUs, CLIENT, SERVER, c.port, PORT, c.clientSeq, c.serverSeq, 0x18, part);
        c.clientSeq += part.length;
      } else {
        pcap.packet(timeUs, SERVER, CLIENT, PORT, c.port, c.serverSeq, c.clientSeq, 0x18, part);
        c.serverSeq += part.length;
      }
    }
  };
  const open = (): Connection => {
    const c: Connection = { port: nextPort++, token: token(nextPort), requests: new HpackEncoder(), responses: new HpackEncoder(), clientSeq: 1000, serverSeq: 5000, nextStream: 1 };
    pcap.packet(timeUs, CLIENT, SERVER, c.port, PORT, c.clientSeq++, 0, 0x02, Buffer.alloc(0));
    pcap.packet(timeUs + 20, SERVER, CLIENT, PORT, c.port, c.serverSeq++, c.clientSeq, 0x12, Buffer.alloc(0));
    send(c, true, Buffer.concat([PREFACE, settingsFrame()]));
    send(c, false, settingsFrame());
    return c;
  };
  const close = (c: Connection): void => {
    pcap.packet(timeUs, CLIENT, SERVER, c.port, PORT, c.clientSeq, c.serverSeq, 0x11, Buffer.alloc(0));
    pcap.packet(timeUs + 10, SERVER, CLIENT, PORT, c.port, c.serverSeq, c.clientSeq + 1, 0x11, Buffer.alloc(0));
  };
  const connections = Array.from({ length: CONCURRENT }, open);
  for (let request = 0; request < requestCount; request++) {
    const slot = request % CONCURRENT;
    const c = connections[slot]!;
    const id = c.nextStream;
    c.nextStream += 2;
    const head = c.requests.encode([
      [':method', 'POST'], [':scheme', 'http'], [':authority', 'mail.contoso.test'], [':path', '/EWS/Exchange.asmx'],
      ['user-agent', 'ExchangeServicesClient/15.20'], ['content-type', 'text/xml; charset=utf-8'],
      { name: 'client-request-id', value: String(request), coding: 'without-indexing' },
      // As nghttp2 (curl, Node) sends it: never indexed, so each request carries the whole token.
      { name: 'authorization', value: `Bearer ${c.token}`, coding: 'never-indexed' },
      ['content-length', String(soap.length)],
    ]);
    send(c, true, Buffer.concat([...headerFrames(id, head, false), ...dataFrames(id, soap, true)]));
    const answer = c.responses.encode([[':status', '200'], ['content-type', 'text/xml; charset=utf-8'], ['x-feserver', 'EXCH01'], { name: 'request-id', value: String(request), coding: 'without-indexing' }, ['content-length', String(responseBody.length)]]);
    send(c, false, Buffer.concat([...headerFrames(id, answer, false), ...dataFrames(id, responseBody, true)]));
    if (id >= REQUESTS_PER_CONNECTION * 2) {
      close(c);
      connections[slot] = open();
    }
  }
  for (const c of connections) close(c);
  pcap.close();
  return { requests: requestCount, bytes: pcap.bytes };
}

/** Seconds and exchange lines of `oauth-inspect exchanges FILE`. */
function timeExchanges(bin: string, file: string): { seconds: number; exchanges: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'exchanges', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`exchanges ${file} exited ${result.status}: ${result.stderr.slice(-400)}`);
  return { seconds, exchanges: result.stdout.split('\n').filter(Boolean).length };
}

/**
 * Decodes `http1File` and an h2c capture of as many requests (written to `h2File`) with the same
 * `exchanges` command, and prints both throughputs and their ratio.
 */
export function benchHttp2Beside(bin: string, http1File: string, h2File: string, requests: number): void {
  writeH2cCapture(h2File, requests);
  const http1 = timeExchanges(bin, http1File);
  const h2 = timeExchanges(bin, h2File);
  const line = (label: string, file: string, run: { seconds: number; exchanges: number }): string => {
    const mb = statSync(file).size / 1e6;
    return `${label.padEnd(26)} ${run.seconds.toFixed(2).padStart(8)} ${(mb / run.seconds).toFixed(1).padStart(7)} ${(run.exchanges / run.seconds).toFixed(0).padStart(12)} ${mb.toFixed(0).padStart(12)} ${String(run.exchanges).padStart(13)}`;
  };
  console.log('\nHTTP/2 beside HTTP/1.1, same requests (oauth-inspect exchanges)');
  console.log('capture                     seconds    MB/s   exchanges/s      file MB     exchanges');
  console.log(line('HTTP/1.1 (keep-alive)', http1File, http1));
  console.log(line('HTTP/2 (h2c, 16 conns)', h2File, h2));
  console.log(`exchanges/s ratio HTTP/2 / HTTP/1.1: ${(h2.exchanges / h2.seconds / (http1.exchanges / http1.seconds)).toFixed(2)}`);
}
