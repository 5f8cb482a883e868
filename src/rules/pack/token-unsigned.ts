// Rule token-unsigned: a JWT with alg none (or no signature) outside the outer/actor pattern.
import type { DecodedJwt } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { jwtOf, stringClaim } from '../s2s/tokens.js';

export const tokenUnsigned = defineRule({
  id: 'token-unsigned',
  severity: 'error',
  scope: 'sighting',
  title: 'Unsigned token',
  description:
    'A JWT with alg "none" and no signature proves nothing about who made it. The only legitimate unsigned S2S token is the outer token that carries a signed actor token (checked by s2s-actor-chain).',
  messages: {
    unsigned: 'token from {{iss}} is unsigned (alg "{{alg}}") and carries no actor token',
  },
  docs: 'docs/rules/token-unsigned.md',
  check(sighting) {
    const jwt = jwtOf(sighting);
    if (!jwt || !isUnsigned(jwt) || carriesActorToken(jwt)) return [];
    return [{ messageId: 'unsigned', data: { iss: stringClaim(jwt, 'iss') ?? '(no iss)', alg: String(jwt.header['alg'] ?? '(none)') } }];
  },
});

function isUnsigned(jwt: DecodedJwt): boolean {
  return jwt.unsigned || String(jwt.header['alg']).toLowerCase() === 'none';
}

function carriesActorToken(jwt: DecodedJwt): boolean {
  return jwt.actor !== undefined || jwt.actorError !== undefined || jwt.claims['actortoken'] !== undefined;
}
