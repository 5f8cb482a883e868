// Rule issuer-not-trusted: the token's iss matches none of the trusted_issuers its server announced.
import { defineRule } from '../define-rule.js';
import { matchesTrustedIssuer } from '../s2s/trusted-issuer.js';
import { presentedJwt, stringClaim } from '../s2s/tokens.js';

export const issuerNotTrusted = defineRule({
  id: 'issuer-not-trusted',
  severity: 'error',
  scope: 'sighting',
  title: 'Token issuer not among the server\'s trusted_issuers',
  description:
    'The server lists the issuers it accepts in the trusted_issuers parameter of its Bearer challenge (MS-XOAUTH §3.2.5.4). A token from another issuer is rejected; typical causes are a sovereign-cloud mismatch or a missing auth server. Judged only when the same host announced trusted_issuers in the capture.',
  messages: {
    untrusted: '{{role}} token iss "{{iss}}" matches none of the trusted_issuers {{host}} announced: {{trusted}}',
  },
  docs: 'docs/rules/issuer-not-trusted.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    const trusted = ctx.serverContext.trustedIssuers;
    if (!jwt || trusted.length === 0) return [];
    // In the outer/actor pattern the signed actor token's issuer is the one the server trusts.
    const judged = jwt.actor ?? jwt;
    const iss = stringClaim(judged, 'iss');
    if (iss === undefined || trusted.some((pattern) => matchesTrustedIssuer(pattern, iss))) return [];
    return [
      {
        messageId: 'untrusted',
        data: { role: jwt.actor ? 'actor' : 'token', iss, host: ctx.serverContext.host, trusted: trusted.join(', ') },
      },
    ];
  },
});
