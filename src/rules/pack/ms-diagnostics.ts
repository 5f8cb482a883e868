// Rule ms-diagnostics: explains the x-ms-diagnostics a server sent when it rejected a token, by category and reason.
import type { DecodedExchange, MsDiagnostic } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { requestHost } from '../request-host.js';

type MessageId = 'invalidSignature' | 'invalidResource' | 'invalidTenant' | 'invalidUser' | 'invalidToken' | 'unknown';

/** error_category → message, and words the reason must share with that category for the explanation to hold. */
const CATEGORIES: Readonly<Record<string, { readonly messageId: MessageId; readonly reasonWords: RegExp }>> = {
  invalid_signature: { messageId: 'invalidSignature', reasonWords: /signature|key|certificate|thumbprint/i },
  invalid_resource: { messageId: 'invalidResource', reasonWords: /audience|resource|host/i },
  invalid_tenant: { messageId: 'invalidTenant', reasonWords: /tenant|realm/i },
  invalid_user: { messageId: 'invalidUser', reasonWords: /user/i },
  invalid_token: { messageId: 'invalidToken', reasonWords: /./ },
};

export const msDiagnostics = defineRule({
  id: 'ms-diagnostics',
  severity: 'error',
  scope: 'exchange',
  title: 'Server rejected a token and said why in x-ms-diagnostics',
  description:
    'Exchange says why it rejected a token in the x-ms-diagnostics response header (<code>;reason="…";error_category="…"). The code alone does not name the cause (2000000 also answers a request without a token), so each header is judged by its error_category and reason, and only on a request that carried a token: a 401 to a request without one is the discovery step of the protocol, whatever its diagnostics say (reference §6, §8 item 9).',
  messages: {
    invalidSignature: '{{host}} rejected the token signature: x-ms-diagnostics {{code}} invalid_signature "{{reason}}"',
    invalidResource: '{{host}} rejected the token audience: x-ms-diagnostics {{code}} invalid_resource "{{reason}}"',
    invalidTenant: '{{host}} does not know the token realm: x-ms-diagnostics {{code}} invalid_tenant "{{reason}}"',
    invalidUser: '{{host}} could not resolve the user in the token: x-ms-diagnostics {{code}} invalid_user "{{reason}}"',
    invalidToken: '{{host}} rejected the token: x-ms-diagnostics {{code}} invalid_token "{{reason}}"',
    unknown: '{{host}} rejected the token with x-ms-diagnostics {{code}} ({{category}}): "{{reason}}"',
  },
  docs: 'docs/rules/ms-diagnostics.md',
  check(decoded) {
    if (!carriedToken(decoded)) return [];
    const host = requestHost(decoded.exchange);
    return decoded.diagnostics.map((diagnostic) => ({
      messageId: messageIdOf(diagnostic),
      data: {
        host,
        code: diagnostic.code,
        reason: diagnostic.reason ?? '(no reason given)',
        category: diagnostic.errorCategory ?? 'no error_category',
      },
    }));
  },
});

/** True when the request presented a non-empty bearer token (header, URL, body or cookie). */
function carriedToken(decoded: DecodedExchange): boolean {
  return decoded.credentials.some((c) => c.direction === 'request' && c.scheme === 'bearer' && c.decoded.type !== 'empty');
}

/** The category's explanation when its reason agrees with it; an unknown or contradicted one is shown unexplained. */
function messageIdOf(diagnostic: MsDiagnostic): MessageId {
  const category = CATEGORIES[diagnostic.errorCategory?.toLowerCase() ?? ''];
  if (!category) return 'unknown';
  if (diagnostic.reason !== undefined && !category.reasonWords.test(diagnostic.reason)) return 'unknown';
  return category.messageId;
}
