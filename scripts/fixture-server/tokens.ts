// Mints the fixture tokens: ACS-style actor tokens, unsigned outer tokens, Entra and assertion JWTs.
import { createHash } from 'node:crypto';
import { CompactSign } from 'jose';
import {
  ACS_HOST, ENTRA_ISSUER, MAIL_HOST, MAILBOX_USER, Principal, REALM, audienceName, principalName,
} from './contoso.js';
import type { SigningKey } from './signing-keys.js';

/** A validity window in Unix seconds. */
export interface Validity {
  readonly nbf: number;
  readonly exp: number;
}

type Claims = Record<string, unknown>;

const HOUR = 3600;
/** Outer (user-context) tokens live 8 h, ACS actor tokens 24 h + 5 min (reference §3.5). */
export const OUTER_LIFETIME = 8 * HOUR;
export const ACTOR_LIFETIME = 24 * HOUR + 300;

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Microsoft sends NumericDates as JSON strings in S2S tokens. */
function dateString(seconds: number): string {
  return String(seconds);
}

/** RS256 JWS with the Microsoft header `{typ, alg, x5t, kid}`. */
export async function signJwt(key: SigningKey, claims: Claims): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(claims), 'utf8'))
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.x5t })
    .sign(key.privateKey);
}

/** `{"typ":"JWT","alg":"none"}` token: the compact form ends with `.`. */
export function unsignedJwt(claims: Claims): string {
  return `${b64urlJson({ typ: 'JWT', alg: 'none' })}.${b64urlJson(claims)}.`;
}

/** The claims of a compact JWT (its middle segment). */
export function jwtClaims(jwt: string): Claims {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Claims;
}

/** Replaces the payload of a signed token, keeping its header and (now wrong) signature. */
export function tamperPayload(jwt: string, change: (claims: Claims) => Claims): string {
  const [header = '', , signature = ''] = jwt.split('.');
  return `${header}.${b64urlJson(change(jwtClaims(jwt)))}.${signature}`;
}

/** Deterministic GUID-shaped object id derived from a label, for `oid`/`sub` claims. */
function objectId(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The default S2S window relative to `now`: actor 300 s earlier than the outer token, as Exchange does. */
export function outerValidity(now: number): Validity {
  return { nbf: now, exp: now + OUTER_LIFETIME };
}
export function actorValidity(now: number): Validity {
  return { nbf: now - 300, exp: now - 300 + ACTOR_LIFETIME };
}

/** What varies between the S2S user-context tokens of the scenarios; everything defaults to the seed flow. */
export interface S2sTokenSpec {
  readonly now: number;
  readonly signer: SigningKey;
  readonly outerIssuer?: string;
  /** The actor's `nameid`; defaults to the outer issuer (an intact chain). */
  readonly actorNameId?: string;
  readonly actorIssuer?: string;
  readonly audience?: string;
  readonly outerValidity?: Validity;
  readonly actorValidity?: Validity;
  /** False gives an `alg:none` token without `actortoken`. */
  readonly withActor?: boolean;
  readonly smtp?: string;
}

/** ACS-style actor (or app-only) token claims. */
function actorClaims(opts: {
  issuer: string; nameid: string; audience: string; validity: Validity; trustedForDelegation: boolean;
}): Claims {
  const realm = opts.issuer.slice(opts.issuer.lastIndexOf('@') + 1);
  const oid = objectId(opts.nameid);
  return {
    aud: opts.audience,
    iss: opts.issuer,
    iat: dateString(opts.validity.nbf),
    nbf: dateString(opts.validity.nbf),
    exp: dateString(opts.validity.exp),
    nameid: opts.nameid,
    identityprovider: principalName(Principal.acs, realm),
    oid,
    sub: oid,
    trustedfordelegation: opts.trustedForDelegation ? 'true' : 'false',
  };
}

/** Skype for Business Online -> Exchange user-context token: unsigned outer + signed `actortoken`. */
export async function s2sUserToken(spec: S2sTokenSpec): Promise<string> {
  const outerIssuer = spec.outerIssuer ?? principalName(Principal.skype, REALM);
  const audience = spec.audience ?? audienceName(Principal.exchange, MAIL_HOST, REALM);
  const outer: Claims = {
    aud: audience,
    iss: outerIssuer,
    nbf: dateString((spec.outerValidity ?? outerValidity(spec.now)).nbf),
    exp: dateString((spec.outerValidity ?? outerValidity(spec.now)).exp),
    nameid: MAILBOX_USER.nameid,
    nii: 'urn:federation:MicrosoftOnline',
    smtp: spec.smtp ?? MAILBOX_USER.smtp,
    upn: spec.smtp ?? MAILBOX_USER.upn,
    sip: spec.smtp ?? MAILBOX_USER.sip,
  };
  if (spec.withActor !== false) {
    outer['actortoken'] = await signJwt(spec.signer, actorClaims({
      issuer: spec.actorIssuer ?? principalName(Principal.acs, REALM),
      nameid: spec.actorNameId ?? outerIssuer,
      audience,
      validity: spec.actorValidity ?? actorValidity(spec.now),
      trustedForDelegation: true,
    }));
  }
  return unsignedJwt(outer);
}

/** What varies between app-only (service asserted app) tokens. */
export interface AppOnlyTokenSpec {
  readonly now: number;
  readonly signer: SigningKey;
  readonly issuer?: string;
  readonly nameid?: string;
  readonly audience?: string;
  readonly validity?: Validity;
}

/** An ACS app-only token: the actor-style token sent directly, trustedfordelegation "false". */
export function appOnlyToken(spec: AppOnlyTokenSpec): Promise<string> {
  return signJwt(spec.signer, actorClaims({
    issuer: spec.issuer ?? principalName(Principal.acs, REALM),
    nameid: spec.nameid ?? principalName(Principal.skype, REALM),
    audience: spec.audience ?? audienceName(Principal.exchange, MAIL_HOST, REALM),
    validity: spec.validity ?? actorValidity(spec.now),
    trustedForDelegation: false,
  }));
}

/** An Entra (EvoSTS) v1 app token: numeric dates, as Entra sends them. */
export function entraAppToken(signer: SigningKey, now: number, audience: string): Promise<string> {
  const appId = objectId('dedicated-exchange-hybrid-app');
  return signJwt(signer, {
    aud: audience,
    iss: ENTRA_ISSUER,
    iat: now - 300,
    nbf: now - 300,
    exp: now - 300 + 3899,
    aio: 'E2RgYJg0fixtureAAA=',
    app_displayname: 'Exchange Hybrid Application (fixture)',
    appid: appId,
    appidacr: '2',
    idp: ENTRA_ISSUER,
    oid: objectId('hybrid-app-service-principal'),
    roles: ['full_access_as_app'],
    sub: objectId('hybrid-app-service-principal'),
    tid: REALM,
    ver: '1.0',
  });
}

/** What varies between client assertions; the defaults are Exchange's own (reference §4.3). */
export interface AssertionSpec {
  /** The client, `iss` and `nameid`; defaults to Exchange. */
  readonly client?: string;
  /** Defaults to the ACS token service. */
  readonly audience?: string;
}

/** The JWT-bearer client assertion a client sends to the ACS token endpoint (300 s, reference §4.3). */
export function tokenEndpointAssertion(signer: SigningKey, now: number, spec: AssertionSpec = {}): Promise<string> {
  const client = spec.client ?? principalName(Principal.exchange, REALM);
  return signJwt(signer, {
    aud: spec.audience ?? audienceName(Principal.acs, ACS_HOST, REALM),
    iss: client,
    nameid: client,
    iat: dateString(now),
    nbf: dateString(now),
    exp: dateString(now + 300),
  });
}

/** The actor-style token the token endpoint hands out for `resource`. */
export function issuedAccessToken(signer: SigningKey, now: number, client: string, resource: string): Promise<string> {
  return signJwt(signer, actorClaims({
    issuer: principalName(Principal.acs, REALM),
    nameid: client,
    audience: resource,
    validity: actorValidity(now),
    trustedForDelegation: true,
  }));
}
