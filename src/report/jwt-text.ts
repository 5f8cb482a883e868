// A decoded JWT as text for people: header, claims, thumbprints, validity, the nested actor token.
import type { DecodedJwt, PartialJwt } from '../model/index.js';
import { formatDuration, timestampToIso } from '../model/index.js';

/** `2h 3m`, `45s`: a duration for people. */
export function humanDuration(seconds: number): string {
  if (Math.abs(seconds) < 1) return `${Math.round(Math.abs(seconds) * 1000)}ms`;
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const isoOf = (seconds: number): string => timestampToIso({ sec: Math.floor(seconds), nsec: 0 }).replace('.000000', '');

/**
 * The clock a token's validity is judged against: `capture time` (a scan), `now` (the decode
 * command), or a time the user gave, as text.
 */
export type ValidityClock = string;

/** How the validity sentence names its clock: `ago`/`from now` for now, `before <clock>` otherwise. */
function clockWords(clock: ValidityClock): { before: string; after: string; at: string } {
  return clock === 'now'
    ? { before: 'ago', after: 'from now', at: 'now' }
    : { before: `before ${clock}`, after: `after ${clock}`, at: `at ${clock}` };
}

/** `valid at capture time, for 59m 12s more`, `expired 3m ago`, `not yet valid: …`, judged at `atSeconds` on `clock`. */
export function validityState(jwt: Pick<DecodedJwt, 'nbf' | 'exp'>, atSeconds: number, clock: ValidityClock = 'capture time'): string {
  const words = clockWords(clock);
  if (jwt.exp !== undefined && jwt.exp <= atSeconds) return `expired ${formatDuration(atSeconds - jwt.exp)} ${words.before}`;
  if (jwt.nbf !== undefined && jwt.nbf > atSeconds) return `not yet valid: starts ${formatDuration(jwt.nbf - atSeconds)} ${words.after}`;
  if (jwt.exp !== undefined) return `valid ${words.at}, for ${formatDuration(jwt.exp - atSeconds)} more`;
  return `valid ${words.at} (no expiry)`;
}

export interface JwtTextOptions {
  /** The clock validity is judged on (default `capture time`); `now` or a given time for `decode`. */
  readonly clock?: ValidityClock;
  /** The signature line's text for the token and for its actor token (default: present/none). */
  readonly signature?: { readonly token?: string; readonly actor?: string };
}

function jsonLines(label: string, value: unknown, indent: string): string[] {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  return [`${indent}${label}:`, ...text.split('\n').map((line) => `${indent}  ${line}`)];
}

export function jwtLines(jwt: DecodedJwt, atSeconds: number, indent: string, options: JwtTextOptions = {}): string[] {
  const clock = options.clock ?? 'capture time';
  const lines = [...jsonLines('JOSE header', jwt.header, indent), ...jsonLines('claims', jwt.claims, indent)];
  lines.push(`${indent}signature: ${options.signature?.token ?? (jwt.unsigned ? 'none (unsigned token)' : 'present (not shown)')}`);
  if (jwt.x5tThumbprint) lines.push(`${indent}x5t thumbprint: ${jwt.x5tThumbprint}`);
  if (jwt.kidThumbprint && jwt.kidThumbprint !== jwt.x5tThumbprint) lines.push(`${indent}kid thumbprint: ${jwt.kidThumbprint}`);
  if (jwt.nbf !== undefined || jwt.exp !== undefined || jwt.iat !== undefined) {
    const at = (value: number | undefined): string => (value === undefined ? '-' : isoOf(value));
    lines.push(`${indent}validity: nbf ${at(jwt.nbf)}  exp ${at(jwt.exp)}  iat ${at(jwt.iat)}`);
    // A given time is its own label; `now` and `capture time` get the instant after them.
    const instant = clock === 'now' || clock === 'capture time' ? ` (${isoOf(atSeconds)})` : '';
    lines.push(`${indent}  ${validityState(jwt, atSeconds, clock)}${instant}`);
  }
  for (const note of jwt.notes ?? []) lines.push(`${indent}note: ${note}`);
  if (jwt.actor) {
    const actorOptions = { clock, ...(options.signature?.actor !== undefined && { signature: { token: options.signature.actor } }) };
    lines.push(`${indent}actor token (actortoken claim):`, ...jwtLines(jwt.actor, atSeconds, `${indent}  `, actorOptions));
  }
  if (jwt.actorError) lines.push(`${indent}actor token: does not decode (${jwt.actorError})`);
  return lines;
}


/**
 * A JWT that does not decode as a whole, as jwt.ms shows it: the error, then the header and claims
 * that did decode, and `does not decode` for a segment that did not.
 */
export function partialJwtLines(error: string, partial: PartialJwt | undefined, indent: string): string[] {
  const lines = [`${indent}malformed JWT: ${error}`];
  if (partial === undefined) return lines;
  const segment = (label: string, value: Readonly<Record<string, unknown>> | undefined): string[] =>
    value !== undefined ? jsonLines(label, value, indent) : [`${indent}${label}: does not decode`];
  lines.push(...segment('JOSE header', partial.header), ...segment('claims', partial.claims));
  const signature =
    partial.failed === 'signature' && partial.signature === 'present'
      ? 'does not decode'
      : { present: 'present (not checked: the token does not decode)', empty: 'none (unsigned token)', missing: 'missing (no third segment)' }[partial.signature];
  lines.push(`${indent}signature: ${signature}`);
  return lines;
}
