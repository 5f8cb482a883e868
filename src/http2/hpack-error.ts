// HpackError: a header block that does not decode (RFC 7541 "decoding error"); the connection's decoder state is then unknown.

export class HpackError extends Error {
  override readonly name = 'HpackError';
}
