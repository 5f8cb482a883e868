// Groups credential sightings by scheme and principal, with bounded memory, for the report's summary.
import type { CredentialGroup, CredentialSighting } from '../model/index.js';

/** Examples kept per group (one per distinct value) and distinct values counted per group. */
const EXAMPLES_KEPT = 3;
const DISTINCT_COUNTED = 10_000;
const GROUPS_KEPT = 1_000;

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
  readonly label: string;
  sightings: number;
  readonly fingerprints: Set<string>;
  readonly examples: CredentialSighting[];
}

/** Counts sightings as they come; `groups()` gives the summary, sorted by scheme and label. */
export class CredentialTally {
  readonly #groups = new Map<string, Group>();

  add(sighting: CredentialSighting): void {
    const label = credentialLabel(sighting);
    const key = `${sighting.schemeName}\u0000${label}`;
    let group = this.#groups.get(key);
    if (!group) {
      if (this.#groups.size >= GROUPS_KEPT) return;
      group = { scheme: sighting.scheme, schemeName: sighting.schemeName, label, sightings: 0, fingerprints: new Set(), examples: [] };
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
      .map((g) => ({ scheme: g.scheme, schemeName: g.schemeName, label: g.label, sightings: g.sightings, distinct: g.fingerprints.size, examples: g.examples }))
      .sort((a, b) => (a.schemeName < b.schemeName ? -1 : a.schemeName > b.schemeName ? 1 : a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
}
