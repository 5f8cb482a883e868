// Rule issuer-not-trusted: the token's iss matches none of the trusted_issuers its server announced, weighed by the server's answer.
import type { CredentialSighting } from '../../model/index.js';
import { defineRule, type RuleReport } from '../define-rule.js';
import { createAnnouncedChallenges, type Announced } from '../s2s/announced-challenges.js';
import { isStsPrincipal, parsePrincipalName } from '../s2s/principal-name.js';
import { matchesTrustedIssuer } from '../s2s/trusted-issuer.js';
import { jwtPurposeOf, presentedJwt, stringClaim } from '../s2s/tokens.js';

type MessageId = 'untrusted' | 'partner';

export const issuerNotTrusted = defineRule({
  id: 'issuer-not-trusted',
  severity: 'error',
  // An exchange rule: it records every exchange's challenges, also those that carry no credential.
  scope: 'exchange',
  title: 'Token issuer not among the server\'s trusted_issuers',
  description:
    'The server lists the auth servers it accepts tokens from in the trusted_issuers parameter of its Bearer challenge (MS-XOAUTH §3.2.5.4). A token issued by another token service is rejected (a sovereign-cloud mismatch, a missing auth server). A partner application\'s self-issued token is accepted through the partner application and its certificate even when trusted_issuers names only ACS (reference §8 item 8), so it is judged by what the server answered. Judged only when the same host announced trusted_issuers in the capture.',
  messages: {
    untrusted: '{{token}} issued by token service "{{iss}}", which is not among the trusted_issuers {{host}} announced ({{trusted}})',
    partner:
      '{{token}} is self-issued by partner application "{{iss}}", which the trusted_issuers {{host}} announced ({{trusted}}) do not list; Exchange accepts such tokens only through a partner application',
  },
  messageSeverity: { partner: 'warning' },
  serverEvidence: { accepted: 'note' },
  docs: 'docs/rules/issuer-not-trusted.md',
  createState: createAnnouncedChallenges,
  check(decoded, ctx) {
    const announced = ctx.state.observe(decoded);
    if (announced.trustedIssuers.length === 0) return [];
    return decoded.credentials.flatMap((sighting) => judge(sighting, announced));
  },
});

function judge(sighting: CredentialSighting, announced: Announced): RuleReport<MessageId>[] {
  const jwt = presentedJwt(sighting);
  const trusted = announced.trustedIssuers;
  // A client assertion is posted to a token service, whose trust has nothing to do with a resource's challenge.
  if (!jwt || jwtPurposeOf(sighting) === 'client-assertion') return [];
  // In the outer/actor pattern the signed actor token's issuer is the one the server trusts.
  const judged = jwt.actor ?? jwt;
  // An unsigned token with nothing signed inside vouches for no issuer: token-unsigned says so.
  if (judged.unsigned) return [];
  const iss = stringClaim(judged, 'iss');
  if (iss === undefined || trusted.some((pattern) => matchesTrustedIssuer(pattern, iss))) return [];
  const principal = parsePrincipalName(iss)?.principal;
  const selfIssued = principal !== undefined && !isStsPrincipal(principal);
  return [
    {
      messageId: selfIssued ? 'partner' : 'untrusted',
      data: { token: jwt.actor ? 'actor token' : 'token', iss, host: announced.host, trusted: trusted.join(', ') },
      sighting,
    },
  ];
}
