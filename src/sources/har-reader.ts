// Reads a HAR 1.2 file (Chrome, Firefox, Fiddler, Charles, mitmproxy...) into HttpExchanges, in file order.
import { constants as bufferConstants } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { AnomalySink, HttpExchange } from '../model/index.js';
import { InputError, anomaly } from '../model/index.js';
import { harEntryToExchange, isJsonObject, type HarEntryContext } from './har-entry.js';
import { parseBoundedJson } from './bounded-json.js';
import { harEntryLines } from './har-entry-lines.js';
import { describeJsonSyntaxError } from './har-json-error.js';
import { fileOpenError, isGzipTrailerError } from './file-errors.js';
import { openInput, type InputFile } from './input-file.js';

/**
 * Largest HAR file read: it is parsed whole with JSON.parse (no streaming JSON parser is a
 * dependency), so the limit is 512 MiB or V8's longest string, whichever is smaller.
 */
export const MAX_HAR_BYTES = Math.min(512 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH);

export interface HarFileSummary {
  /** Number of items in log.entries, skipped ones included. */
  readonly entries: number;
  /** log.creator as `name version`, when the file says. */
  readonly creator?: string;
}

/**
 * Reads the HAR file at `path` and hands each entry, in file order (not re-sorted by
 * startedDateTime), to `onExchange`. Throws InputError for a file that cannot be read, is
 * larger than MAX_HAR_BYTES, is not JSON or is not a HAR ('bad-har'); a malformed entry is
 * skipped with an anomaly. Anomalies about one exchange are both in `exchange.anomalies` and
 * sent to `onAnomaly`.
 */
export async function readHarFile(
  file: string | InputFile,
  onExchange: (ex: HttpExchange) => void,
  onAnomaly: AnomalySink,
): Promise<HarFileSummary> {
  // Opened (and checked) once: by the source registry, or here for direct callers.
  const input = typeof file === 'string' ? await openInput(file, 'HAR file') : file;
  const path = input.path;
  // Neither the file's bytes nor its text stay reachable once parsed: only the parsed log does.
  const { bytes, badTrailer } = await readWholeFile(input);
  const text = bytes.toString('utf8');
  const log = parseHarLog(text, path);
  if (badTrailer !== undefined) {
    onAnomaly(
      anomaly({
        code: 'gzip-bad-trailer',
        severity: 'warning',
        message: `the gzip trailer does not match its data (${badTrailer}): the file is damaged; all ${bytes.length} decompressed bytes were read`,
        file: path,
        offset: bytes.length,
      }),
    );
  }
  // Lines of a gzip'd HAR would point into text that is not the file's.
  return emitEntries(log, path, onExchange, onAnomaly, input.gzip ? [] : harEntryLines(text));
}

/** As readHarFile, for HAR text already in memory; `file` names it in origins and errors. */
export function readHarText(
  text: string,
  file: string,
  onExchange: (ex: HttpExchange) => void,
  onAnomaly: AnomalySink,
): HarFileSummary {
  return emitEntries(parseHarLog(text, file), file, onExchange, onAnomaly, harEntryLines(text));
}

interface HarLog {
  readonly entries: unknown[];
  readonly creator: unknown;
}

/** JSON.parse (nesting bounded) with a line/column message on failure, and the check that it is a HAR. */
function parseHarLog(text: string, file: string): HarLog {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let document: unknown;
  try {
    document = parseBoundedJson(json);
  } catch (cause) {
    throw new InputError('bad-har', describeJsonSyntaxError(json), file, { cause });
  }
  const log = isJsonObject(document) ? document['log'] : undefined;
  const entries = isJsonObject(log) ? log['entries'] : undefined;
  if (!isJsonObject(log) || !Array.isArray(entries)) {
    throw new InputError('bad-har', 'not a HAR file: JSON has no log.entries', file);
  }
  return { entries, creator: log['creator'] };
}

function emitEntries(
  log: HarLog,
  file: string,
  onExchange: (ex: HttpExchange) => void,
  onAnomaly: AnomalySink,
  /** Line of each entry in the file, by index (empty when unknown). */
  entryLines: readonly number[],
): HarFileSummary {
  const { entries } = log;
  const context: HarEntryContext = { file, streamCounts: new Map() };
  for (let index = 0; index < entries.length; index++) {
    const result = harEntryToExchange(entries[index], index, context);
    // Let the parsed entry (its body strings above all) be collected as soon as it is mapped.
    entries[index] = undefined;
    if (result.type === 'skipped') {
      onAnomaly(result.anomaly);
      continue;
    }
    for (const anomaly of result.exchange.anomalies) onAnomaly(anomaly);
    const line = entryLines[index];
    onExchange(line === undefined ? result.exchange : { ...result.exchange, entryLine: line });
  }
  const creator = creatorName(log.creator);
  return { entries: entries.length, ...(creator ? { creator } : {}) };
}

function creatorName(creator: unknown): string | undefined {
  if (!isJsonObject(creator) || typeof creator['name'] !== 'string') return undefined;
  const version = creator['version'];
  return typeof version === 'string' && version !== '' ? `${creator['name']} ${version}` : creator['name'];
}

/** The whole file or live input (gunzipped when gzip), within MAX_HAR_BYTES; `badTrailer` says why a gzip trailer did not match its data. Opening and the first checks were done by openInput. */
async function readWholeFile(input: InputFile): Promise<{ bytes: Buffer; badTrailer?: string }> {
  const path = input.path;
  if (input.size > MAX_HAR_BYTES) throw tooLarge(path, input.size);
  let bytes: Buffer;
  try {
    bytes = input.live ? await readWholeStream(input) : await readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileOpenError(path, error, 'HAR file');
  }
  if (bytes.length > MAX_HAR_BYTES) throw tooLarge(path, bytes.length);
  return input.gzip ? gunzipHar(bytes, path) : { bytes };
}

/** All of a live input (stdin, a pipe), stopping with an input error as soon as it is larger than MAX_HAR_BYTES. */
async function readWholeStream(input: InputFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = input.openBytes();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > MAX_HAR_BYTES) throw tooLarge(input.path, length);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, length);
}

/** A gzip'd HAR (as browsers' exports are often shared), decompressed within the size limit. */
function gunzipHar(bytes: Buffer, path: string): { bytes: Buffer; badTrailer?: string } {
  try {
    return { bytes: gunzipSync(bytes, { maxOutputLength: MAX_HAR_BYTES }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(path, MAX_HAR_BYTES + 1);
    // Only the trailer (CRC-32, length) disagrees: the data is all there, read without it.
    if (isGzipTrailerError(error)) {
      const data = gunzipSync(bytes.subarray(0, -8), { maxOutputLength: MAX_HAR_BYTES, finishFlush: zlibConstants.Z_SYNC_FLUSH });
      return { bytes: data, badTrailer: error.message };
    }
    throw new InputError('bad-har', `damaged gzip: ${(error as Error).message}`, path);
  }
}

function tooLarge(path: string, size: number): InputError {
  return new InputError('bad-har', `HAR file too large: ${size} bytes, the limit is ${MAX_HAR_BYTES}`, path);
}

