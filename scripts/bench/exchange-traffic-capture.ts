// Writes a seeded pcap shaped like real Exchange S2S traffic (issue 12): the benchmark's main workload.
import { SeededRandom } from './seeded-random.js';
import { TcpPcapWriter } from './tcp-pcap-writer.js';

const MSS = 1460;
const PORT = 80;
const CONCURRENT = 16;
const REQUESTS_PER_CONNECTION = 20;
const SERVER = 0x7f000001;
const REALM = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
const HOSTS = ['mail.contoso.test', 'ex01.contoso.test', 'ex02.contoso.test', 'autodiscover.contoso.test'];
const FLAG_FIN = 0x01;
const FLAG_SYN = 0x02;
const FLAG_PSH_ACK = 0x18;
const FLAG_ACK = 0x10;

interface QueuedPacket {
  readonly fromClient: boolean;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly payload: Buffer;
  /** Set on a closing connection's last packets, queued ahead of its successor's handshake. */
  readonly client?: number;
  readonly clientPort?: number;
}

interface Connection {
  readonly client: number;
  readonly clientPort: number;
  readonly host: string;
  readonly token: string;
  readonly basic: string;
  cseq: number;
  sseq: number;
  requests: number;
  readonly queue: QueuedPacket[];
  /** Next packet of `queue` to send. */
  next: number;
}

export interface CaptureFacts { requests: number; bytes: number; frames: number; connections: number; bearer: number; basic: number; unauthorized: number; splitRequests: number }

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

function guid(random: SeededRandom): string {
  const h = random.bytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** An RS256-shaped S2S token (~1.2 KB) from the Exchange partner app, distinct per connection; the signature is random bytes of RSA-2048 size. */
function s2sToken(random: SeededRandom, host: string, now: number): string {
  const thumbprint = random.bytes(20).toString('base64url');
  const user = random.int(1, 99_999);
  const header = b64({ typ: 'JWT', alg: 'RS256', x5t: thumbprint, kid: thumbprint });
  const payload = b64({
    aud: `00000002-0000-0ff1-ce00-000000000000/${host}@${REALM}`,
    iss: `00000004-0000-0ff1-ce00-000000000000@${REALM}`,
    nbf: now - random.int(0, 600),
    exp: now + 3600,
    nameid: `${guid(random)}@${REALM}`,
    trustedfordelegation: 'true',
    smtp: `user${user}@contoso.test`,
    appctx: JSON.stringify({ msexchuid: guid(random), version: 'ExIdTok.V1', amurl: `https://${host}:443/autodiscover/metadata/json/1` }),
  });
  return `${header}.${payload}.${random.bytes(256).toString('base64url')}`;
}

function soapBody(random: SeededRandom): Buffer {
  const mailbox = `user${random.int(1, 99_999)}@contoso.test`;
  return Buffer.from(
    `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUser>${mailbox}</GetUser></soap:Body></soap:Envelope>`,
  );
}

function request(random: SeededRandom, c: Connection, bearer: boolean, id: string): Buffer {
  const body = soapBody(random);
  const authorization = bearer ? `Bearer ${c.token}` : `Basic ${c.basic}`;
  const head =
    `POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: ${c.host}\r\nContent-Type: text/xml; charset=utf-8\r\nUser-Agent: ExchangeServicesClient/15.20.7452.28\r\n` +
    `client-request-id: ${id}\r\n` +
    `Authorization: ${authorization}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

function response(random: SeededRandom, c: Connection, unauthorized: boolean, id: string): Buffer {
  if (unauthorized) {
    return Buffer.from(
      `HTTP/1.1 401 Unauthorized\r\nServer: Microsoft-IIS/10.0\r\nrequest-id: ${id}\r\n` +
        `WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.windows.net/common/oauth2/authorize", error="invalid_token"\r\n` +
        `WWW-Authenticate: Basic realm="${c.host}"\r\nX-FEServer: EXCH01\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ResponseCode>NoError</ResponseCode></s:Body></s:Envelope>`;
  return Buffer.from(
    `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nServer: Microsoft-IIS/10.0\r\nrequest-id: ${id}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Splits `data` at 1 or 2 random offsets (20 % of requests), then every piece at the MSS. */
function segments(random: SeededRandom, data: Buffer, split: boolean): Buffer[] {
  const cuts: number[] = [];
  if (split) {
    const count = random.int(1, 2);
    while (cuts.length < count) {
      const at = random.int(1, data.length - 1);
      if (!cuts.includes(at)) cuts.push(at);
    }
    cuts.sort((a, b) => a - b);
  }
  const out: Buffer[] = [];
  let start = 0;
  for (const end of [...cuts, data.length]) {
    for (let off = start; off < end; off += MSS) out.push(data.subarray(off, Math.min(off + MSS, end)));
    start = end;
  }
  return out;
}

function queueData(c: Connection, fromClient: boolean, data: Buffer[], pureAck: boolean): void {
  for (const part of data) {
    if (fromClient) {
      c.queue.push({ fromClient, flags: FLAG_PSH_ACK, seq: c.cseq, ack: c.sseq, payload: part });
      c.cseq += part.length;
    } else {
      c.queue.push({ fromClient, flags: FLAG_PSH_ACK, seq: c.sseq, ack: c.cseq, payload: part });
      c.sseq += part.length;
    }
  }
  // The peer's pure ACK of what it received (a request's is often carried by the response instead).
  if (pureAck) c.queue.push(fromClient ? { fromClient: false, flags: FLAG_ACK, seq: c.sseq, ack: c.cseq, payload: EMPTY } : { fromClient: true, flags: FLAG_ACK, seq: c.cseq, ack: c.sseq, payload: EMPTY });
}

const EMPTY = Buffer.alloc(0);

/**
 * Generates at least `targetBytes` of capture at `path` from `seed`: keep-alive HTTP/1.1 on port 80,
 * 20 requests per connection, 16 connections open at once with their packets interleaved at random.
 */
export function writeExchangeTrafficCapture(path: string, targetBytes: number, seed = 12): CaptureFacts {
  const random = new SeededRandom(seed);
  const w = new TcpPcapWriter(path);
  const facts: CaptureFacts = { requests: 0, bytes: 0, frames: 0, connections: 0, bearer: 0, basic: 0, unauthorized: 0, splitRequests: 0 };
  let timeUs = 1_795_000_000 * 1e6;
  let connectionNumber = 0;
  const open = (): Connection => {
    const n = connectionNumber++;
    facts.connections++;
    const host = HOSTS[random.int(0, HOSTS.length - 1)]!;
    const c: Connection = {
      // 127.1.0.0/16 clients: a fresh address and port per connection, never a reused 4-tuple.
      client: (0x7f010000 | (n >> 8 & 0xffff)) >>> 0,
      clientPort: 1024 + ((n * 7919) % 60000),
      host,
      token: s2sToken(random, host, 1_795_000_000),
      basic: Buffer.from(`CONTOSO\\svc${random.int(1, 999)}:${random.bytes(9).toString('base64')}`).toString('base64'),
      cseq: random.int(0, 0x7fffffff),
      sseq: random.int(0, 0x7fffffff),
      requests: 0,
      queue: [],
      next: 0,
    };
    c.queue.push({ fromClient: true, flags: FLAG_SYN, seq: c.cseq, ack: 0, payload: EMPTY });
    c.cseq++;
    c.queue.push({ fromClient: false, flags: FLAG_SYN | FLAG_ACK, seq: c.sseq, ack: c.cseq, payload: EMPTY });
    c.sseq++;
    c.queue.push({ fromClient: true, flags: FLAG_ACK, seq: c.cseq, ack: c.sseq, payload: EMPTY });
    return c;
  };
  const queueExchange = (c: Connection): void => {
    const bearer = random.chance(0.97);
    const unauthorized = random.chance(0.12);
    const split = random.chance(0.2);
    const id = guid(random);
    queueData(c, true, segments(random, request(random, c, bearer, id), split), random.chance(0.38));
    queueData(c, false, segments(random, response(random, c, unauthorized, id), false), true);
    c.requests++;
    facts.requests++;
    if (bearer) facts.bearer++;
    else facts.basic++;
    if (unauthorized) facts.unauthorized++;
    if (split) facts.splitRequests++;
  };
  const queueClose = (c: Connection): void => {
    c.queue.push({ fromClient: true, flags: FLAG_FIN | FLAG_ACK, seq: c.cseq, ack: c.sseq, payload: EMPTY });
    c.cseq++;
    c.queue.push({ fromClient: false, flags: FLAG_FIN | FLAG_ACK, seq: c.sseq, ack: c.cseq, payload: EMPTY });
    c.sseq++;
    c.queue.push({ fromClient: true, flags: FLAG_ACK, seq: c.cseq, ack: c.sseq, payload: EMPTY });
  };
  const slots: Connection[] = [];
  for (let i = 0; i < CONCURRENT; i++) slots.push(open());
  const closed = new Set<number>();
  while (closed.size < CONCURRENT) {
    const slot = random.int(0, CONCURRENT - 1);
    let c = slots[slot]!;
    if (c.next === c.queue.length) {
      if (closed.has(slot)) continue;
      c.queue.length = 0;
      c.next = 0;
      if (c.requests < REQUESTS_PER_CONNECTION && w.bytes < targetBytes) queueExchange(c);
      else {
        queueClose(c);
        if (w.bytes >= targetBytes) closed.add(slot);
        else {
          // The slot's next connection opens after this one's teardown.
          const fresh = open();
          fresh.queue.unshift(...c.queue.map((p) => ({ ...p, client: c.client, clientPort: c.clientPort })));
          slots[slot] = c = fresh;
        }
      }
    }
    const p = c.queue[c.next++]!;
    const client = p.client ?? c.client;
    const clientPort = p.clientPort ?? c.clientPort;
    timeUs += random.int(1, 120);
    if (p.fromClient) w.packet(timeUs, client, SERVER, clientPort, PORT, p.seq, p.ack, p.flags, p.payload);
    else w.packet(timeUs, SERVER, client, PORT, clientPort, p.seq, p.ack, p.flags, p.payload);
  }
  w.close();
  facts.bytes = w.bytes;
  facts.frames = w.frames;
  return facts;
}
