// HAR 1.2 recording of exchanges, written entry by entry so the file parses after any crash; it writes what it is given (the Inspector masked it).
import { open, type FileHandle } from 'node:fs/promises';
import type { Entry, Header, Log, QueryString, Request, Response } from 'har-format';
import { endpointToString, exchangeHost, headerValue, timestampToIso, timestampToSeconds } from '../model/index.js';
import type { HttpBody, HttpExchange, HttpHeaders } from '../model/index.js';
import { MASKING_NOTE } from '../pipeline/secret-masking.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Body text for HAR: UTF-8 when it is, else base64. */
function bodyText(body: HttpBody): { text: string; encoding?: 'base64' } {
  try {
    return { text: utf8.decode(body.bytes) };
  } catch {
    return { text: body.bytes.toString('base64'), encoding: 'base64' };
  }
}

function harHeaders(headers: HttpHeaders): Header[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function queryString(url: string): QueryString[] {
  const question = url.indexOf('?');
  if (question === -1) return [];
  return url.slice(question + 1).split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=');
    return equals === -1 ? { name: pair, value: '' } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
  });
}

/** The request's absolute URL: the absolute-form target as sent, else scheme + Host + target. */
function absoluteUrl(ex: HttpExchange): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ex.request.uri)) return ex.request.uri;
  return `${ex.scheme}://${exchangeHost(ex) || endpointToString(ex.server)}${ex.request.uri}`;
}

/** One HAR 1.2 entry for `ex` as given; `masked` says that its secrets were masked (maskExchange). */
export function harEntryOf(ex: HttpExchange, masked: boolean): Entry {
  const url = absoluteUrl(ex);
  const request = ex.request;
  const contentType = headerValue(request.headers, 'content-type');
  const requestJson: Request = {
    method: request.method,
    url,
    httpVersion: request.version,
    cookies: [],
    headers: harHeaders(request.headers),
    queryString: queryString(url),
    headersSize: -1,
    bodySize: request.body.wireLength,
  };
  if (request.body.bytes.length > 0) requestJson.postData = { mimeType: contentType ?? '', ...bodyText(request.body) };
  const response = ex.response;
  const waitMs = response ? Math.max(0, (timestampToSeconds(response.time) - timestampToSeconds(request.time)) * 1000) : 0;
  // `_error` is a custom field (HAR 1.2 allows those with a leading underscore).
  const responseJson: Response & { _error?: string } = response
    ? {
        status: response.status,
        statusText: response.reason,
        httpVersion: response.version,
        cookies: [],
        headers: harHeaders(response.headers),
        content: {
          // More than the bytes held tells a reader that the body was cut at the capture cap.
          size: response.body.truncated ? Math.max(response.body.wireLength, response.body.bytes.length + 1) : response.body.bytes.length,
          mimeType: headerValue(response.headers, 'content-type') ?? '',
          ...bodyText(response.body),
        },
        redirectURL: headerValue(response.headers, 'location') ?? '',
        headersSize: -1,
        bodySize: response.body.wireLength,
      }
    : {
        status: 0,
        statusText: '',
        httpVersion: '',
        cookies: [],
        headers: [],
        content: { size: 0, mimeType: '' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        _error: ex.anomalies.map((a) => a.message).join('; ') || 'no response',
      };
  return {
    startedDateTime: timestampToIso(request.time),
    time: waitMs,
    request: requestJson,
    response: responseJson,
    cache: {},
    timings: { send: 0, wait: waitMs, receive: 0 },
    ...(ex.server.ip ? { serverIPAddress: ex.server.ip } : {}),
    // -1 when the source numbered no connection (a HAR entry without one, read back as unknown).
    connection: String(ex.stream ?? ex.connection ?? -1),
    ...(masked ? { comment: 'secrets masked' } : {}),
  };
}

export interface HarWriterOptions {
  /** The exchanges it is given have their secrets masked (maskExchange): the file says so. */
  readonly masked: boolean;
  readonly creator: { readonly name: string; readonly version: string };
}

const TAIL = '\n]}}\n';

/**
 * Appends entries to a HAR file. Each write puts one or more entries and the closing `]}}`
 * after the last entry, in a single positioned write: the file is a complete HAR between writes.
 */
export class HarWriter {
  readonly #file: FileHandle;
  readonly #masked: boolean;
  /** Offset where the closing tail starts (where the next entry goes). */
  #end: number;
  #entries = 0;
  /** Entries built into the file's text so far. */
  #written = 0;
  #queued: HttpExchange[] = [];
  #writing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(file: FileHandle, masked: boolean, headerLength: number) {
    this.#file = file;
    this.#masked = masked;
    this.#end = headerLength;
  }

  static async create(path: string, options: HarWriterOptions): Promise<HarWriter> {
    const file = await open(path, 'w', 0o600);
    const log: Log = { version: '1.2', creator: options.creator, ...(options.masked ? { comment: MASKING_NOTE } : {}), entries: [] };
    const head = JSON.stringify({ log }).slice(0, -'[]}}'.length);
    const header = `${head}[\n`;
    await file.write(`${header}${TAIL.slice(1)}`, 0);
    return new HarWriter(file, options.masked, Buffer.byteLength(header));
  }

  get entries(): number {
    return this.#entries;
  }

  /**
   * Queues `ex` for writing; entries are written in the order added. The entry is built later,
   * one exchange per turn of the event loop: the caller (a proxy that has just answered a client)
   * and other clients are not held up by a large body.
   */
  add(ex: HttpExchange): void {
    this.#queued.push(ex);
    this.#entries++;
    this.#writing ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queued.length > 0 && this.#failure === undefined) {
        const batch = this.#queued;
        this.#queued = [];
        let text = '';
        for (const ex of batch) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          const entry = JSON.stringify(harEntryOf(ex, this.#masked));
          text += this.#written++ === 0 ? entry : `,\n${entry}`;
        }
        const bytes = Buffer.from(text + TAIL, 'utf8');
        await this.#file.write(bytes, 0, bytes.length, this.#end);
        this.#end += bytes.length - TAIL.length;
      }
    } catch (error) {
      this.#failure = error;
    } finally {
      this.#writing = undefined;
    }
  }

  /** Writes what is queued and closes the file; rejects with the first write failure. */
  async close(): Promise<void> {
    while (this.#writing) await this.#writing;
    await this.#file.close();
    if (this.#failure !== undefined) throw this.#failure;
  }
}
