// Rule token-unknown-signer: certificates are configured and none matches the token's x5t/kid.
import { defineRule } from '../define-rule.js';

export const tokenUnknownSigner = defineRule({
  id: 'token-unknown-signer',
  severity: 'warning',
  scope: 'sighting',
  title: 'Token signed by a certificate that is not configured',
  description:
    'Certificates or metadata documents are configured, and none of them has the thumbprint the token names in x5t/kid. Either the configuration lacks the signer\'s current certificate (after a rollover, say), or the token comes from an unexpected signer.',
  messages: {
    unknown: '{{role}} token names signing key {{keyIds}}, which none of the {{count}} configured certificates matches',
  },
  docs: 'docs/rules/token-unknown-signer.md',
  check(sighting, ctx) {
    const result = ctx.signatures.get(sighting.id);
    if (result?.status !== 'unknown-signer') return [];
    return [
      {
        messageId: 'unknown',
        data: { role: result.token, keyIds: result.keyIds, count: ctx.config.trustStore.certificates.length },
      },
    ];
  },
});
