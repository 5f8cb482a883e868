// TlsStreamDecryptor on hand-built handshakes: unsupported suites and missing keys are reported once; ALPN h2 is decrypted as any other.
import { describe, expect, it } from 'vitest';
import type { Anomaly, TcpStreamInfo } from '../../src/model/index.js';
import { KeyLog } from '../../src/tls/key-log.js';
import { TlsStreamDecryptor } from '../../src/tls/tls-stream-decryptor.js';
import { PlaintextRecorder } from './run-tls.js';

const info: TcpStreamInfo = {
  index: 7,
  client: { ip: '127.0.0.1', port: 50000 },
  server: { ip: '127.0.0.1', port: 443 },
  firstFrame: 1,
  firstTime: { sec: 0, nsec: 0 },
};

const u16 = (n: number): Buffer => Buffer.of(n >> 8, n & 0xff);
const vector16 = (bytes: Buffer): Buffer => Buffer.concat([u16(bytes.length), bytes]);
const extension = (type: number, data: Buffer): Buffer => Buffer.concat([u16(type), vector16(data)]);
const alpn = (protocol: string): Buffer => extension(16, vector16(Buffer.concat([Buffer.of(protocol.length), Buffer.from(protocol)])));
const handshakeRecord = (type: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.of(22, 3, 3), u16(body.length + 4), Buffer.of(type, 0), u16(body.length), body]);

function clientHello(): Buffer {
  const sni = extension(0, vector16(Buffer.concat([Buffer.of(0), vector16(Buffer.from('mail.contoso.test'))])));
  return handshakeRecord(1, Buffer.concat([u16(0x0303), Buffer.alloc(32, 0x52), Buffer.of(0), vector16(u16(0xc02f)), Buffer.of(1, 0), vector16(Buffer.concat([sni, alpn('h2')]))]));
}

function serverHello(suite: number, protocol?: string): Buffer {
  const extensions = protocol !== undefined ? vector16(alpn(protocol)) : Buffer.alloc(0);
  return handshakeRecord(2, Buffer.concat([u16(0x0303), Buffer.alloc(32, 0x53), Buffer.of(0), u16(suite), Buffer.of(0), extensions]));
}

function run(server: Buffer): { anomalies: Anomaly[]; decryptor: TlsStreamDecryptor; recorder: PlaintextRecorder; wants: boolean } {
  const anomalies: Anomaly[] = [];
  const recorder = new PlaintextRecorder(7);
  const decryptor = new TlsStreamDecryptor(info, recorder, { keyLog: new KeyLog(), onAnomaly: (a) => anomalies.push(a), file: 'x.pcap' });
  decryptor.data('client', clientHello(), 4, { sec: 0, nsec: 0 });
  const wants = decryptor.data('server', server, 6, { sec: 0, nsec: 0 });
  decryptor.data('client', Buffer.concat([Buffer.of(20, 3, 3, 0, 1, 1), Buffer.of(23, 3, 3, 0, 4, 1, 2, 3, 4)]), 8, { sec: 0, nsec: 0 });
  return { anomalies, decryptor, recorder, wants };
}

describe('TlsStreamDecryptor', () => {
  it('decrypts an ALPN h2 connection like any other (the HTTP/2 reader takes its plaintext): without a key, tls-no-key', () => {
    const { anomalies, decryptor } = run(serverHello(0xc02f, 'h2'));
    expect(anomalies.map((a) => a.code)).toEqual(['tls-no-key']);
    expect(decryptor.tlsInfo).toEqual({ version: 'TLS 1.2', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', sni: 'mail.contoso.test', alpn: 'h2' });
  });

  it('names a suite it cannot run, at the ClientHello, with the connection in details', () => {
    const { anomalies } = run(serverHello(0x0005));
    expect(anomalies.map((a) => [a.code, a.message, a.frame, a.details])).toEqual([
      [
        'tls-cipher-unsupported',
        'cipher not supported: TLS_RSA_WITH_RC4_128_SHA, SNI mail.contoso.test',
        4,
        { server: '127.0.0.1:443', sni: 'mail.contoso.test', clientRandom: '52'.repeat(32), cipherSuite: 'TLS_RSA_WITH_RC4_128_SHA' },
      ],
    ]);
  });

  it('reports a missing key once per stream, at the ClientHello, with server, SNI and client random in details', () => {
    const { anomalies } = run(serverHello(0xc02f, 'http/1.1'));
    expect(anomalies).toEqual([
      {
        code: 'tls-no-key',
        severity: 'warning',
        message: `no key for client random ${'52'.repeat(8)}…, SNI mail.contoso.test`,
        file: 'x.pcap',
        frame: 4,
        stream: 7,
        details: { server: '127.0.0.1:443', sni: 'mail.contoso.test', clientRandom: '52'.repeat(32) },
      },
    ]);
  });

  it('without a ClientHello, reports where the key was needed and what it knows', () => {
    const anomalies: Anomaly[] = [];
    const decryptor = new TlsStreamDecryptor(info, new PlaintextRecorder(7), { keyLog: new KeyLog(), onAnomaly: (a) => anomalies.push(a) });
    decryptor.data('server', serverHello(0x0005), 6, { sec: 0, nsec: 0 });
    expect(anomalies.map((a) => [a.code, a.frame, a.details])).toEqual([
      ['tls-cipher-unsupported', 6, { server: '127.0.0.1:443', cipherSuite: 'TLS_RSA_WITH_RC4_128_SHA' }],
    ]);
  });

  it('a gap cut by the snapshot length is passed on as such, without a tls-gap of its own', () => {
    const anomalies: Anomaly[] = [];
    const recorder = new PlaintextRecorder(7);
    const decryptor = new TlsStreamDecryptor(info, recorder, { keyLog: new KeyLog(), onAnomaly: (a) => anomalies.push(a) });
    decryptor.data('client', clientHello().subarray(0, 30), 4, { sec: 0, nsec: 0 });
    decryptor.gap('client', 40, 4, { sec: 0, nsec: 0 }, 96);
    expect(anomalies).toEqual([]);
    expect(recorder.gaps).toEqual([{ direction: 'client', missing: 40, snapLength: 96 }]);
  });
});
