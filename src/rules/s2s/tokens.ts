// Views over a sighting's JWTs: the outer/actor pattern, the signed token, the calling principal.
import type { CredentialSighting, DecodedJwt } from '../../model/index.js';
import { isEntraIssuer, isStsPrincipal, parsePrincipalName } from './principal-name.js';

/** `token` for a lone JWT; `outer` and `actor` for the unsigned outer token and its actor token. */
export type TokenRole = 'token' | 'outer' | 'actor';

export interface RoledToken {
  readonly role: TokenRole;
  readonly jwt: DecodedJwt;
  /** The token as messages name it: `token`, `outer token`, `actor token`, `client assertion`. */
  readonly label: string;
}

/** What a presented JWT is for: an access token for a resource, or a client's assertion to a token service. */
export type JwtPurpose = 'access-token' | 'client-assertion' | 'issued-token';

/** Form and JSON fields that carry a client's signed assertion to a token endpoint (RFC 7521/7523, ACS's jwt-bearer grant). */
const ASSERTION_FIELDS: ReadonlySet<string> = new Set(['client_assertion', 'assertion']);

/** The decoded JWT of a sighting, if it is one. */
export function jwtOf(sighting: CredentialSighting): DecodedJwt | undefined {
  return sighting.decoded.type === 'jwt' ? sighting.decoded.jwt : undefined;
}

/** The JWT and, when it carries one, its decoded actor token; `purpose` names a lone client assertion as such. */
export function tokensOf(jwt: DecodedJwt, purpose: JwtPurpose = 'access-token'): RoledToken[] {
  if (!jwt.actor) return [{ role: 'token', jwt, label: TOKEN_LABELS[purpose] }];
  return [
    { role: 'outer', jwt, label: 'outer token' },
    { role: 'actor', jwt: jwt.actor, label: 'actor token' },
  ];
}

const TOKEN_LABELS: Readonly<Record<JwtPurpose, string>> = {
  'access-token': 'token',
  'client-assertion': 'client assertion',
  'issued-token': 'token handed out in the response',
};

/** The label of the token a signature check judged (`token` or `actor`), named by what the sighting carries. */
export function verifiedTokenLabel(sighting: CredentialSighting, role: 'token' | 'actor'): string {
  return role === 'actor' ? 'actor token' : TOKEN_LABELS[jwtPurposeOf(sighting)];
}

/**
 * A JWT a client presents, wherever it travels: a request header, the query string, a form or
 * JSON body, a cookie. Response tokens (a token endpoint's answer) are not presented.
 */
export function presentedJwt(sighting: CredentialSighting): DecodedJwt | undefined {
  if (sighting.direction !== 'request') return undefined;
  return jwtOf(sighting);
}

/** A client assertion when it travels in a `client_assertion` or `assertion` field; a token a server hands out; else an access token. */
export function jwtPurposeOf(sighting: CredentialSighting): JwtPurpose {
  if (sighting.direction === 'response') return 'issued-token';
  const location = sighting.location;
  if ((location.type === 'form' || location.type === 'json') && ASSERTION_FIELDS.has(location.name.toLowerCase())) return 'client-assertion';
  return 'access-token';
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
export function signedTokenOf(jwt: DecodedJwt, purpose: JwtPurpose = 'access-token'): RoledToken | undefined {
  if (isOuterActorPattern(jwt) && jwt.actor) return { role: 'actor', jwt: jwt.actor, label: 'actor token' };
  return jwt.unsigned ? undefined : { role: 'token', jwt, label: TOKEN_LABELS[purpose] };
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
