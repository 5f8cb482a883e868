// Describes a credential for messages: what it is (`Bearer token`, `client assertion`) and where it travelled.
import type { CredentialLocation, CredentialSighting } from '../../model/index.js';
import { jwtPurposeOf } from './tokens.js';

/** Where in its message a credential travelled: `Authorization header`, `query parameter access_token`. */
export function describeLocation(location: CredentialLocation): string {
  switch (location.type) {
    case 'header':
      return `${location.name} header`;
    case 'query':
      return `query parameter ${location.name}`;
    case 'form':
      return `form field ${location.name}`;
    case 'json':
      return `JSON field ${location.name}`;
    case 'cookie':
      return `cookie ${location.name}`;
  }
}

/** The scheme as one spelling: Bearer, Basic, NTLM, Negotiate, Digest. */
const SCHEME_NAMES: Readonly<Record<CredentialSighting['scheme'], string>> = {
  bearer: 'Bearer',
  basic: 'Basic',
  ntlm: 'NTLM',
  negotiate: 'Negotiate',
  digest: 'Digest',
  other: '',
};

/** What the credential is, for messages: `Bearer token`, `client assertion`, `Basic credentials`, `client secret`. */
export function describeCredential(sighting: CredentialSighting): string {
  if (sighting.scheme === 'bearer') return jwtPurposeOf(sighting) === 'client-assertion' ? 'client assertion' : 'Bearer token';
  if (sighting.scheme === 'basic' || sighting.scheme === 'digest') return `${SCHEME_NAMES[sighting.scheme]} credentials`;
  if (sighting.scheme === 'ntlm' || sighting.scheme === 'negotiate') return `${SCHEME_NAMES[sighting.scheme]} message`;
  if (sighting.decoded.type === 'opaque' && sighting.decoded.hint) return sighting.decoded.hint.replace(/-/g, ' ');
  return sighting.schemeName ? `${sighting.schemeName} credential` : 'credential';
}
