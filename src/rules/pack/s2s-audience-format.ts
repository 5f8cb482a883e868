// Rule s2s-audience-format: aud is `<principal>/<host>@<realm>` and names the host the request went to.
import { defineRule, type RuleReport } from '../define-rule.js';
import { normaliseHost } from '../request-host.js';
import { isGuid, parsePrincipalName } from '../s2s/principal-name.js';
import { isEntraToken, presentedJwt, tokensOf } from '../s2s/tokens.js';

type MessageId = 'missing' | 'malformed' | 'hostMismatch' | 'unexpectedHost';

export const s2sAudienceFormat = defineRule({
  id: 's2s-audience-format',
  severity: 'error',
  scope: 'sighting',
  title: 'S2S token audience is not <principal>/<host>@<realm> for this host',
  description:
    'MS-XOAUTH §3.2.5.6: aud has exactly three parts, client_id/hostname@realm, and the hostname (compared case-insensitively) must be the host the server is reached by.',
  messages: {
    missing: '{{role}} token has no aud claim',
    malformed: '{{role}} token aud "{{aud}}" is not <principal GUID>/<host>@<realm>',
    hostMismatch: '{{role}} token aud "{{aud}}" names host {{audHost}}, but the request went to {{host}}',
    unexpectedHost: '{{role}} token aud names host {{audHost}}, which is not a configured audience host ({{expected}})',
  },
  docs: 'docs/rules/s2s-audience-format.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    if (!jwt || (isEntraToken(jwt) && !ctx.config.s2sOnly)) return [];
    const expectedHosts = ctx.config.audienceHosts.map(normaliseHost);
    const reports: RuleReport<MessageId>[] = [];
    for (const { role, jwt: token } of tokensOf(jwt)) {
      const audiences = audiencesOf(token.claims['aud']);
      if (audiences.length === 0) reports.push({ messageId: 'missing', data: { role } });
      for (const aud of audiences) {
        const name = parsePrincipalName(aud);
        if (!name || !name.host || !isGuid(name.principal)) {
          reports.push({ messageId: 'malformed', data: { role, aud } });
          continue;
        }
        // The actor token's audience may name another host of the same service (reference §7.6).
        if (role === 'actor') continue;
        const audHost = normaliseHost(name.host);
        if (audHost !== ctx.serverContext.host) {
          reports.push({ messageId: 'hostMismatch', data: { role, aud, audHost, host: ctx.serverContext.host } });
        }
        if (expectedHosts.length > 0 && !expectedHosts.includes(audHost)) {
          reports.push({ messageId: 'unexpectedHost', data: { role, audHost, expected: expectedHosts.join(', ') } });
        }
      }
    }
    return reports;
  },
});

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}
