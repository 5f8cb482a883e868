// Property tests: any split of a real TLS connection decrypts the same; any bytes at all never throw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly, Direction, TcpStreamInfo } from '../../src/model/index.js';
import { KeyLog } from '../../src/tls/key-log.js';
import { TlsStreamDecryptor } from '../../src/tls/tls-stream-decryptor.js';
import { TLS_FIXTURE_DIR } from '../../scripts/record-tls-captures.js';
import { runOurs } from '../reassembly/run-capture.js';
import { PlaintextRecorder } from './run-tls.js';

interface Piece {
  readonly direction: Direction;
  readonly bytes: Buffer;
}

const info: TcpStreamInfo = {
  index: 0,
  client: { ip: '127.0.0.1', port: 50000 },
  server: { ip: '127.0.0.1', port: 18443 },
  firstFrame: 1,
  firstTime: { sec: 0, nsec: 0 },
};

/** Feeds `pieces` to a fresh decryptor; returns the plaintext per direction and the anomalies. */
function decrypt(pieces: readonly Piece[], keyLog: KeyLog): { client: string; server: string; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const recorder = new PlaintextRecorder(0);
  const decryptor = new TlsStreamDecryptor(info, recorder, { keyLog, onAnomaly: (a) => anomalies.push(a) });
  pieces.forEach((piece, i) => decryptor.data(piece.direction, piece.bytes, i + 1, { sec: 0, nsec: 0 }));
  decryptor.end('fin');
  const text = (direction: Direction): string => recorder.chunks.filter((c) => c.direction === direction).map((c) => c.text).join('');
  return { client: text('client'), server: text('server'), anomalies };
}

/** Cuts each piece at the given fractions, keeping the order of directions. */
function resplit(pieces: readonly Piece[], cuts: readonly number[]): Piece[] {
  const out: Piece[] = [];
  pieces.forEach((piece, i) => {
    const cut = Math.floor((cuts[i % cuts.length] ?? 0) * piece.bytes.length);
    if (cut > 0) out.push({ direction: piece.direction, bytes: piece.bytes.subarray(0, cut) });
    if (cut < piece.bytes.length) out.push({ direction: piece.direction, bytes: piece.bytes.subarray(cut) });
  });
  return out;
}

for (const name of ['tls12-cbc', 'tls13-chacha20']) {
  describe(`${name}: TLS record and handshake reassembly`, () => {
    let pieces: Piece[] = [];
    const keyLog = (): KeyLog => {
      const log = new KeyLog();
      log.load(readFileSync(join(TLS_FIXTURE_DIR, `${name}.keys`), 'latin1'), { file: 'keys' }, () => undefined);
      return log;
    };
    let baseline: ReturnType<typeof decrypt>;

    beforeAll(async () => {
      const capture = await runOurs(join(TLS_FIXTURE_DIR, `${name}.pcap`));
      const events = capture.streams[0]!.events;
      pieces = events.flatMap((e) => (e.type === 'data' ? [{ direction: e.direction, bytes: Buffer.from(e.text, 'latin1') }] : []));
      baseline = decrypt(pieces, keyLog());
    });

    it('decrypts the whole connection as segments arrive', () => {
      expect(baseline.anomalies).toEqual([]);
      expect(baseline.client).toMatch(/^(GET|POST) \/EWS\/Exchange\.asmx HTTP\/1\.1\r\n/);
      expect(baseline.server).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    });

    it('gives the same plaintext however the bytes are split (records across segments, several per segment)', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (cuts) => {
          const result = decrypt(resplit(pieces, cuts), keyLog());
          expect(result).toEqual(baseline);
        }),
        { numRuns: 60 },
      );
    });

    it('gives the same plaintext with the bytes glued per direction run (many records in one chunk)', () => {
      const glued: Piece[] = [];
      for (const piece of pieces) {
        const last = glued[glued.length - 1];
        if (last?.direction === piece.direction) glued[glued.length - 1] = { direction: piece.direction, bytes: Buffer.concat([last.bytes, piece.bytes]) };
        else glued.push(piece);
      }
      expect(decrypt(glued, keyLog())).toEqual(baseline);
    });

    it('never throws on flipped, cut or random bytes', () => {
      fc.assert(
        fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), (position, value, junk) => {
          const whole = pieces.map((p) => ({ ...p, bytes: Buffer.from(p.bytes) }));
          const total = whole.reduce((n, p) => n + p.bytes.length, 0);
          let at = position % total;
          for (const piece of whole) {
            if (at < piece.bytes.length) {
              piece.bytes[at] = value;
              break;
            }
            at -= piece.bytes.length;
          }
          whole.splice(position % whole.length, 0, { direction: position % 2 ? 'client' : 'server', bytes: Buffer.from(junk) });
          expect(() => decrypt(whole, keyLog())).not.toThrow();
          expect(() => decrypt(whole.slice(0, position % whole.length), keyLog())).not.toThrow();
        }),
        { numRuns: 150 },
      );
    });
  });
}

describe('TlsStreamDecryptor on arbitrary input', () => {
  it('never throws on any sequence of TLS-looking records', () => {
    const record = fc
      .tuple(fc.integer({ min: 20, max: 24 }), fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 300 }))
      .map(([type, minor, body]) => Buffer.concat([Buffer.of(type, 3, minor, body.length >> 8, body.length & 0xff), body]));
    const handshake = fc
      .tuple(fc.constantFrom(1, 2, 4, 16, 20, 24), fc.uint8Array({ maxLength: 200 }))
      .map(([type, body]) => Buffer.concat([Buffer.of(22, 3, 3, 0, body.length + 4, type, 0, body.length >> 8, body.length & 0xff), body]));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.oneof(record, handshake, fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)))), { maxLength: 30 }), (inputs) => {
        const pieces = inputs.map(([client, bytes]) => ({ direction: (client ? 'client' : 'server') as Direction, bytes }));
        expect(() => decrypt(pieces, new KeyLog())).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
