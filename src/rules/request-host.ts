// The host a request was sent to, normalised for comparison: lower-case, no port, no trailing dot.
import { exchangeHost, type HttpExchange } from '../model/index.js';

export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.indexOf(':');
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

export function requestHost(exchange: HttpExchange): string {
  return normaliseHost(exchangeHost(exchange));
}
