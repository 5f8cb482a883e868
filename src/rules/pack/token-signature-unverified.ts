// Rule token-signature-unverified: a signed token whose signature could not be checked (no certificate given, or masked).
import { defineRule } from '../define-rule.js';
import { jwtOf, jwtPurposeOf, signedTokenOf } from '../s2s/tokens.js';

export const tokenSignatureUnverified = defineRule({
  id: 'token-signature-unverified',
  severity: 'warning',
  scope: 'sighting',
  subject: 'token',
  title: 'Token signature not verified',
  description:
    'Without the signer\'s certificate (--cert OAuthCert.cer, certificates in the configuration) or its metadata document (--metadata), nothing says whether a token\'s signature is good: a forged token and a real one look the same. A signature masked in a recording (a HAR that oauth-inspect recorded with masking) cannot be checked either. Each such token is said, never passed over in silence.',
  messages: {
    noCertificate: 'signature of the {{token}} was not verified: no certificate or metadata document was given',
    masked: 'signature of the {{token}} is not checkable: it was masked in the recording',
    issuedNoCertificate: 'signature of the {{token}} was not verified: no certificate or metadata document of the token service was given',
  },
  messageSeverity: { issuedNoCertificate: 'note' },
  docs: 'docs/rules/token-signature-unverified.md',
  check(sighting, ctx) {
    const jwt = jwtOf(sighting);
    const signed = jwt ? signedTokenOf(jwt, jwtPurposeOf(sighting)) : undefined;
    if (!signed) return [];
    if (signed.jwt.signatureMasked) return [{ messageId: 'masked', data: { token: signed.label } }];
    if (ctx.trustStore.certificates.length > 0) return [];
    // A token a token service hands out is checked against that service's keys, which few admins hold: said, as a note.
    return [{ messageId: sighting.direction === 'response' ? 'issuedNoCertificate' : 'noCertificate', data: { token: signed.label } }];
  },
});
