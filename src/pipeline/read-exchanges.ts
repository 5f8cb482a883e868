// Wires the capture stages: file -> frames -> TCP segments -> streams -> HTTP/1 or HTTP/2 exchanges.
import type { Anomaly, CaptureSecrets, HttpExchange } from '../model/index.js';
import type { CaptureSink } from '../sources/capture-sink.js';
import { InputError } from '../model/index.js';
import { HttpProtocolChoice } from '../http2/http-protocol-choice.js';
import { FrameRecords } from './frame-records.js';
import { PacketDecoder } from '../reassembly/packet-decoder.js';
import { TcpReassembler } from '../reassembly/tcp-reassembler.js';
import { readHarFile } from '../sources/har-reader.js';
import { readPacketFile } from '../sources/packet-file.js';
import { DEFAULT_SAZ_LIMITS, readSazFile } from '../sources/saz-reader.js';
import { spoolLiveInput } from '../sources/spooled-input.js';
import { KeyLog } from '../tls/key-log.js';
import { TlsDetectingHandler } from '../tls/tls-detecting-handler.js';
import { openInput, type InputFile } from '../sources/input-file.js';
import { measuredInput, type InputProgress } from '../sources/measured-input.js';
import { ConnectTunnelHandler } from './connect-tunnel.js';

/** pcapng Decryption Secrets Block type of an NSS key log ('TLSK'). */
const TLS_KEY_LOG_SECRETS = 0x544c534b;

export interface ReadOptions {
  /** TLS secrets from --keylog / SSLKEYLOGFILE; secrets embedded in the capture are added to it. */
  readonly keyLog?: KeyLog;
  /** Stops reading at the next chunk; what was read so far is flushed and summarised. */
  readonly signal?: AbortSignal;
  /** Told where each TCP frame and TLS connection belongs, for tools that go back to the frames (export). */
  readonly observer?: CaptureObserver;
  /** Told of each input once it is open, with how far it has been read (a progress display polls it). */
  readonly onInput?: (progress: InputProgress) => void;
}

/** What a packet capture's reading tells beside its exchanges: the tcp.stream of every TCP frame, TLS client randoms. */
export interface CaptureObserver {
  segment?(file: string, frame: number, stream: number): void;
  clientHello?(file: string, stream: number, clientRandom: Buffer): void;
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
  readonly format: 'pcap' | 'pcapng' | 'har' | 'saz';
  readonly gzip: boolean;
  readonly frames: number;
  readonly bytes: number;
  readonly tcpStreams: number;
  readonly exchanges: number;
  readonly damaged: boolean;
}

/**
 * Streams every HTTP exchange of one capture, HAR or Fiddler archive, or of standard input (`-`),
 * a FIFO or a `<(…)` path as it arrives, to `handlers`. Rejects with the signal's reason when
 * stopped before the input's first bytes came.
 */
export async function readExchanges(path: string, handlers: ExchangeHandlers, options: ReadOptions = {}): Promise<SourceSummary> {
  const opened = await openInput(path, undefined, options.signal ? { signal: options.signal } : {});
  const measured = options.onInput ? measuredInput(opened) : undefined;
  const input = measured?.input ?? opened;
  const source = EXCHANGE_SOURCES.find((candidate) => candidate.recognises(input));
  if (!source) {
    // A live input is let go (a pipe's writer gets EPIPE, and the process can end).
    if (input.live) input.openBytes().destroy();
    throw notACapture(input);
  }
  if (input.live) handlers.live?.();
  if (!measured) return source.read(input, handlers, options);
  options.onInput?.(measured.progress);
  try {
    return await source.read(input, handlers, options);
  } finally {
    measured.finished();
  }
}

/** The one wording for a file no reader recognises. */
function notACapture(input: InputFile): InputError {
  const inside = input.gzip ? 'gzip-compressed, but inside ' : '';
  return new InputError('unknown-format', `${inside}not a pcap, pcapng, gzip, HAR or Fiddler .saz file: no capture magic number`, input.path);
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
  { name: 'Fiddler SAZ', recognises: (input) => input.format === 'zip' && !input.gzip, read: readSazSource },
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

async function readSazSource(input: InputFile, handlers: ExchangeHandlers, options: ReadOptions): Promise<SourceSummary> {
  // A zip's directory is at its end: a live input is copied to a private temporary file first.
  const spooled = input.live ? await spoolLiveInput(input, DEFAULT_SAZ_LIMITS.maxTotalBytes, 'a Fiddler archive', options.signal) : undefined;
  try {
    const summary = await readSazFile(input, handlers.exchange, handlers.anomaly, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(spooled ? { bytesAt: spooled.path } : {}),
    });
    return { file: input.path, format: 'saz', gzip: false, frames: 0, bytes: 0, tcpStreams: 0, exchanges: summary.exchanges, damaged: summary.damaged };
  } finally {
    await spooled?.remove();
  }
}

/** file -> frames -> TCP segments -> streams (TLS decrypted) -> HTTP/1 or HTTP/2 exchanges. */
async function readPacketCapture(input: InputFile, handlers: ExchangeHandlers, options: ReadOptions): Promise<SourceSummary> {
  const path = input.path;
  let exchanges = 0;
  // Offsets in a gzip'd capture are not the file's: its exchanges point at no bytes.
  const records = input.gzip ? undefined : new FrameRecords();
  const onExchange = (ex: HttpExchange): void => {
    exchanges++;
    handlers.exchange(records ? records.locate(ex) : ex);
  };
  let origin: { kind: 'pcap' | 'pcapng'; file: string } = { kind: 'pcap', file: path };
  const keyLog = options.keyLog ?? new KeyLog();
  const observer = options.observer;
  const onClientHello = observer?.clientHello;
  const tlsContext = {
    keyLog,
    onAnomaly: handlers.anomaly,
    file: path,
    ...(onClientHello && { onClientHello: (stream: number, random: Buffer) => onClientHello.call(observer, path, stream, random) }),
  };
  const reassembler = new TcpReassembler({
    file: path,
    onAnomaly: handlers.anomaly,
    open: (info) => {
      // TLS detected, then HTTP/1 or HTTP/2: the connection itself, and what a CONNECT tunnel in it carries.
      const httpOver = (emit: (ex: HttpExchange) => void) =>
        new TlsDetectingHandler(info, (tls) => new HttpProtocolChoice(info, { origin, onExchange: emit, onAnomaly: handlers.anomaly, tls }), tlsContext);
      return new ConnectTunnelHandler(httpOver, (firstIndex) => httpOver((ex) => onExchange({ ...ex, indexInStream: ex.indexInStream + firstIndex })), onExchange);
    },
  });
  const onSegment = observer?.segment;
  const decoder = new PacketDecoder(
    onSegment
      ? (segment) => onSegment.call(observer, path, segment.frameNumber, reassembler.segment(segment))
      : (segment) => reassembler.segment(segment),
    handlers.anomaly,
    path,
  );
  const sink: CaptureSink = {
    frame(frame) {
      records?.add(frame);
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
