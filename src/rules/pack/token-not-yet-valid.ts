// Rule token-not-yet-valid: nbf lies after the capture time (or now) by more than the allowed clock skew.
import { formatDuration, timestampToIso, timestampToSeconds } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, clockSkewSeconds } from '../shared-options.js';
import { jwtOf, jwtPurposeOf, tokensOf } from '../s2s/tokens.js';

export const tokenNotYetValid = defineRule({
  id: 'token-not-yet-valid',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Token not yet valid',
  description:
    'The token (or its actor token) has an nbf later than the capture time plus the configured clock skew. The issuer\'s clock runs ahead of the server\'s, or the capture host\'s clock is wrong. A token the server accepted anyway only says that clocks differ.',
  messages: {
    notYetValid: '{{token}} is valid only from {{nbf}}, {{ahead}} after {{clock}} ({{captured}}; clock skew allowed: {{skew}})',
  },
  serverEvidence: { accepted: 'note' },
  options: {
    schema: { type: 'object', properties: { clockSkewSeconds }, additionalProperties: false },
    defaults: { clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS },
  },
  docs: 'docs/rules/token-not-yet-valid.md',
  check(sighting, ctx) {
    const jwt = jwtOf(sighting);
    if (!jwt) return [];
    const now = timestampToSeconds(ctx.captureTime);
    const skew = ctx.options.clockSkewSeconds;
    return tokensOf(jwt, jwtPurposeOf(sighting))
      .filter(({ jwt: token }) => token.nbf !== undefined && token.nbf - skew > now)
      .map(({ label, jwt: token }) => ({
        messageId: 'notYetValid' as const,
        data: {
          token: label,
          nbf: timestampToIso({ sec: token.nbf ?? 0, nsec: 0 }),
          ahead: formatDuration((token.nbf ?? 0) - now),
          clock: ctx.clockLabel,
          captured: timestampToIso(ctx.captureTime),
          skew: formatDuration(skew),
        },
      }));
  },
});
