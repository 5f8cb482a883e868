// Masks credential values inside free text (a rendered message, a rule error) before anything prints it.
import type { CredentialSighting } from '../model/index.js';
import { maskJwtsIn } from '../model/index.js';

type ReportDataValue = string | number;

/** Values this short are not worth hunting (and would mask ordinary words). */
const MIN_MASKED_LENGTH = 8;

/**
 * `text` with every raw value of `sightings` (and any JWT-shaped run) replaced by its masked
 * form: a short prefix and the length, no prefix at all for Basic and Digest.
 */
export function maskCredentialsIn(text: string, sightings: readonly CredentialSighting[]): string {
  let masked = text;
  for (const sighting of sightings) {
    if (sighting.value.length < MIN_MASKED_LENGTH) continue;
    const raw = sighting.value.reveal();
    if (masked.includes(raw)) masked = masked.split(raw).join(sighting.value.masked(noPrefix(sighting) ? 0 : 6));
  }
  // One linear scan (a regular expression here was quadratic on a long `eyJeyJ…` claim).
  return maskJwtsIn(masked);
}

/** The same for each string in a finding's data. */
export function maskDataIn<T extends Readonly<Record<string, ReportDataValue>>>(data: T, sightings: readonly CredentialSighting[]): T {
  let copy: Record<string, ReportDataValue> | undefined;
  for (const [name, value] of Object.entries(data)) {
    if (typeof value !== 'string') continue;
    const masked = maskCredentialsIn(value, sightings);
    if (masked !== value) (copy ??= { ...data })[name] = masked;
  }
  return (copy as T | undefined) ?? data;
}

function noPrefix(sighting: CredentialSighting): boolean {
  return sighting.scheme === 'basic' || sighting.scheme === 'digest';
}
