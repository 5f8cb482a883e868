// Which headers the proxy passes on: everything but hop-by-hop fields, names and casing kept in order; Host set when asked.

/** RFC 9110 §7.6.1 connection-specific fields, plus the proxy's own (Proxy-*), and Expect (answered here). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

export interface ForwardRules {
  /** Keep Connection and Upgrade (a WebSocket handshake). */
  readonly upgrade?: boolean;
  /** Keep Transfer-Encoding (request bodies: Node re-chunks what it is given). */
  readonly transferEncoding?: boolean;
  /**
   * The Host to send instead of the client's (RFC 9112 §3.2.2: a proxy given an absolute-form
   * target replaces Host with the target's authority): one field, where the client's first was.
   */
  readonly host?: string;
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
  let hostPlaced = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (rules.host !== undefined && lower === 'host') {
      if (!hostPlaced) out.push(name, rules.host);
      hostPlaced = true;
      continue;
    }
    const keep =
      (rules.upgrade === true && (lower === 'connection' || lower === 'upgrade')) ||
      (rules.transferEncoding === true && lower === 'transfer-encoding') ||
      (!HOP_BY_HOP.has(lower) && !(listed?.has(lower) ?? false));
    if (keep) out.push(name, raw[i + 1]!);
  }
  if (rules.host !== undefined && !hostPlaced) out.unshift('Host', rules.host);
  return out;
}
