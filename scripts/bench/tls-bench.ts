// TLS decryption benchmark: writes a large TLS 1.2/1.3 capture with its key log, then times us and tshark on it.
// Usage: npx tsx scripts/bench/tls-bench.ts [megabytes of TLS payload, default 64]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { connect, TLSSocket } from 'node:tls';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import { TcpPcapWriter } from './tcp-pcap-writer.js';
import { KeyLog } from '../../src/tls/key-log.js';

const MSS = 1448;
const SERVER_PORT = 443;

/** Frames of `connection` between 10.1.x.y and 10.0.0.1:443, 10 µs apart. */
class TlsCaptureWriter {
  readonly #pcap: TcpPcapWriter;
  #timeUs = 1_795_000_000 * 1e6;

  constructor(path: string) {
    this.#pcap = new TcpPcapWriter(path);
  }

  get tcpPayloadBytes(): number {
    return this.#pcap.tcpPayloadBytes;
  }

  /** One segment from client (`fromClient`) or server of connection `connection`. */
  segment(connection: number, fromClient: boolean, seq: number, ack: number, flags: number, payload: Buffer): void {
    this.#timeUs += 10;
    const client = ((10 << 24) | (1 << 16) | (connection & 0xffff)) >>> 0;
    const server = ((10 << 24) | 1) >>> 0;
    const clientPort = 40000 + (connection % 20000);
    if (fromClient) this.#pcap.packet(this.#timeUs, client, server, clientPort, SERVER_PORT, seq, ack, flags, payload);
    else this.#pcap.packet(this.#timeUs, server, client, SERVER_PORT, clientPort, seq, ack, flags, payload);
  }

  close(): void {
    this.#pcap.close();
  }
}

/** One TCP connection's sequence numbers, writing MSS-sized segments as TLS bytes flow. */
class TcpConnection {
  #clientSeq = 1000;
  #serverSeq = 5000;

  constructor(private readonly pcap: TlsCaptureWriter, private readonly index: number) {
    pcap.segment(index, true, this.#clientSeq - 1, 0, 0x02, Buffer.alloc(0));
    pcap.segment(index, false, this.#serverSeq - 1, this.#clientSeq, 0x12, Buffer.alloc(0));
    pcap.segment(index, true, this.#clientSeq, this.#serverSeq, 0x10, Buffer.alloc(0));
  }

  send(fromClient: boolean, bytes: Buffer): void {
    for (let offset = 0; offset < bytes.length; offset += MSS) {
      const payload = bytes.subarray(offset, offset + MSS);
      if (fromClient) {
        this.pcap.segment(this.index, true, this.#clientSeq, this.#serverSeq, 0x18, payload);
        this.#clientSeq += payload.length;
      } else {
        this.pcap.segment(this.index, false, this.#serverSeq, this.#clientSeq, 0x18, payload);
        this.#serverSeq += payload.length;
      }
    }
  }

  close(): void {
    this.pcap.segment(this.index, true, this.#clientSeq, this.#serverSeq, 0x11, Buffer.alloc(0));
    this.pcap.segment(this.index, false, this.#serverSeq, this.#clientSeq + 1, 0x11, Buffer.alloc(0));
  }
}

/** Two in-memory duplex ends; every byte written is recorded in the capture. */
function wiredPair(connection: TcpConnection): [Duplex, Duplex] {
  const client: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      connection.send(true, chunk);
      server.push(chunk);
      callback();
    },
  });
  const server: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      connection.send(false, chunk);
      client.push(chunk);
      callback();
    },
  });
  return [client, server];
}

const TOKEN = `${Buffer.from('{"typ":"JWT","alg":"none"}').toString('base64url')}.${Buffer.from('{"aud":"00000002-0000-0ff1-ce00-000000000000/mail.contoso.test@5de110f8-2e0f-4d45-891d-bcf2218e253d"}').toString('base64url')}.`;

/** One TLS connection carrying `requests` POSTs of `bodyBytes` each, answered by short 200s. */
async function runConnection(pcap: TlsCaptureWriter, index: number, tls: { key: Buffer; cert: Buffer; maxVersion: 'TLSv1.2' | 'TLSv1.3' }, requests: number, bodyBytes: number, keyLines: string[]): Promise<void> {
  const connection = new TcpConnection(pcap, index);
  const [clientEnd, serverEnd] = wiredPair(connection);
  const server = new TLSSocket(serverEnd, { isServer: true, key: tls.key, cert: tls.cert });
  const client = connect({ socket: clientEnd, rejectUnauthorized: false, servername: 'mail.contoso.test', maxVersion: tls.maxVersion, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256' });
  client.on('keylog', (line: Buffer) => keyLines.push(line.toString('latin1').trim()));
  const body = Buffer.alloc(bodyBytes, 0x61);
  const head = Buffer.from(`POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.contoso.test\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${bodyBytes}\r\n\r\n`);
  const response = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  let requestBytes = 0;
  const requestLength = head.length + bodyBytes;
  server.on('data', (chunk: Buffer) => {
    const before = Math.floor(requestBytes / requestLength);
    requestBytes += chunk.length;
    for (let i = before; i < Math.floor(requestBytes / requestLength); i++) server.write(response);
  });
  let answered = 0;
  let responseBytes = 0;
  const sendRequest = (): void => {
    client.write(head);
    client.write(body);
  };
  const done = new Promise<void>((resolve) => {
    client.on('data', (chunk: Buffer) => {
      responseBytes += chunk.length;
      const now = Math.floor(responseBytes / response.length);
      for (; answered < now; answered++) if (answered + 1 < requests) sendRequest();
      if (answered >= requests) resolve();
    });
  });
  await new Promise<void>((resolve) => client.once('secureConnect', () => resolve()));
  sendRequest();
  await done;
  await new Promise((resolve) => setImmediate(resolve));
  client.destroy();
  server.destroy();
  connection.close();
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 64);
  const work = mkdtempSync(join(tmpdir(), 'tls-bench-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=mail.contoso.test', '-keyout', join(work, 'k.pem'), '-out', join(work, 'c.pem')], { stdio: 'ignore' });
    const key = readFileSync(join(work, 'k.pem'));
    const cert = readFileSync(join(work, 'c.pem'));
    const capture = join(work, 'tls-bench.pcap');
    const keyLogPath = join(work, 'tls-bench.keys');
    const pcap = new TlsCaptureWriter(capture);
    const keyLines: string[] = [];
    const perConnection = 4 * 1024 * 1024;
    const connections = Math.max(2, Math.ceil((megabytes * 1024 * 1024) / perConnection));
    for (let i = 0; i < connections; i++) {
      await runConnection(pcap, i, { key, cert, maxVersion: i % 2 === 0 ? 'TLSv1.2' : 'TLSv1.3' }, 64, perConnection / 64, keyLines);
    }
    pcap.close();
    writeFileSync(keyLogPath, `${keyLines.join('\n')}\n`);
    const payloadMb = pcap.tcpPayloadBytes / 1e6;
    console.log(`capture: ${connections} connections (TLS 1.2 and 1.3, AES-128-GCM), ${payloadMb.toFixed(1)} MB of TLS payload`);

    const keyLog = new KeyLog();
    keyLog.load(readFileSync(keyLogPath, 'latin1'), { file: keyLogPath }, (a) => console.error(a.message));
    /** Wall time of one full pass (read, reassemble, decrypt, parse HTTP); the first pass includes JIT warm-up. */
    const pass = async (): Promise<number> => {
      let exchanges = 0;
      const started = process.hrtime.bigint();
      await readExchanges(capture, { exchange: () => void exchanges++, anomaly: (a) => console.error(a.message) }, { keyLog });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`oauth-inspect: ${exchanges} exchanges in ${seconds.toFixed(2)} s = ${(payloadMb / seconds).toFixed(1)} MB/s`);
      return seconds;
    };
    const cold = await pass();
    const ours = Math.min(cold, await pass(), await pass());
    const tsharkStarted = process.hrtime.bigint();
    const tshark = spawnSync('tshark', ['-r', capture, '-o', `tls.keylog_file:${keyLogPath}`, '-d', `tcp.port==${SERVER_PORT},tls`, '-Y', 'http.request', '-T', 'fields', '-e', 'frame.number'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const theirs = Number(process.hrtime.bigint() - tsharkStarted) / 1e9;
    const tsharkRequests = tshark.stdout.split('\n').filter(Boolean).length;
    console.log(`tshark: ${tsharkRequests} requests in ${theirs.toFixed(2)} s = ${(payloadMb / theirs).toFixed(1)} MB/s`);
    console.log(`speed-up: ${(theirs / ours).toFixed(1)}x best of 3 passes, ${(theirs / cold).toFixed(1)}x first pass (target >= 5x)`);
  } finally {
    if (process.env['TLS_BENCH_KEEP'] === undefined) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

await main();
