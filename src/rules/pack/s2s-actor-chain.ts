// Rule s2s-actor-chain: an unsigned outer token carries a signed actor token whose nameid is the outer iss.
import { defineRule } from '../define-rule.js';
import { presentedJwt, stringClaim } from '../s2s/tokens.js';

export const s2sActorChain = defineRule({
  id: 's2s-actor-chain',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Unsigned outer token without a matching signed actor token',
  description:
    'MS-XOAUTH §3.2.5.6: in the user-context pattern the unsigned (alg none) outer token carries a signed actor token, and its iss equals the actor token nameid, compared case-sensitively. An unsigned token with no actor token at all is token-unsigned\'s to report.',
  messages: {
    unsignedActor: 'the actor token inside the unsigned token is itself unsigned (alg "{{alg}}")',
    issNameidMismatch: 'outer iss "{{outerIss}}" differs from the actor token nameid "{{actorNameid}}"',
    issNameidCase:
      'outer iss "{{outerIss}}" and actor token nameid "{{actorNameid}}" differ only in case; MS-XOAUTH compares them case-sensitively',
  },
  docs: 'docs/rules/s2s-actor-chain.md',
  check(sighting) {
    const jwt = presentedJwt(sighting);
    // An actortoken that does not decode is token-malformed's to report.
    if (!jwt || !jwt.unsigned || jwt.actorError !== undefined) return [];
    const outerIss = stringClaim(jwt, 'iss');
    // An unsigned token without an actor token is token-unsigned's: one fact, one finding.
    if (!jwt.actor) return [];
    if (jwt.actor.unsigned) {
      return [{ messageId: 'unsignedActor', data: { alg: String(jwt.actor.header['alg'] ?? '(none)') } }];
    }
    const actorNameid = stringClaim(jwt.actor, 'nameid');
    if (outerIss === actorNameid) return [];
    const data = { outerIss: outerIss ?? '(none)', actorNameid: actorNameid ?? '(none)' };
    const caseOnly = outerIss !== undefined && outerIss.toLowerCase() === actorNameid?.toLowerCase();
    return [{ messageId: caseOnly ? 'issNameidCase' : 'issNameidMismatch', data }];
  },
});
