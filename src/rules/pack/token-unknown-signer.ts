// Rule token-unknown-signer: certificates are configured and none matches the token's x5t/kid.
import { defineRule } from '../define-rule.js';
import { verifiedTokenLabel } from '../s2s/tokens.js';

export const tokenUnknownSigner = defineRule({
  id: 'token-unknown-signer',
  severity: 'warning',
  scope: 'sighting',
  subject: 'token',
  title: 'Token signed by a certificate that is not configured',
  description:
    'Certificates or metadata documents are configured, and none of them has the thumbprint the token names in x5t/kid. Either the configuration lacks the signer\'s current certificate (after a rollover, say), or the token comes from an unexpected signer.',
  messages: {
    unknown: '{{token}} names signing key {{keyIds}}, which {{noMatch}}',
    unknownIssued:
      '{{token}} names signing key {{keyIds}}, which {{noMatch}}: its signature was not checked',
  },
  messageSeverity: { unknownIssued: 'note' },
  serverEvidence: { accepted: 'note' },
  docs: 'docs/rules/token-unknown-signer.md',
  check(sighting, ctx) {
    const result = ctx.signatures.get(sighting.id);
    if (result?.status !== 'unknown-signer') return [];
    return [
      {
        messageId: sighting.direction === 'response' ? 'unknownIssued' : 'unknown',
        data: { token: verifiedTokenLabel(sighting, result.token), keyIds: result.keyIds, noMatch: noMatch(ctx.trustStore.certificates.length) },
      },
    ];
  },
});

/** `the configured certificate does not match`, `none of the 2 configured certificates matches`. */
function noMatch(count: number): string {
  return count === 1 ? 'the configured certificate does not match' : `none of the ${count} configured certificates matches`;
}
