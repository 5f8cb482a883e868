// JWT-shaped runs anywhere in a text (a URL, a message built from claims), found in one linear scan and masked.
import { Secret } from './secret.js';

/** Shortest header segment taken for a JWT's (`eyJ` and a few characters of `{"alg"…`). */
const MIN_JWT_HEADER_CHARS = 8;

/**
 * `text` with every JWT-shaped run (an `eyJ…` segment, a dot and a non-empty segment, and a
 * third segment when there is one) replaced by its masked form. One scan: linear whatever the
 * text, so it may run on anything from the wire.
 */
export function maskJwtsIn(text: string): string {
  let out = '';
  let copied = 0;
  for (let start = text.indexOf('eyJ'); start !== -1; ) {
    let end = base64UrlRunEnd(text, start);
    const headerEnd = end;
    let segments = 1;
    while (segments < 3 && text.charCodeAt(end) === 0x2e /* . */) {
      const segmentEnd = base64UrlRunEnd(text, end + 1);
      if (segmentEnd === end + 1 && segments === 1) break;
      end = segmentEnd;
      segments++;
    }
    if (segments >= 2 && headerEnd - start >= MIN_JWT_HEADER_CHARS) {
      out += text.slice(copied, start) + new Secret(text.slice(start, end)).masked();
      copied = end;
    }
    start = text.indexOf('eyJ', Math.max(end, start + 3));
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Index after the run of base64url characters starting at `from`. */
function base64UrlRunEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && isBase64UrlChar(text.charCodeAt(at))) at++;
  return at;
}

function isBase64UrlChar(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x5f;
}
