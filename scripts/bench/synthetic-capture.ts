// Writes a large synthetic pcap of keep-alive HTTP/1.1 carrying bearer tokens, for the benchmark.
import { TcpPcapWriter } from './tcp-pcap-writer.js';

const MSS = 1448;

/** A realistic S2S-shaped outer token (unsigned, with a signed-looking actor token inside). */
function makeToken(connection: number): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const realm = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
  const now = 1_795_000_000;
  const actor = [
    b64({ typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM', kid: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' }),
    b64({
      aud: `00000002-0000-0ff1-ce00-000000000000/mail.contoso.test@${realm}`,
      iss: `00000001-0000-0000-c000-000000000000@${realm}`,
      nbf: String(now - 300), exp: String(now + 86400), nameid: `00000004-0000-0ff1-ce00-000000000000@${realm}`,
      trustedfordelegation: 'true', identityprovider: `00000001-0000-0000-c000-000000000000@${realm}`,
    }),
    Buffer.alloc(256, connection & 0xff).toString('base64url'),
  ].join('.');
  return [
    b64({ typ: 'JWT', alg: 'none' }),
    b64({
      aud: `00000002-0000-0ff1-ce00-000000000000/mail.contoso.test@${realm}`,
      iss: `00000004-0000-0ff1-ce00-000000000000@${realm}`,
      nbf: String(now), exp: String(now + 28800), nameid: `user${connection}@contoso.test`, actortoken: actor,
    }),
    '',
  ].join('.');
}

interface Flow { client: number; clientPort: number; cseq: number; sseq: number; token: string; requests: number }

/** Generates at least `targetBytes` of capture at `path`; returns the request count. */
export function writeSyntheticCapture(path: string, targetBytes: number): { requests: number; bytes: number; frames: number } {
  const w = new TcpPcapWriter(path);
  const server = 0x7f000001;
  const soap = Buffer.from(`<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUserAvailabilityRequest>${'x'.repeat(420)}</GetUserAvailabilityRequest></soap:Body></soap:Envelope>`);
  const responseBody = Buffer.from(`<?xml version="1.0"?><Response>${'y'.repeat(3000)}</Response>`);
  let timeUs = 1_795_000_000 * 1e6;
  let requests = 0;
  const concurrent = 16;
  const flows: Flow[] = [];
  let nextPort = 20000;
  const openFlow = (): Flow => {
    const f: Flow = { client: 0x7f000002, clientPort: nextPort++, cseq: 1000, sseq: 5000, token: makeToken(nextPort), requests: 0 };
    if (nextPort > 65000) nextPort = 20000;
    w.packet(timeUs, f.client, server, f.clientPort, 18080, f.cseq, 0, 0x02, Buffer.alloc(0));
    w.packet(timeUs + 20, server, f.client, 18080, f.clientPort, f.sseq, f.cseq + 1, 0x12, Buffer.alloc(0));
    f.cseq++;
    f.sseq++;
    w.packet(timeUs + 40, f.client, server, f.clientPort, 18080, f.cseq, f.sseq, 0x10, Buffer.alloc(0));
    return f;
  };
  const closeFlow = (f: Flow): void => {
    w.packet(timeUs, f.client, server, f.clientPort, 18080, f.cseq, f.sseq, 0x11, Buffer.alloc(0));
    w.packet(timeUs + 10, server, f.client, 18080, f.clientPort, f.sseq, f.cseq + 1, 0x11, Buffer.alloc(0));
    w.packet(timeUs + 20, f.client, server, f.clientPort, 18080, f.cseq + 1, f.sseq + 1, 0x10, Buffer.alloc(0));
  };
  const send = (f: Flow, fromClient: boolean, data: Buffer): void => {
    for (let off = 0; off < data.length; off += MSS) {
      const part = data.subarray(off, off + MSS);
      timeUs += 7;
      if (fromClient) {
        w.packet(timeUs, f.client, server, f.clientPort, 18080, f.cseq, f.sseq, 0x18, part);
        f.cseq += part.length;
      } else {
        w.packet(timeUs, server, f.client, 18080, f.clientPort, f.sseq, f.cseq, 0x18, part);
        f.sseq += part.length;
      }
    }
    timeUs += 5;
    if (fromClient) w.packet(timeUs, server, f.client, 18080, f.clientPort, f.sseq, f.cseq, 0x10, Buffer.alloc(0));
    else w.packet(timeUs, f.client, server, f.clientPort, 18080, f.cseq, f.sseq, 0x10, Buffer.alloc(0));
  };
  for (let i = 0; i < concurrent; i++) flows.push(openFlow());
  let turn = 0;
  while (w.bytes < targetBytes) {
    const slot = turn++ % concurrent;
    const f = flows[slot]!;
    const head = `POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.contoso.test\r\nUser-Agent: ExchangeServicesClient/15.20\r\nContent-Type: text/xml; charset=utf-8\r\nclient-request-id: ${requests}\r\nAuthorization: Bearer ${f.token}\r\nContent-Length: ${soap.length}\r\n\r\n`;
    send(f, true, Buffer.concat([Buffer.from(head), soap]));
    send(f, false, Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nX-FEServer: EXCH01\r\nrequest-id: ${requests}\r\nContent-Length: ${responseBody.length}\r\n\r\n`), responseBody]));
    requests++;
    if (++f.requests >= 200) {
      closeFlow(f);
      flows[slot] = openFlow();
    }
  }
  for (const f of flows) closeFlow(f);
  w.close();
  return { requests, bytes: w.bytes, frames: w.frames };
}
