// Rule no-basic-auth: a request carries HTTP Basic credentials (user shown, password never).
import { defineRule } from '../define-rule.js';
import { requestHost } from '../request-host.js';

export const noBasicAuth = defineRule({
  id: 'no-basic-auth',
  severity: 'error',
  scope: 'sighting',
  title: 'HTTP Basic credentials in a request',
  description:
    'S2S OAuth carries no user name or password. Basic credentials on these paths mean the caller fell back from OAuth, a pre-authenticating device answered, or credentials are leaking.',
  messages: {
    basic: 'Basic credentials for user "{{user}}" sent to {{host}}',
    malformed: 'malformed Basic credentials sent to {{host}} ({{problem}})',
  },
  docs: 'docs/rules/no-basic-auth.md',
  check(sighting, ctx) {
    if (sighting.direction !== 'request' || sighting.scheme !== 'basic') return [];
    const host = requestHost(ctx.decoded.exchange);
    const decoded = sighting.decoded;
    if (decoded.type === 'basic') {
      if (decoded.malformed !== undefined) return [{ messageId: 'malformed', data: { host, problem: decoded.malformed } }];
      return [{ messageId: 'basic', data: { host, user: decoded.user } }];
    }
    if (decoded.type === 'undecodable') return [{ messageId: 'malformed', data: { host, problem: decoded.error } }];
    return [];
  },
});
