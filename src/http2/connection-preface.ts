// The HTTP/2 client connection preface (RFC 9113 §3.4) and how to recognise it, also in pieces.

export const CONNECTION_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** 'yes' when `bytes` start with the preface, 'maybe' while they are a proper prefix of it, else 'no'. */
export function matchesPreface(bytes: Buffer): 'yes' | 'maybe' | 'no' {
  const length = Math.min(bytes.length, CONNECTION_PREFACE.length);
  if (bytes.compare(CONNECTION_PREFACE, 0, length, 0, length) !== 0) return 'no';
  return length === CONNECTION_PREFACE.length ? 'yes' : 'maybe';
}
