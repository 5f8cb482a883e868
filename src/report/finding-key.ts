// The stable key of a finding across runs: SARIF's partialFingerprints and the baseline's fingerprint.
import { createHash } from 'node:crypto';
import type { Finding } from '../model/index.js';
import { stableExchangeIdOf, findingPlace, wiresharkWhere } from './scan-view.js';

export interface FindingKey {
  /** `credentialFindingHash/v1` when the finding is about a credential, else `findingLocationHash/v1`. */
  readonly name: 'credentialFindingHash/v1' | 'findingLocationHash/v1';
  /** Hex SHA-256. */
  readonly hash: string;
}

/**
 * What makes a finding the same finding in the next run: rule, message, capture, exchange and
 * frame, where the credential travelled, plus the credential's plain sha256 fingerprint when the
 * finding is about a token (a password's keyed fingerprint would make the key machine-bound);
 * hashed, so no value shows. Never the bare
 * credential fingerprint: one token sent five times is five findings, not one.
 */
export function findingKey(finding: Finding): FindingKey {
  const place = findingPlace(finding);
  const sighting = finding.sighting;
  const where = [
    finding.ruleId,
    finding.messageId,
    place.file,
    stableExchangeIdOf(finding) ?? wiresharkWhere(place),
    String(place.frame ?? 0),
    sighting ? `${sighting.direction ?? 'request'} ${JSON.stringify(sighting.location)}` : '',
  ];
  // A keyed fingerprint (hmac-sha256:, passwords) differs from machine to machine unless
  // $OAUTH_INSPECT_FINGERPRINT_KEY is shared: the place alone tells such findings apart.
  if (finding.fingerprint !== undefined) return { name: 'credentialFindingHash/v1', hash: sha256Hex([...where, finding.fingerprint.startsWith('sha256:') ? finding.fingerprint : 'keyed']) };
  return { name: 'findingLocationHash/v1', hash: sha256Hex(where) };
}

function sha256Hex(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
}
