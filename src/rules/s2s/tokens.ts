// Views over a sighting's JWTs: the outer/actor pattern, the signed token, the calling principal.
import type { CredentialSighting, DecodedJwt } from '../../model/index.js';
import { isEntraIssuer, isStsPrincipal, parsePrincipalName } from './principal-name.js';

/** `token` for a lone JWT; `outer` and `actor` for the unsigned outer token and its actor token. */
export type TokenRole = 'token' | 'outer' | 'actor';

export interface RoledToken {
  readonly role: TokenRole;
  readonly jwt: DecodedJwt;
}

/** The decoded JWT of a sighting, if it is one. */
export function jwtOf(sighting: CredentialSighting): DecodedJwt | undefined {
  return sighting.decoded.type === 'jwt' ? sighting.decoded.jwt : undefined;
}

/** The JWT and, when it carries one, its decoded actor token. */
export function tokensOf(jwt: DecodedJwt): RoledToken[] {
  if (!jwt.actor) return [{ role: 'token', jwt }];
  return [
    { role: 'outer', jwt },
    { role: 'actor', jwt: jwt.actor },
  ];
}

/** A JWT with a bearer claim set presented by a client: request side, in a header or the URL. */
export function presentedJwt(sighting: CredentialSighting): DecodedJwt | undefined {
  if (sighting.direction !== 'request') return undefined;
  if (sighting.location.type !== 'header' && sighting.location.type !== 'query') return undefined;
  return jwtOf(sighting);
}

export function stringClaim(jwt: DecodedJwt, name: string): string | undefined {
  const value = jwt.claims[name];
  return typeof value === 'string' ? value : undefined;
}

/** MS-XOAUTH's user-context pattern: an unsigned outer token carrying a signed actor token. */
export function isOuterActorPattern(jwt: DecodedJwt): boolean {
  return jwt.unsigned && jwt.actor !== undefined && !jwt.actor.unsigned;
}

/** The token whose signature vouches for the sighting: the actor in the pattern, else the JWT if signed. */
export function signedTokenOf(jwt: DecodedJwt): RoledToken | undefined {
  if (isOuterActorPattern(jwt) && jwt.actor) return { role: 'actor', jwt: jwt.actor };
  return jwt.unsigned ? undefined : { role: 'token', jwt };
}

/** An Entra ID (EvoSTS) token, judged by its issuer. */
export function isEntraToken(jwt: DecodedJwt): boolean {
  const iss = stringClaim(jwt, 'iss');
  return iss !== undefined && isEntraIssuer(iss);
}

/**
 * Who is calling: the outer `iss` in the outer/actor pattern (it equals the actor's `nameid`);
 * the `nameid` of a token issued by ACS; otherwise the `iss` of a self-issued token.
 */
export function callerPrincipal(jwt: DecodedJwt): string | undefined {
  const iss = stringClaim(jwt, 'iss');
  const issuer = iss === undefined ? undefined : parsePrincipalName(iss);
  if (jwt.actor) return issuer?.principal ?? principalOfClaim(jwt.actor, 'nameid');
  if (issuer && isStsPrincipal(issuer.principal)) return principalOfClaim(jwt, 'nameid');
  return issuer?.principal;
}

function principalOfClaim(jwt: DecodedJwt, claim: string): string | undefined {
  const value = stringClaim(jwt, claim);
  return value === undefined ? undefined : parsePrincipalName(value)?.principal;
}
