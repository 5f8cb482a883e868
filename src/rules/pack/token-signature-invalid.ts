// Rule token-signature-invalid: a configured certificate matches the token's key id, but the signature fails.
import { defineRule } from '../define-rule.js';
import { verifiedTokenLabel } from '../s2s/tokens.js';

export const tokenSignatureInvalid = defineRule({
  id: 'token-signature-invalid',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Token signature does not verify',
  description:
    'Certificates or metadata documents are configured, one of them matches the token\'s x5t/kid, and the signature does not verify with its key: the token was altered, or signed by a different key that reuses the thumbprint.',
  messages: {
    invalid: 'signature of the {{token}} does not verify with certificate {{thumbprint}} ({{subject}}): {{reason}}',
  },
  docs: 'docs/rules/token-signature-invalid.md',
  check(sighting, ctx) {
    const result = ctx.signatures.get(sighting.id);
    if (result?.status !== 'invalid') return [];
    return [
      {
        messageId: 'invalid',
        data: { token: verifiedTokenLabel(sighting, result.token), thumbprint: result.signer.thumbprint, subject: result.signer.subject, reason: result.reason },
      },
    ];
  },
});
