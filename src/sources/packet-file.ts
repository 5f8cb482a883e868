// Reads a pcap or pcapng file or live stream (optionally gzip-compressed) as it arrives and hands frames to a sink.
import { pipeline, type Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { InputError, anomaly } from '../model/index.js';
import type { CaptureFileSummary, CaptureSink, PacketFileFormat } from './capture-sink.js';
import { SNIFF_LENGTH, sniffFormat, type SniffedFormat } from './magic.js';
import { PcapParser } from './pcap-reader.js';
import { PcapngParser } from './pcapng-reader.js';
import { ChunkFeeder } from './record-stream.js';
import { fileOpenError, isGzipTrailerError } from './file-errors.js';
import { openInput, type InputFile } from './input-file.js';

/** Read size: large chunks keep per-chunk overhead small; records rarely span two. */
const READ_CHUNK_BYTES = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;
/** A gzip member ends with CRC-32 and length (4 bytes each) of its data. */
const GZIP_TRAILER_BYTES = 8;

export interface ReadPacketFileOptions {
  readonly signal?: AbortSignal;
}

/**
 * Streams `path` into `sink`: frames in file order, then secrets and anomalies as met. The
 * format comes from the magic bytes, never the name; gzip is undone on the fly. Memory stays
 * bounded by the read chunk size plus one record. A live input (stdin, a FIFO: see openInput)
 * is read as it arrives: each frame reaches the sink once its record is whole.
 *
 * A frame's `data` is a view into a read buffer: it stays valid, but keeps that 1 MiB buffer
 * alive, so a consumer that holds on to frame bytes beyond the `frame` call should copy them.
 *
 * Throws InputError (not-found, is-directory, empty-file, unknown-format, unreadable) when the
 * file cannot be read as a capture at all. Damage inside a capture (cut records, corrupt gzip)
 * is reported as anomalies: frames up to the damage are delivered and the summary says
 * `damaged`. Rejects with the signal's reason when aborted.
 */
export async function readPacketFile(
  file: string | InputFile,
  sink: CaptureSink,
  options: ReadPacketFileOptions = {},
): Promise<CaptureFileSummary> {
  const { signal } = options;
  signal?.throwIfAborted();
  // Opened (and checked) once: by the source registry, or here for direct callers.
  const input = typeof file === 'string' ? await openInput(file) : file;
  const { path, head } = input;
  const outer = sniffFormat(head.subarray(0, SNIFF_LENGTH));
  if (outer === undefined || outer === 'json') throw notACapture(path, outer);
  if (outer !== 'gzip') return await readCapture(input.openBytes({ highWaterMark: READ_CHUNK_BYTES }), input, false, sink, signal);
  return await readCapture(gunzipStream(input), input, true, sink, signal);
}

/**
 * The decompressed bytes of the gzip input. `withoutTrailer` leaves the file's last 8 bytes out
 * and ends without error where the data ends: how the data of a file whose only fault is its
 * trailer (CRC-32 or length) is read (a regular file only: it is read a second time).
 */
function gunzipStream(input: InputFile, withoutTrailer = false): Readable {
  const end = withoutTrailer ? input.size - GZIP_TRAILER_BYTES - 1 : undefined;
  const fileStream = input.openBytes({ highWaterMark: READ_CHUNK_BYTES, ...(end !== undefined && { end }) });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES, ...(end !== undefined && { finishFlush: zlibConstants.Z_SYNC_FLUSH }) });
  return pipeline(fileStream, gunzip, () => {
    // Errors surface through the iteration of the gunzip stream in readCapture.
  });
}

function notACapture(path: string, format: SniffedFormat | undefined, inside = ''): InputError {
  const what = format === 'json' ? 'JSON (a HAR file?)' : 'not a pcap, pcapng or gzip file';
  return new InputError('unknown-format', `${inside}${what}: no packet capture magic number`, path);
}

interface CaptureParser {
  readonly parser: PcapParser | PcapngParser;
  readonly feeder: ChunkFeeder;
  readonly format: PacketFileFormat;
}

/** A parser for the capture that `head` (the first decompressed bytes) announces. */
function captureParser(head: Buffer, path: string, sink: CaptureSink, gzip: boolean): CaptureParser {
  const format = sniffFormat(head);
  if (format !== 'pcap' && format !== 'pcapng') throw notACapture(path, format, gzip ? 'gzip-compressed, but inside ' : '');
  const parser = format === 'pcap' ? new PcapParser(sink, path) : new PcapngParser(sink, path);
  return { parser, feeder: new ChunkFeeder(parser), format };
}

/**
 * Parses the chunks of `source` (the file, or its gunzipped form). With gzip the inner format
 * is sniffed from the first decompressed bytes; a corrupt or cut gzip stream ends the capture
 * where decompression failed, with a `truncated-gzip` anomaly. An abort destroys the source at
 * once, so a live input that is waiting for its writer stops too.
 */
async function readCapture(
  source: Readable,
  input: InputFile,
  gzip: boolean,
  sink: CaptureSink,
  signal: AbortSignal | undefined,
): Promise<CaptureFileSummary> {
  const { path, head } = input;
  let capture = gzip ? undefined : captureParser(head, path, sink, false);
  const innerHead: Buffer[] = [];
  let innerHeadLength = 0;
  let bytes = 0;
  /** Reads `from`, leaving out its first `skip` bytes (read already); a gzip error is returned. */
  const read = async (from: Readable, skip: number): Promise<Error | undefined> => {
    const stop = (): void => void from.destroy(signal?.reason as Error);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const whole of from as AsyncIterable<Buffer>) {
        signal?.throwIfAborted();
        const chunk = skip >= whole.length ? undefined : whole.subarray(skip);
        skip = Math.max(0, skip - whole.length);
        if (chunk === undefined) continue;
        bytes += chunk.length;
        if (capture === undefined) {
          innerHead.push(chunk);
          innerHeadLength += chunk.length;
          const joined = Buffer.concat(innerHead, innerHeadLength);
          // A live capture's first records are parsed as soon as its magic is known, not once 512 bytes came.
          if (innerHeadLength < SNIFF_LENGTH && sniffFormat(joined) === undefined) continue;
          capture = captureParser(joined, path, sink, true);
          capture.feeder.push(joined);
        } else {
          capture.feeder.push(chunk);
        }
        if (capture.parser.stopped) break;
      }
      return undefined;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof InputError) throw error;
      if (!gzip || !isZlibError(error)) throw fileOpenError(path, error);
      return error;
    } finally {
      signal?.removeEventListener('abort', stop);
      from.destroy();
    }
  };
  let gzipError = await read(source, 0);
  let badTrailer: Error | undefined;
  if (isGzipTrailerError(gzipError) && !input.live) {
    // All the data decompressed; the error may have dropped its last chunks: read them again.
    badTrailer = gzipError;
    gzipError = await read(gunzipStream(input, true), bytes);
  }
  if (capture === undefined) {
    if (innerHeadLength === 0) {
      if (gzipError === undefined) throw new InputError('empty-file', 'is an empty gzip file', path);
      throw new InputError('unknown-format', `gzip data is corrupt: ${gzipError.message}`, path);
    }
    const joined = Buffer.concat(innerHead);
    capture = captureParser(joined, path, sink, true);
    capture.feeder.push(joined);
  }
  const { parser, feeder, format } = capture as CaptureParser;
  if (badTrailer !== undefined && gzipError === undefined) {
    parser.damaged = true;
    sink.anomaly(
      anomaly({
        code: 'gzip-bad-trailer',
        severity: 'warning',
        message: `the gzip trailer does not match its data (${badTrailer.message}): the file is damaged; all ${bytes} decompressed bytes were read`,
        file: path,
        offset: bytes,
      }),
    );
  }
  if (gzipError !== undefined && !parser.stopped) {
    parser.damaged = true;
    sink.anomaly(
      anomaly({
        code: 'truncated-gzip',
        severity: 'warning',
        message: `gzip data is cut short or corrupt after ${bytes} decompressed bytes (${gzipError.message}); frames up to there were read`,
        file: path,
        offset: bytes,
      }),
    );
  }
  feeder.finish();
  return { format, gzip, frames: parser.frames, bytes, damaged: parser.damaged };
}

function isZlibError(error: unknown): error is Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
