// Rule s2s-audience-format: aud is `<principal>/<host>@<realm>` naming the Host the request went to; a client assertion's names the token service.
import { isIP } from 'node:net';
import { headerValue, type HttpExchange } from '../../model/index.js';
import { defineRule, type RuleReport } from '../define-rule.js';
import { normaliseHost } from '../request-host.js';
import { nameList, s2sOnly } from '../shared-options.js';
import { isGuid, isStsPrincipal, parsePrincipalName } from '../s2s/principal-name.js';
import { isEntraToken, jwtPurposeOf, presentedJwt, tokensOf } from '../s2s/tokens.js';

type MessageId = 'missing' | 'malformed' | 'hostMismatch' | 'unexpectedHost' | 'assertionAudience';

/** Hosts of the ACS token service (global and the China cloud). */
const ACS_HOSTS: ReadonlySet<string> = new Set(['accounts.accesscontrol.windows.net', 'accounts.accesscontrol.chinacloudapi.cn']);
/** Entra ID token endpoints, the audience of a client assertion to Entra (RFC 7523 §3). */
const ENTRA_TOKEN_ENDPOINT =
  /^https:\/\/(?:login\.microsoftonline\.(?:com|us)|login\.windows\.net|login\.chinacloudapi\.cn|sts\.windows\.net)\/[^/]+\/oauth2\/(?:v2\.0\/)?token\/?$/i;

export const s2sAudienceFormat = defineRule({
  id: 's2s-audience-format',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'S2S token audience is not <principal>/<host>@<realm> for this host',
  description:
    'MS-XOAUTH §3.2.5.6: aud has exactly three parts, client_id/hostname@realm, and the hostname (compared case-insensitively) must be the host the server is reached by: the Host header (:authority on HTTP/2), never the socket address. A request addressed to an IP literal cannot be compared. A client assertion (client_assertion / assertion posted to a token endpoint) names the token service instead: 00000001-0000-0000-c000-000000000000/accounts.accesscontrol.windows.net@<realm>, or Entra\'s token endpoint; it is judged by that form, whatever host it was posted to.',
  messages: {
    missing: '{{token}} has no aud claim',
    malformed: '{{token}} aud "{{aud}}" is not <principal GUID>/<host>@<realm>',
    hostMismatch: '{{token}} aud "{{aud}}" names host {{audHost}}, but the request went to {{host}} (Host header){{details}}',
    unexpectedHost: '{{token}} aud names host {{audHost}}, which is not a configured audience host ({{expected}})',
    assertionAudience:
      'client assertion aud "{{aud}}" does not name a token service: expected 00000001-0000-0000-c000-000000000000/accounts.accesscontrol.windows.net@<realm> or an Entra ID token endpoint',
  },
  serverEvidence: { accepted: 'note' },
  options: {
    schema: {
      type: 'object',
      properties: { audienceHosts: nameList('Host names the aud claim may name; empty: not checked.'), s2sOnly },
      additionalProperties: false,
    },
    defaults: { audienceHosts: [] as readonly string[], s2sOnly: false },
  },
  docs: 'docs/rules/s2s-audience-format.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    if (!jwt) return [];
    if (jwtPurposeOf(sighting) === 'client-assertion') return assertionReports(audiencesOf(jwt.claims['aud']));
    if (isEntraToken(jwt) && !ctx.options.s2sOnly) return [];
    const expectedHosts = ctx.options.audienceHosts.map(normaliseHost);
    const requestHost = hostHeaderOf(ctx.decoded.exchange);
    const reports: RuleReport<MessageId>[] = [];
    for (const { role, label: token, jwt: judged } of tokensOf(jwt)) {
      const audiences = audiencesOf(judged.claims['aud']);
      if (audiences.length === 0) reports.push({ messageId: 'missing', data: { token } });
      for (const aud of audiences) {
        const name = parsePrincipalName(aud);
        if (!name || !name.host || !isGuid(name.principal)) {
          reports.push({ messageId: 'malformed', data: { token, aud } });
          continue;
        }
        // The actor token's audience may name another host of the same service (reference §7.6).
        if (role === 'actor') continue;
        const audHost = normaliseHost(name.host);
        const unexpected = expectedHosts.length > 0 && !expectedHosts.includes(audHost);
        if (requestHost !== undefined && audHost !== requestHost) {
          const details = unexpected ? `; it is not a configured audience host either (${expectedHosts.join(', ')})` : '';
          reports.push({ messageId: 'hostMismatch', data: { token, aud, audHost, host: requestHost, details } });
        } else if (unexpected) {
          reports.push({ messageId: 'unexpectedHost', data: { token, audHost, expected: expectedHosts.join(', ') } });
        }
      }
    }
    return reports;
  },
});

/** The Host header's (or an absolute URI's) host name, normalised; undefined when absent or an IP literal. */
function hostHeaderOf(exchange: HttpExchange): string | undefined {
  const header = headerValue(exchange.request.headers, 'host') ?? absoluteUriHost(exchange.request.uri);
  if (header === undefined || header.trim() === '') return undefined;
  const host = normaliseHost(header);
  return isIP(host) === 0 ? host : undefined;
}

function absoluteUriHost(uri: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]+@)?([^/?#]+)/i.exec(uri)?.[2];
}

function assertionReports(audiences: readonly string[]): RuleReport<MessageId>[] {
  if (audiences.length === 0) return [{ messageId: 'missing', data: { token: 'client assertion' } }];
  return audiences.filter((aud) => !namesTokenService(aud)).map((aud) => ({ messageId: 'assertionAudience', data: { aud } }));
}

/** `<ACS principal>/<ACS host>@<realm>`, or an Entra token endpoint URL. */
function namesTokenService(aud: string): boolean {
  if (ENTRA_TOKEN_ENDPOINT.test(aud)) return true;
  const name = parsePrincipalName(aud);
  return name !== undefined && isStsPrincipal(name.principal) && name.host !== undefined && ACS_HOSTS.has(normaliseHost(name.host));
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}
