// Which headers the proxy passes on: everything but hop-by-hop fields, names and casing kept in order.

/** RFC 9110 §7.6.1 connection-specific fields, plus the proxy's own (Proxy-*), and Expect (answered here). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

export interface ForwardRules {
  /** Keep Connection and Upgrade (a WebSocket handshake). */
  readonly upgrade?: boolean;
  /** Keep Transfer-Encoding (request bodies: Node re-chunks what it is given). */
  readonly transferEncoding?: boolean;
}

/** rawHeaders (flat name, value, …) without hop-by-hop fields, as a flat list again. */
export function forwardHeaders(raw: readonly string[], rules: ForwardRules = {}): string[] {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') {
      listed ??= new Set();
      for (const token of raw[i + 1]!.split(',')) listed.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    const keep =
      (rules.upgrade === true && (lower === 'connection' || lower === 'upgrade')) ||
      (rules.transferEncoding === true && lower === 'transfer-encoding') ||
      (!HOP_BY_HOP.has(lower) && !(listed?.has(lower) ?? false));
    if (keep) out.push(name, raw[i + 1]!);
  }
  return out;
}
