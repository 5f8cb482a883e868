// Rule token-malformed: a value of JWT shape (or an actortoken claim) that does not decode.
import { defineRule } from '../define-rule.js';

export const tokenMalformed = defineRule({
  id: 'token-malformed',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Malformed JWT',
  description:
    'The credential has the shape of a JWT (three base64url segments) but its header or claims do not decode, or its actortoken claim does not. Opaque tokens such as Skype for Business cwt= tokens are not JWTs and are not reported.',
  messages: {
    malformed: '{{schemeName}} value looks like a JWT but does not decode: {{error}}',
    actor: 'the actortoken claim does not decode: {{error}}',
  },
  docs: 'docs/rules/token-malformed.md',
  check(sighting) {
    const decoded = sighting.decoded;
    if (decoded.type === 'jwt-malformed') {
      return [{ messageId: 'malformed', data: { schemeName: sighting.schemeName || 'credential', error: decoded.error } }];
    }
    if (decoded.type === 'jwt' && decoded.jwt.actorError !== undefined) {
      return [{ messageId: 'actor', data: { error: decoded.jwt.actorError } }];
    }
    return [];
  },
});
