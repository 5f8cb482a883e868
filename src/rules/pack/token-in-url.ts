// Rule token-in-url: a credential travels in the URL query string.
import { defineRule } from '../define-rule.js';
import { requestHost } from '../request-host.js';

export const tokenInUrl = defineRule({
  id: 'token-in-url',
  severity: 'warning',
  scope: 'sighting',
  title: 'Token in a URL query string',
  description:
    'RFC 6750 §5.3: URLs end up in server logs, proxy logs and browser history, so a token in the query string leaks to everyone who reads them. Send it in the Authorization header.',
  messages: {
    query: 'credential in URL query parameter "{{name}}" of a request to {{host}}',
  },
  docs: 'docs/rules/token-in-url.md',
  check(sighting, ctx) {
    if (sighting.location.type !== 'query' || sighting.decoded.type === 'empty') return [];
    return [{ messageId: 'query', data: { name: sighting.location.name, host: requestHost(ctx.decoded.exchange) } }];
  },
});
