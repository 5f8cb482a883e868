// Test helpers: decrypt every TLS connection of a capture into recorded plaintext chunks.
import { readFile } from 'node:fs/promises';
import type { Anomaly, Direction, TcpStreamInfo, Timestamp } from '../../src/model/index.js';
import { PacketDecoder } from '../../src/reassembly/packet-decoder.js';
import type { StreamHandler } from '../../src/reassembly/stream-handler.js';
import { TcpReassembler } from '../../src/reassembly/tcp-reassembler.js';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { KeyLog } from '../../src/tls/key-log.js';
import { TlsStreamDecryptor } from '../../src/tls/tls-stream-decryptor.js';

export interface PlaintextChunk {
  readonly stream: number;
  readonly direction: Direction;
  readonly frame: number;
  readonly text: string;
}

/** Records what a decryptor hands on. */
export class PlaintextRecorder implements StreamHandler {
  readonly chunks: PlaintextChunk[] = [];
  readonly gaps: { direction: Direction; missing: number; snapLength?: number }[] = [];
  ended = false;

  constructor(private readonly stream: number) {}

  data(direction: Direction, bytes: Buffer, frame: number, _time: Timestamp): void {
    this.chunks.push({ stream: this.stream, direction, frame, text: bytes.toString('latin1') });
  }

  gap(direction: Direction, missing: number, _frame?: number, _time?: Timestamp, snapLength?: number): void {
    this.gaps.push({ direction, missing, ...(snapLength !== undefined && { snapLength }) });
  }

  end(): void {
    this.ended = true;
  }
}

export interface DecryptedCapture {
  readonly chunks: PlaintextChunk[];
  readonly anomalies: Anomaly[];
  readonly decryptors: TlsStreamDecryptor[];
}

/** Runs capture -> TCP -> TlsStreamDecryptor for every connection, with `keyLogPath` (if any) and embedded secrets. */
export async function decryptCapture(path: string, keyLogPath?: string): Promise<DecryptedCapture> {
  const anomalies: Anomaly[] = [];
  const onAnomaly = (a: Anomaly): void => void anomalies.push(a);
  const keyLog = new KeyLog();
  if (keyLogPath !== undefined) keyLog.load(await readFile(keyLogPath, 'latin1'), { file: keyLogPath }, onAnomaly);
  const recorders: PlaintextRecorder[] = [];
  const decryptors: TlsStreamDecryptor[] = [];
  const reassembler = new TcpReassembler({
    file: path,
    onAnomaly,
    open: (info: TcpStreamInfo) => {
      const recorder = new PlaintextRecorder(info.index);
      recorders.push(recorder);
      const decryptor = new TlsStreamDecryptor(info, recorder, { keyLog, onAnomaly, file: path });
      decryptors.push(decryptor);
      return decryptor;
    },
  });
  const decoder = new PacketDecoder((segment) => reassembler.segment(segment), onAnomaly, path);
  await readPacketFile(path, {
    frame: (f) => decoder.decode(f),
    anomaly: onAnomaly,
    secrets: (s) => keyLog.load(s.data.toString('latin1'), { file: path, frame: s.beforeFrame }, onAnomaly),
  });
  decoder.finish();
  reassembler.finish();
  return { chunks: recorders.flatMap((r) => r.chunks), anomalies, decryptors };
}

/** Rows of a tshark TSV with a header line, as arrays of fields. */
export async function readTsv(path: string): Promise<string[][]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
  return lines.slice(1).map((line) => line.split('\t'));
}
