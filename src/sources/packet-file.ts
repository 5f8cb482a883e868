// Reads a pcap or pcapng file (optionally gzip-compressed) as a stream and hands frames to a sink.
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, anomaly } from '../model/index.js';
import type { CaptureFileSummary, CaptureSink, PacketFileFormat } from './capture-sink.js';
import { SNIFF_LENGTH, sniffFormat, type SniffedFormat } from './magic.js';
import { PcapParser } from './pcap-reader.js';
import { PcapngParser } from './pcapng-reader.js';
import { ChunkFeeder } from './record-stream.js';
import { fileOpenError } from './file-errors.js';
import { openInput, type InputFile } from './input-file.js';

/** Read size: large chunks keep per-chunk overhead small; records rarely span two. */
const READ_CHUNK_BYTES = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;

export interface ReadPacketFileOptions {
  readonly signal?: AbortSignal;
}

/**
 * Streams `path` into `sink`: frames in file order, then secrets and anomalies as met. The
 * format comes from the magic bytes, never the name; gzip is undone on the fly. Memory stays
 * bounded by the read chunk size plus one record.
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
  const fileStream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  if (outer !== 'gzip') return await readCapture(fileStream, head, false, path, sink, signal);
  const gunzip = pipeline(fileStream, createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), () => {
    // Errors surface through the iteration of the gunzip stream in readCapture.
  });
  return await readCapture(gunzip, head, true, path, sink, signal);
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
 * where decompression failed, with a `truncated-gzip` anomaly.
 */
async function readCapture(
  source: Readable,
  head: Buffer,
  gzip: boolean,
  path: string,
  sink: CaptureSink,
  signal: AbortSignal | undefined,
): Promise<CaptureFileSummary> {
  let capture = gzip ? undefined : captureParser(head, path, sink, false);
  const innerHead: Buffer[] = [];
  let innerHeadLength = 0;
  let bytes = 0;
  let gzipError: Error | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      bytes += chunk.length;
      if (capture === undefined) {
        innerHead.push(chunk);
        innerHeadLength += chunk.length;
        if (innerHeadLength < SNIFF_LENGTH) continue;
        const joined = Buffer.concat(innerHead);
        capture = captureParser(joined, path, sink, true);
        capture.feeder.push(joined);
      } else {
        capture.feeder.push(chunk);
      }
      if (capture.parser.stopped) break;
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof InputError) throw error;
    if (!gzip || !isZlibError(error)) throw fileOpenError(path, error);
    gzipError = error;
  } finally {
    source.destroy();
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
  const { parser, feeder, format } = capture;
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
