// Rule ms-diagnostics: explains each x-ms-diagnostics code a server sent, with the usual fix.
import type { MsDiagnostic } from '../../model/index.js';
import { defineRule } from '../define-rule.js';

type MessageId = 'invalidSignature' | 'invalidResource' | 'invalidTenant' | 'invalidUser' | 'unknown';

const messageIdByCode: Readonly<Record<string, MessageId>> = {
  '2000000': 'invalidSignature',
  '2000003': 'invalidResource',
  '2000004': 'invalidTenant',
  '2000005': 'invalidUser',
};

export const msDiagnostics = defineRule({
  id: 'ms-diagnostics',
  severity: 'warning',
  scope: 'exchange',
  title: 'Server explained a rejection in x-ms-diagnostics',
  description:
    'Exchange says why it rejected a token in the x-ms-diagnostics response header (<code>;reason="…";error_category="…"). Each code is reported with what it means and the usual fix (reference §6).',
  messages: {
    invalidSignature:
      '{{host}} rejected the token signature (x-ms-diagnostics {{code}} invalid_signature: "{{reason}}"). Refresh the auth server metadata (Set-AuthServer -RefreshAuthMetadata) and check that the signing certificate is uploaded to the service principal.',
    invalidResource:
      '{{host}} rejected the token audience (x-ms-diagnostics {{code}} invalid_resource: "{{reason}}"). Request the token for <principal>/<host>@<realm> with the host clients use; SSL offloading or a device that rewrites scheme or host breaks it.',
    invalidTenant:
      '{{host}} does not know the token realm (x-ms-diagnostics {{code}} invalid_tenant: "{{reason}}"). In hybrid the realm must be the tenant ID (GUID), not a domain; remove wildcard accepted domains.',
    invalidUser:
      '{{host}} could not resolve the user in the token (x-ms-diagnostics {{code}} invalid_user: "{{reason}}"). Check the smtp/upn/sip claims of the outer token and fix duplicate or unsynchronised users.',
    unknown: '{{host}} sent x-ms-diagnostics {{code}} ({{category}}): "{{reason}}"',
  },
  docs: 'docs/rules/ms-diagnostics.md',
  check(decoded, ctx) {
    const host = ctx.serverContext.host;
    return decoded.diagnostics.map((diagnostic: MsDiagnostic) => ({
      messageId: messageIdByCode[diagnostic.code] ?? 'unknown',
      data: {
        host,
        code: diagnostic.code,
        reason: diagnostic.reason ?? '(no reason given)',
        category: diagnostic.errorCategory ?? 'no category',
      },
    }));
  },
});
