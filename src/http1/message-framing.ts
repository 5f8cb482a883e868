// Message body framing (RFC 9112 §6.3): how long a request's or response's body is, from its head.
import { headerValues, type AnomalyCode, type HttpHeaders } from '../model/index.js';

export type BodyFraming =
  | { readonly type: 'none' }
  | { readonly type: 'length'; readonly length: number }
  | { readonly type: 'chunked' }
  /** Response body runs until the connection closes. */
  | { readonly type: 'close' }
  /** The framing cannot be trusted: the body is unknown and the reader must resynchronise. */
  | { readonly type: 'invalid' };

export interface FramingProblem {
  readonly code: AnomalyCode;
  readonly detail: string;
}

export interface FramingDecision {
  readonly framing: BodyFraming;
  readonly problems: readonly FramingProblem[];
}

/** Bodies claimed larger than this (1 TiB) are taken as a lie rather than waited for. */
export const MAX_CONTENT_LENGTH = 2 ** 40;

const NONE: BodyFraming = { type: 'none' };
const DIGITS = /^[0-9]+$/;

export function requestFraming(headers: HttpHeaders): FramingDecision {
  return framingFromFields(headers, 'invalid');
}

/** `requestMethod` is the method of the request this response answers, when known. */
export function responseFraming(headers: HttpHeaders, status: number, requestMethod?: string): FramingDecision {
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) return { framing: NONE, problems: [] };
  if (requestMethod === 'CONNECT' && status < 300) return { framing: NONE, problems: [] };
  return framingFromFields(headers, 'close');
}

/**
 * Transfer-Encoding wins over Content-Length. A Transfer-Encoding whose last coding is not
 * chunked leaves a response close-delimited and a request unframeable (`notChunked`).
 */
function framingFromFields(headers: HttpHeaders, notChunked: 'invalid' | 'close'): FramingDecision {
  const transferCodings = headerValues(headers, 'transfer-encoding').flatMap((v) => v.split(','));
  const lengths = headerValues(headers, 'content-length');
  const problems: FramingProblem[] = [];
  if (transferCodings.length > 0) {
    if (lengths.length > 0) {
      problems.push({
        code: 'http-te-with-content-length',
        detail: 'both Transfer-Encoding and Content-Length: Content-Length ignored',
      });
    }
    const last = transferCodings[transferCodings.length - 1]!.trim().toLowerCase();
    if (last === 'chunked') return { framing: { type: 'chunked' }, problems };
    if (notChunked === 'invalid') {
      problems.push({ code: 'http-bad-transfer-encoding', detail: 'request Transfer-Encoding does not end in chunked' });
    }
    return { framing: { type: notChunked }, problems };
  }
  if (lengths.length === 0) return { framing: notChunked === 'close' ? { type: 'close' } : NONE, problems };
  const length = contentLength(lengths, problems);
  return { framing: length === undefined ? { type: 'invalid' } : { type: 'length', length }, problems };
}

/** The one length all Content-Length values agree on (a list of equal values is allowed). */
function contentLength(values: readonly string[], problems: FramingProblem[]): number | undefined {
  let agreed: number | undefined;
  const single = values.length === 1 && !values[0]!.includes(',');
  for (const value of single ? values : values.flatMap((v) => v.split(','))) {
    const text = value.trim();
    if (!DIGITS.test(text) || Number(text) > MAX_CONTENT_LENGTH) {
      const shown = DIGITS.test(text) && text.length <= 32 ? ` ${text}` : '';
      problems.push({ code: 'http-bad-content-length', detail: `unusable Content-Length${shown}` });
      return undefined;
    }
    const length = Number(text);
    if (agreed !== undefined && agreed !== length) {
      problems.push({ code: 'http-conflicting-content-length', detail: `Content-Length values ${agreed} and ${length} disagree` });
      return undefined;
    }
    agreed = length;
  }
  return agreed;
}
