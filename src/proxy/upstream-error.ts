// Why a request to the upstream server failed, in words for the client's 502 and the log.

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** One short phrase: `connection refused`, `TLS failure: …`, `connection reset`. */
export function describeUpstreamError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (code === 'ECONNRESET' && message === 'socket hang up') return 'closed the connection without a response';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return `TLS failure: ${message} (${code}; --insecure-upstream skips certificate verification)`;
  }
  return code ? `${message} (${code})` : String(message ?? error);
}
