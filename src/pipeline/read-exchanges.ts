// Wires the capture stages: file -> frames -> TCP segments -> streams -> HTTP exchanges.
import type { Anomaly, CaptureSecrets, HttpExchange } from '../model/index.js';
import type { CaptureSink } from '../sources/capture-sink.js';
import { InputError } from '../model/index.js';
import { HttpStreamParser } from '../http1/http-stream-parser.js';
import { PacketDecoder } from '../reassembly/packet-decoder.js';
import { TcpReassembler } from '../reassembly/tcp-reassembler.js';
import { readHarFile } from '../sources/har-reader.js';
import { readPacketFile } from '../sources/packet-file.js';
import { KeyLog } from '../tls/key-log.js';
import { TlsDetectingHandler } from '../tls/tls-detecting-handler.js';
import { openInput, type InputFile } from '../sources/input-file.js';

/** pcapng Decryption Secrets Block type of an NSS key log ('TLSK'). */
const TLS_KEY_LOG_SECRETS = 0x544c534b;

export interface ReadOptions {
  /** TLS secrets from --keylog / SSLKEYLOGFILE; secrets embedded in the capture are added to it. */
  readonly keyLog?: KeyLog;
  /** Stops reading at the next chunk; what was read so far is flushed and summarised. */
  readonly signal?: AbortSignal;
}

export interface ExchangeHandlers {
  exchange(ex: HttpExchange): void;
  anomaly(anomaly: Anomaly): void;
  secrets?(secrets: CaptureSecrets): void;
  /**
   * Called before the first exchange when the input is live (stdin, a FIFO): exchanges arrive as
   * the writer writes, so whatever holds them back for ordering should also let them go on time.
   */
  live?(): void;
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

/**
 * Streams every HTTP exchange of one capture or HAR file, or of standard input (`-`), a FIFO or
 * a `<(…)` path as it arrives, to `handlers`. Rejects with the signal's reason when stopped
 * before the input's first bytes came.
 */
export async function readExchanges(path: string, handlers: ExchangeHandlers, options: ReadOptions = {}): Promise<SourceSummary> {
  const input = await openInput(path, undefined, options.signal ? { signal: options.signal } : {});
  const source = EXCHANGE_SOURCES.find((candidate) => candidate.recognises(input));
  if (!source) {
    // A live input is let go (a pipe's writer gets EPIPE, and the process can end).
    if (input.live) input.openBytes().destroy();
    throw notACapture(input);
  }
  if (input.live) handlers.live?.();
  return source.read(input, handlers, options);
}

/** The one wording for a file no reader recognises. */
function notACapture(input: InputFile): InputError {
  const inside = input.gzip ? 'gzip-compressed, but inside ' : '';
  return new InputError('unknown-format', `${inside}not a pcap, pcapng, gzip or HAR file: no capture magic number`, input.path);
}

/** A format the scan reads: it recognises its files by their first bytes and hands over exchanges and anomalies. */
export interface ExchangeSource {
  readonly name: string;
  recognises(input: InputFile): boolean;
  read(input: InputFile, handlers: ExchangeHandlers, options: ReadOptions): Promise<SourceSummary>;
}

/** The registry: a new input format is one ExchangeSource and one line here. */
const EXCHANGE_SOURCES: readonly ExchangeSource[] = [
  { name: 'HAR', recognises: (input) => input.format === 'json', read: readHarSource },
  { name: 'pcap/pcapng', recognises: (input) => input.format === 'pcap' || input.format === 'pcapng', read: readPacketCapture },
];

async function readHarSource(input: InputFile, handlers: ExchangeHandlers): Promise<SourceSummary> {
  let exchanges = 0;
  await readHarFile(
    input,
    (ex) => {
      exchanges++;
      handlers.exchange(ex);
    },
    handlers.anomaly,
  );
  return { file: input.path, format: 'har', gzip: input.gzip, frames: 0, bytes: 0, tcpStreams: 0, exchanges, damaged: false };
}

/** file -> frames -> TCP segments -> streams (TLS decrypted) -> HTTP exchanges. */
async function readPacketCapture(input: InputFile, handlers: ExchangeHandlers, options: ReadOptions): Promise<SourceSummary> {
  const path = input.path;
  let exchanges = 0;
  const onExchange = (ex: HttpExchange): void => {
    exchanges++;
    handlers.exchange(ex);
  };
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
  const sink: CaptureSink = {
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
  };
  const summary = await readPacketFile(input, sink, options.signal ? { signal: options.signal } : {}).catch((error: unknown) => {
    // Stopped on purpose: what was read is still flushed through reassembly below.
    if (options.signal?.aborted) return { format: origin.kind, gzip: false, frames: 0, bytes: 0, damaged: false };
    throw error;
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
