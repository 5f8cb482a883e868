// Rule s2s-actor-chain: an unsigned outer token carries a signed actor token whose nameid is the outer iss.
import { defineRule } from '../define-rule.js';
import { parsePrincipalName } from '../s2s/principal-name.js';
import { presentedJwt, stringClaim } from '../s2s/tokens.js';

export const s2sActorChain = defineRule({
  id: 's2s-actor-chain',
  severity: 'error',
  scope: 'sighting',
  title: 'Unsigned outer token without a matching signed actor token',
  description:
    'MS-XOAUTH §3.2.5.6: an unsigned (alg none) token is only acceptable as the outer token of the user-context pattern: it must carry a signed actor token, and its iss must equal the actor token nameid, compared case-sensitively.',
  messages: {
    missingActor: 'unsigned token from {{iss}} carries no actortoken claim, so nothing signed vouches for it',
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
    if (!jwt.actor) {
      // Only tokens shaped like S2S outer tokens; a generic alg-none token is token-unsigned's.
      if (outerIss === undefined || !parsePrincipalName(outerIss)) return [];
      return [{ messageId: 'missingActor', data: { iss: outerIss } }];
    }
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
