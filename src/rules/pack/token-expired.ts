// Rule token-expired: exp lies before the capture time by more than the allowed clock skew.
import { timestampToIso, timestampToSeconds } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { jwtOf, tokensOf } from '../s2s/tokens.js';

export const tokenExpired = defineRule({
  id: 'token-expired',
  severity: 'error',
  scope: 'sighting',
  title: 'Expired token',
  description:
    'The token (or its actor token) expired before the request was captured, beyond the configured clock skew (clockSkewSeconds, 300 s by default). Servers reject it; a recurring case points at clock skew or a cached token.',
  messages: {
    expired: '{{role}} token expired at {{exp}}, {{ago}} s before the capture time {{captured}} (clock skew allowed: {{skew}} s)',
  },
  docs: 'docs/rules/token-expired.md',
  check(sighting, ctx) {
    const jwt = jwtOf(sighting);
    if (!jwt) return [];
    const now = timestampToSeconds(ctx.captureTime);
    const skew = ctx.config.clockSkewSeconds;
    return tokensOf(jwt)
      .filter(({ jwt: token }) => token.exp !== undefined && token.exp + skew < now)
      .map(({ role, jwt: token }) => ({
        messageId: 'expired' as const,
        data: {
          role,
          exp: timestampToIso({ sec: token.exp ?? 0, nsec: 0 }),
          ago: Math.round(now - (token.exp ?? 0)),
          captured: timestampToIso(ctx.captureTime),
          skew,
        },
      }));
  },
});
