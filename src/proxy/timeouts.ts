// The proxy's timeouts and their defaults, apart from the server so that `--help` can show them without loading it.

export interface ProxyTimeouts {
  /** Connecting to the server (TCP, and the TLS handshake for https): the client gets a 502 after it. */
  readonly connectMs: number;
  /** Silence from the connected server (no byte either way) before and during its response: a 504, or a cut response. */
  readonly upstreamMs: number;
  /** A client connection with no request in flight and no byte either way (idle keep-alive, CONNECT tunnels) is closed. */
  readonly idleMs: number;
}

export const DEFAULT_TIMEOUTS: ProxyTimeouts = { connectMs: 10_000, upstreamMs: 60_000, idleMs: 60_000 };
