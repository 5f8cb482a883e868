// Rule token-not-yet-valid: nbf lies after the capture time by more than the allowed clock skew.
import { timestampToIso, timestampToSeconds } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { jwtOf, tokensOf } from '../s2s/tokens.js';

export const tokenNotYetValid = defineRule({
  id: 'token-not-yet-valid',
  severity: 'error',
  scope: 'sighting',
  title: 'Token not yet valid',
  description:
    'The token (or its actor token) has an nbf later than the capture time plus the configured clock skew. The issuer\'s clock runs ahead of the server\'s, or the capture host\'s clock is wrong.',
  messages: {
    notYetValid: '{{role}} token is valid only from {{nbf}}, {{ahead}} s after the capture time {{captured}} (clock skew allowed: {{skew}} s)',
  },
  docs: 'docs/rules/token-not-yet-valid.md',
  check(sighting, ctx) {
    const jwt = jwtOf(sighting);
    if (!jwt) return [];
    const now = timestampToSeconds(ctx.captureTime);
    const skew = ctx.config.clockSkewSeconds;
    return tokensOf(jwt)
      .filter(({ jwt: token }) => token.nbf !== undefined && token.nbf - skew > now)
      .map(({ role, jwt: token }) => ({
        messageId: 'notYetValid' as const,
        data: {
          role,
          nbf: timestampToIso({ sec: token.nbf ?? 0, nsec: 0 }),
          ahead: Math.round((token.nbf ?? 0) - now),
          captured: timestampToIso(ctx.captureTime),
          skew,
        },
      }));
  },
});
