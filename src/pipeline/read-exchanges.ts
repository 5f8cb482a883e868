// Wires the capture stages: file -> frames -> TCP segments -> streams -> HTTP exchanges.
import { open } from 'node:fs/promises';
import type { Anomaly, CaptureSecrets, HttpExchange } from '../model/index.js';
import { InputError } from '../model/index.js';
import { HttpStreamParser } from '../http1/http-stream-parser.js';
import { PacketDecoder } from '../reassembly/packet-decoder.js';
import { TcpReassembler } from '../reassembly/tcp-reassembler.js';
import { readHarFile } from '../sources/har-reader.js';
import { gunzipStart, sniffFormat } from '../sources/magic.js';
import { readPacketFile } from '../sources/packet-file.js';
import { KeyLog } from '../tls/key-log.js';
import { TlsDetectingHandler } from '../tls/tls-detecting-handler.js';
import { fileOpenError } from '../sources/file-errors.js';

/** pcapng Decryption Secrets Block type of an NSS key log ('TLSK'). */
const TLS_KEY_LOG_SECRETS = 0x544c534b;

export interface ReadOptions {
  /** TLS secrets from --keylog / SSLKEYLOGFILE; secrets embedded in the capture are added to it. */
  readonly keyLog?: KeyLog;
}

export interface ExchangeHandlers {
  exchange(ex: HttpExchange): void;
  anomaly(anomaly: Anomaly): void;
  secrets?(secrets: CaptureSecrets): void;
}

export interface SourceSummary {
  readonly file: string;
  readonly format: 'pcap' | 'pcapng' | 'har';
  readonly gzip: boolean;
  readonly frames: number;
  readonly bytes: number;
  readonly tcpStreams: number;
  readonly exchanges: number;
  readonly damaged: boolean;
}

/** Reads the first bytes of a file to choose a reader by magic, never by extension. */
async function sniffFile(path: string): Promise<'packets' | 'har'> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileOpenError(path, error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError('is-directory', 'is a directory, not a capture file', path);
    if (stat.size === 0) throw new InputError('empty-file', 'empty file', path);
    const head = Buffer.alloc(Math.min(4096, stat.size));
    await handle.read(head, 0, head.length, 0);
    const format = sniffFormat(head);
    if (format === 'gzip') return sniffFormat(gunzipStart(head)) === 'json' ? 'har' : 'packets';
    return format === 'json' ? 'har' : 'packets';
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileOpenError(path, error);
  } finally {
    await handle.close();
  }
}


/** Streams every HTTP exchange of one capture or HAR file to `handlers`. */
export async function readExchanges(path: string, handlers: ExchangeHandlers, options: ReadOptions = {}): Promise<SourceSummary> {
  let exchanges = 0;
  const onExchange = (ex: HttpExchange): void => {
    exchanges++;
    handlers.exchange(ex);
  };
  if ((await sniffFile(path)) === 'har') {
    const har = await readHarFile(path, onExchange, handlers.anomaly);
    return { file: path, format: 'har', gzip: false, frames: 0, bytes: 0, tcpStreams: 0, exchanges, damaged: false };
  }
  let origin: { kind: 'pcap' | 'pcapng'; file: string } = { kind: 'pcap', file: path };
  const keyLog = options.keyLog ?? new KeyLog();
  const tlsContext = { keyLog, onAnomaly: handlers.anomaly, file: path };
  const reassembler = new TcpReassembler({
    file: path,
    onAnomaly: handlers.anomaly,
    open: (info) =>
      new TlsDetectingHandler(info, (tls) => new HttpStreamParser(info, { origin, onExchange, onAnomaly: handlers.anomaly, tls }), tlsContext),
  });
  const decoder = new PacketDecoder((segment) => reassembler.segment(segment), handlers.anomaly, path);
  const summary = await readPacketFile(path, {
    frame(frame) {
      decoder.decode(frame);
    },
    anomaly: handlers.anomaly,
    secrets(secrets) {
      if (secrets.secretsType === TLS_KEY_LOG_SECRETS) {
        keyLog.load(secrets.data.toString('latin1'), { file: path, frame: secrets.beforeFrame }, handlers.anomaly);
      }
      handlers.secrets?.(secrets);
    },
    start(format) {
      origin = { kind: format, file: path };
    },
  });
  decoder.finish();
  reassembler.finish();
  return {
    file: path,
    format: summary.format,
    gzip: summary.gzip,
    frames: summary.frames,
    bytes: summary.bytes,
    tcpStreams: reassembler.streamCount,
    exchanges,
    damaged: summary.damaged,
  };
}
