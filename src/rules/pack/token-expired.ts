// Rule token-expired: exp lies before the capture time (or now) by more than the allowed clock skew.
import { formatDuration, timestampToIso, timestampToSeconds } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, clockSkewSeconds } from '../shared-options.js';
import { jwtOf, jwtPurposeOf, tokensOf } from '../s2s/tokens.js';

export const tokenExpired = defineRule({
  id: 'token-expired',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Expired token',
  description:
    'The token (or its actor token) expired before the request was captured, beyond the configured clock skew (clockSkewSeconds, 300 s by default). Servers reject it; a recurring case points at clock skew or a cached token. Tokens a token endpoint hands out are judged too. A token the server accepted anyway only says that its clock and the capture host\'s differ.',
  messages: {
    expired: '{{token}} expired at {{exp}}, {{ago}} before {{clock}} ({{captured}}; clock skew allowed: {{skew}})',
  },
  serverEvidence: { accepted: 'note' },
  options: {
    schema: { type: 'object', properties: { clockSkewSeconds }, additionalProperties: false },
    defaults: { clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS },
  },
  docs: 'docs/rules/token-expired.md',
  check(sighting, ctx) {
    const jwt = jwtOf(sighting);
    if (!jwt) return [];
    const now = timestampToSeconds(ctx.captureTime);
    const skew = ctx.options.clockSkewSeconds;
    return tokensOf(jwt, jwtPurposeOf(sighting))
      .filter(({ jwt: token }) => token.exp !== undefined && token.exp + skew < now)
      .map(({ label, jwt: token }) => ({
        messageId: 'expired' as const,
        data: {
          token: label,
          exp: timestampToIso({ sec: token.exp ?? 0, nsec: 0 }),
          ago: formatDuration(now - (token.exp ?? 0)),
          clock: ctx.clockLabel,
          captured: timestampToIso(ctx.captureTime),
          skew: formatDuration(skew),
        },
      }));
  },
});
