// Rule challenge-without-bearer: a 401 response offers no Bearer challenge.
import { defineRule } from '../define-rule.js';

export const challengeWithoutBearer = defineRule({
  id: 'challenge-without-bearer',
  severity: 'warning',
  scope: 'exchange',
  title: '401 without a Bearer challenge',
  description:
    'Exchange and Skype for Business answer an unauthenticated S2S call with a Bearer challenge (MS-XOAUTH §3.2.5.4). A 401 without one comes from a pre-authenticating device in front of the server (TMG, WAP, F5) or a virtual directory without OAuth.',
  messages: {
    noChallenge: '401 from {{host}} carries no WWW-Authenticate challenge at all',
    noBearer: '401 from {{host}} offers {{schemes}} but no Bearer challenge',
  },
  docs: 'docs/rules/challenge-without-bearer.md',
  check(decoded, ctx) {
    if (decoded.exchange.response?.status !== 401) return [];
    const challenges = decoded.challenges.filter((c) => c.header.toLowerCase() === 'www-authenticate');
    if (challenges.some((c) => c.scheme.toLowerCase() === 'bearer')) return [];
    const host = ctx.serverContext.host;
    if (challenges.length === 0) return [{ messageId: 'noChallenge', data: { host } }];
    return [{ messageId: 'noBearer', data: { host, schemes: [...new Set(challenges.map((c) => c.scheme))].join(', ') } }];
  },
});
