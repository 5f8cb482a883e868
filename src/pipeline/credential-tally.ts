// Groups credential sightings by scheme and principal, with bounded memory, for the report's summary.
import type { CredentialGroup, CredentialScheme, CredentialSighting } from '../model/index.js';

/** Examples kept per group (one per distinct value) and distinct values counted per group. */
const EXAMPLES_KEPT = 3;
const DISTINCT_COUNTED = 10_000;
const GROUPS_KEPT = 1_000;

/** The scheme words as printed: one spelling whatever case was sent. */
const SCHEME_SPELLING: Readonly<Record<Exclude<CredentialScheme, 'other'>, string>> = {
  bearer: 'Bearer',
  basic: 'Basic',
  ntlm: 'NTLM',
  negotiate: 'Negotiate',
  digest: 'Digest',
};

/**
 * The scheme column: `Bearer` for every bearer token (header, form, JSON, cookie or query), the
 * known schemes in one spelling, an unknown scheme word as sent, and for a secret field (a
 * client_secret, a password) the field's name; `(no scheme)` for a bare Authorization value.
 */
export function schemeLabel(sighting: Pick<CredentialSighting, 'scheme' | 'schemeName' | 'location'>): string {
  if (sighting.scheme !== 'other') return SCHEME_SPELLING[sighting.scheme];
  if (sighting.location.type !== 'header') return sighting.location.name;
  return sighting.schemeName || '(no scheme)';
}

/** An Authorization header with a scheme and nothing after it: the discovery step, not a credential. */
export function isProbe(sighting: Pick<CredentialSighting, 'decoded'>): boolean {
  return sighting.decoded.type === 'empty';
}

/** Whom a credential speaks for: a JWT's issuer, a Basic or NTLM user, else what it decoded to. */
export function credentialLabel(sighting: CredentialSighting): string {
  const decoded = sighting.decoded;
  switch (decoded.type) {
    case 'jwt': {
      const issuer = decoded.jwt.claims['iss'];
      return typeof issuer === 'string' ? issuer : '(no issuer)';
    }
    case 'basic':
      return `user ${decoded.user}`;
    case 'ntlm': {
      const { messageType, domain, user } = decoded.ntlm;
      if (messageType !== 3) return `NTLM type ${messageType}`;
      return domain ? `${domain}\\${user ?? ''}` : (user ?? '(anonymous)');
    }
    case 'digest':
      return `user ${decoded.params['username'] ?? '?'}`;
    default:
      return decoded.type;
  }
}

interface Group {
  readonly scheme: CredentialSighting['scheme'];
  readonly schemeName: string;
  readonly probe: boolean;
  readonly label: string;
  sightings: number;
  readonly fingerprints: Set<string>;
  readonly examples: CredentialSighting[];
}

/** Counts sightings as they come; `groups()` gives the summary, sorted by scheme and label. */
export class CredentialTally {
  readonly #groups = new Map<string, Group>();

  add(sighting: CredentialSighting): void {
    const probe = isProbe(sighting);
    const schemeName = schemeLabel(sighting);
    const label = probe ? probeHeader(sighting) : credentialLabel(sighting);
    const key = `${probe ? 'probe' : ''}\u0000${schemeName}\u0000${label}`;
    let group = this.#groups.get(key);
    if (!group) {
      if (this.#groups.size >= GROUPS_KEPT) return;
      group = { scheme: sighting.scheme, schemeName, probe, label, sightings: 0, fingerprints: new Set(), examples: [] };
      this.#groups.set(key, group);
    }
    group.sightings++;
    const fingerprint = sighting.value.fingerprint;
    if (group.fingerprints.has(fingerprint) || group.fingerprints.size >= DISTINCT_COUNTED) return;
    group.fingerprints.add(fingerprint);
    if (group.examples.length < EXAMPLES_KEPT) group.examples.push(sighting);
  }

  groups(): CredentialGroup[] {
    return [...this.#groups.values()]
      .map((g) => ({
        scheme: g.scheme,
        schemeName: g.schemeName,
        ...(g.probe ? { probe: true } : {}),
        label: g.label,
        sightings: g.sightings,
        distinct: g.fingerprints.size,
        examples: g.examples,
      }))
      .sort((a, b) => (a.schemeName < b.schemeName ? -1 : a.schemeName > b.schemeName ? 1 : a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
}

/** `Authorization` or `Proxy-Authorization`, whatever case it was sent in. */
function probeHeader(sighting: CredentialSighting): string {
  const name = sighting.location.type === 'header' ? sighting.location.name.toLowerCase() : '';
  return name === 'proxy-authorization' ? 'Proxy-Authorization' : 'Authorization';
}
