// Text fields that HAR entries and Fiddler sessions share: absolute URLs, IP addresses, ISO 8601 times.
import type { Timestamp } from '../model/index.js';

export interface SplitUrl {
  readonly scheme: 'http' | 'https';
  /** host[:port] without userinfo, as in the URL. */
  readonly authority: string;
  readonly port: number;
  /** Origin-form request target: path and query, fragment dropped. */
  readonly target: string;
}

const URL_PARTS = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

/** Splits an absolute http(s)/ws(s) URL without normalising it (the HAR's text is the wire's). */
export function splitUrl(raw: string): SplitUrl | undefined {
  const parts = URL_PARTS.exec(raw);
  if (!parts) return undefined;
  const scheme = (parts[1] ?? '').toLowerCase();
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort === undefined) return undefined;
  const authorityWithUser = parts[2] ?? '';
  const authority = authorityWithUser.slice(authorityWithUser.lastIndexOf('@') + 1);
  if (authority === '') return undefined;
  const portMatch = /:(\d+)$/.exec(authority);
  const port = portMatch && !authority.endsWith(']') ? Number(portMatch[1]) : defaultPort;
  const rest = parts[3] ?? '';
  const target = rest.startsWith('/') ? rest : `/${rest}`;
  return { scheme: scheme === 'https' || scheme === 'wss' ? 'https' : 'http', authority, port, target };
}

/** Textual IP without brackets; IPv6 compressed as RFC 5952 (what Wireshark prints). */
export function ipText(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const ip = raw.trim().replace(/^\[(.*)\]$/, '$1');
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO 8601 text (HAR's startedDateTime, Fiddler's timers) to a Timestamp, keeping sub-millisecond digits; no zone means UTC. */
export function parseIsoTime(raw: unknown): Timestamp | undefined {
  if (typeof raw !== 'string') return undefined;
  const parts = ISO_DATE.exec(raw.trim());
  if (!parts) return undefined;
  let zone = parts[3] ?? 'Z';
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  const wholeSecondsMs = Date.parse(`${parts[1]}${zone}`);
  if (Number.isNaN(wholeSecondsMs)) return undefined;
  const nsec = Number((parts[2] ?? '').slice(0, 9).padEnd(9, '0'));
  return { sec: Math.floor(wholeSecondsMs / 1000), nsec };
}
