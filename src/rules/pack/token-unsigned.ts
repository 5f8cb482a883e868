// Rule token-unsigned: a JWT with alg none (or no signature) that carries no actor token to vouch for it.
import type { DecodedJwt } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { parsePrincipalName } from '../s2s/principal-name.js';
import { jwtOf, stringClaim } from '../s2s/tokens.js';

export const tokenUnsigned = defineRule({
  id: 'token-unsigned',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Unsigned token',
  description:
    'A JWT with alg "none" and no signature proves nothing about who made it. The only legitimate unsigned S2S token is the outer token that carries a signed actor token (MS-XOAUTH §3.2.5.6, checked by s2s-actor-chain); an unsigned token shaped like an S2S outer token (iss <principal>@<realm>) but without its actortoken is reported here, once.',
  messages: {
    unsigned: 'token from {{iss}} is unsigned (alg "{{alg}}") and carries no actor token, so nothing signed vouches for it',
    outerWithoutActor:
      'S2S outer token from {{iss}} is unsigned (alg "{{alg}}") and carries no actortoken claim: MS-XOAUTH requires a signed actor token inside it, so nothing vouches for it',
  },
  docs: 'docs/rules/token-unsigned.md',
  check(sighting) {
    const jwt = jwtOf(sighting);
    if (!jwt || !isUnsigned(jwt) || carriesActorToken(jwt)) return [];
    const iss = stringClaim(jwt, 'iss');
    const alg = String(jwt.header['alg'] ?? '(none)');
    if (iss !== undefined && parsePrincipalName(iss)) return [{ messageId: 'outerWithoutActor', data: { iss, alg } }];
    return [{ messageId: 'unsigned', data: { iss: iss ?? '(no iss)', alg } }];
  },
});

function isUnsigned(jwt: DecodedJwt): boolean {
  return jwt.unsigned || String(jwt.header['alg']).toLowerCase() === 'none';
}

function carriesActorToken(jwt: DecodedJwt): boolean {
  return jwt.actor !== undefined || jwt.actorError !== undefined || jwt.claims['actortoken'] !== undefined;
}
