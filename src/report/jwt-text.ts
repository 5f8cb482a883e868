// A decoded JWT as text for people: header, claims, thumbprints, validity, the nested actor token.
import type { DecodedJwt } from '../model/index.js';
import { timestampToIso } from '../model/index.js';

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

/** `valid for 59m 12s more`, `expired 3m ago`, `not valid for another 10s`, judged at `atSeconds`. */
export function validityState(jwt: Pick<DecodedJwt, 'nbf' | 'exp'>, atSeconds: number): string {
  if (jwt.exp !== undefined && jwt.exp <= atSeconds) return `expired ${humanDuration(atSeconds - jwt.exp)} before capture time`;
  if (jwt.nbf !== undefined && jwt.nbf > atSeconds) return `not yet valid: starts ${humanDuration(jwt.nbf - atSeconds)} after capture time`;
  if (jwt.exp !== undefined) return `valid at capture time, for ${humanDuration(jwt.exp - atSeconds)} more`;
  return 'valid at capture time (no expiry)';
}

function jsonLines(label: string, value: unknown, indent: string): string[] {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  return [`${indent}${label}:`, ...text.split('\n').map((line) => `${indent}  ${line}`)];
}

export function jwtLines(jwt: DecodedJwt, atSeconds: number, indent: string): string[] {
  const lines = [...jsonLines('JOSE header', jwt.header, indent), ...jsonLines('claims', jwt.claims, indent)];
  lines.push(`${indent}signature: ${jwt.unsigned ? 'none (unsigned token)' : 'present (not shown)'}`);
  if (jwt.x5tThumbprint) lines.push(`${indent}x5t thumbprint: ${jwt.x5tThumbprint}`);
  if (jwt.kidThumbprint && jwt.kidThumbprint !== jwt.x5tThumbprint) lines.push(`${indent}kid thumbprint: ${jwt.kidThumbprint}`);
  if (jwt.nbf !== undefined || jwt.exp !== undefined || jwt.iat !== undefined) {
    const at = (value: number | undefined): string => (value === undefined ? '-' : isoOf(value));
    lines.push(`${indent}validity: nbf ${at(jwt.nbf)}  exp ${at(jwt.exp)}  iat ${at(jwt.iat)}`);
    lines.push(`${indent}  ${validityState(jwt, atSeconds)} (${isoOf(atSeconds)})`);
  }
  for (const note of jwt.notes ?? []) lines.push(`${indent}note: ${note}`);
  if (jwt.actor) lines.push(`${indent}actor token (actortoken claim):`, ...jwtLines(jwt.actor, atSeconds, `${indent}  `));
  if (jwt.actorError) lines.push(`${indent}actor token: does not decode (${jwt.actorError})`);
  return lines;
}

