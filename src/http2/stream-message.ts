// One HTTP/2 message as it arrives on a stream (header block, DATA, trailers), and the HttpRequest / HttpResponse it becomes.
import type { AnomalyCode, HttpBody, HttpHeaders, HttpRequest, HttpResponse } from '../model/index.js';
import { headersFromPseudoHeaders, headerValue, headerValues } from '../model/index.js';
import { BodyCollector, EMPTY_BODY } from '../http1/body-collector.js';
import type { HeaderField } from './hpack-decoder.js';
import type { FrameWhere } from './frame-reader.js';

export const HTTP2_VERSION = 'HTTP/2';

/** A problem found while turning a message into the model, for the connection to report. */
export interface MessageProblem {
  readonly code: AnomalyCode;
  readonly detail: string;
}

export class StreamMessage {
  #body: BodyCollector | undefined;
  trailers: HttpHeaders | undefined;
  ended = false;

  /** `fields`: the decoded header block, pseudo-headers included; `where`: where the block completed. */
  constructor(
    readonly fields: readonly HeaderField[],
    readonly where: FrameWhere,
    private readonly maxBodyBytes: number,
  ) {}

  append(bytes: Buffer): void {
    this.#collector().append(bytes, 0, bytes.length);
  }

  skip(missing: number): void {
    this.#collector().skip(missing);
  }

  #collector(): BodyCollector {
    if (this.#body === undefined) {
      const length = Number(headerValue(this.fields, 'content-length'));
      this.#body = new BodyCollector(this.maxBodyBytes, Number.isSafeInteger(length) && length >= 0 ? length : undefined);
    }
    return this.#body;
  }

  /** The body with Content-Encoding undone; a decoding failure is a problem. */
  finishBody(problems: MessageProblem[], kind: 'request' | 'response'): HttpBody {
    if (this.#body === undefined) return EMPTY_BODY;
    const encoding = headerValues(this.fields, 'content-encoding');
    const finished = this.#body.finish(encoding.length > 0 ? encoding.join(', ') : undefined);
    if (finished.decodingError !== undefined) problems.push({ code: 'http-content-decoding', detail: `${kind} body: ${finished.decodingError}` });
    return finished.body;
  }

  #place(): Pick<HttpRequest, 'frame' | 'firstFrame' | 'time' | 'incomplete' | 'trailers'> {
    return {
      frame: this.where.frame,
      firstFrame: this.where.firstFrame,
      time: this.where.time,
      ...(this.trailers !== undefined ? { trailers: this.trailers } : {}),
      ...(!this.ended ? { incomplete: true } : {}),
    };
  }

  /** The request: `:method`, `:path` (`:authority` for CONNECT), and the fields with `:authority` as `host`. */
  toRequest(problems: MessageProblem[]): HttpRequest {
    const method = pseudo(this.fields, ':method');
    const path = pseudo(this.fields, ':path');
    const authority = pseudo(this.fields, ':authority');
    if (method === undefined || (path === undefined && method !== 'CONNECT')) {
      problems.push({ code: 'http2-malformed-headers', detail: `request without ${method === undefined ? ':method' : ':path'}` });
    }
    return {
      method: method ?? '',
      uri: method === 'CONNECT' ? (authority ?? '') : (path ?? ''),
      version: HTTP2_VERSION,
      headers: headersFromPseudoHeaders(this.fields),
      body: this.finishBody(problems, 'request'),
      ...this.#place(),
    };
  }

  /** The final response, with the 1xx responses that came before it. */
  toResponse(problems: MessageProblem[], interim: HttpResponse['interim']): HttpResponse {
    return {
      status: statusOf(this.fields, problems),
      reason: '',
      version: HTTP2_VERSION,
      headers: headersFromPseudoHeaders(this.fields),
      body: this.finishBody(problems, 'response'),
      interim,
      ...this.#place(),
    };
  }

  /** `:scheme` when it is http or https. */
  get scheme(): 'http' | 'https' | undefined {
    const scheme = pseudo(this.fields, ':scheme');
    return scheme === 'http' || scheme === 'https' ? scheme : undefined;
  }
}

/** The status of a response header block; 0 (with a problem) when it has no usable `:status`. */
export function statusOf(fields: readonly HeaderField[], problems: MessageProblem[]): number {
  const text = pseudo(fields, ':status');
  const status = text !== undefined && /^[1-9][0-9]{2}$/.test(text) ? Number(text) : 0;
  if (status === 0) problems.push({ code: 'http2-malformed-headers', detail: text === undefined ? 'response without :status' : 'response with an unusable :status' });
  return status;
}

function pseudo(fields: readonly HeaderField[], name: string): string | undefined {
  for (const [fieldName, value] of fields) {
    if (fieldName === name) return value;
    if (!fieldName.startsWith(':')) return undefined;
  }
  return undefined;
}
