// The fixture server's Bearer token validation: simple, but it answers like Exchange (§3, §6).
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { ENTRA_ISSUER, MAIL_HOST, MAILBOX_USER, PARTNER_PRINCIPALS, Principal, REALM } from './contoso.js';

/** An `x-ms-diagnostics` value: `<code>;reason="<reason>";error_category="<category>"`. */
export interface MsDiagnostic {
  readonly code: string;
  readonly reason: string;
  readonly category: string;
}

export type TokenVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: string; readonly diagnostic?: MsDiagnostic };

export interface TokenCheckContext {
  /** x5t -> certificate public key, for the certificates the server trusts. */
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  /** The `trusted_issuers` entries the server announces, e.g. `00000001-…@*`. */
  readonly trustedIssuers: readonly string[];
  /** The host name the audience must name: the request's Host without port (the server's name when Host is an address). */
  readonly host: string;
  readonly nowSeconds: number;
}

interface DecodedToken {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: string;
}

const SKEW_SECONDS = 300;
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** `<guid>@<realm>` or `<guid>/<host>@<realm>` (host may be empty). */
const PRINCIPAL_NAME = new RegExp(`^(${GUID})(?:/([^@]*))?@([^@]+)$`);
const AUDIENCE = /^([^/@]+)\/([^@]+)@([^@]+)$/;
/** Mailboxes the server can resolve user-context tokens to. */
const KNOWN_MAILBOXES: ReadonlySet<string> = new Set([MAILBOX_USER.smtp]);

const fail = (why: string, diagnostic?: MsDiagnostic): TokenVerdict =>
  diagnostic ? { ok: false, why, diagnostic } : { ok: false, why };

const invalidSignature: MsDiagnostic = {
  code: '2000000', reason: 'The token has an invalid signature.', category: 'invalid_signature',
};

/** What Exchange adds to the 401 for a request that carried no token (the discovery step, reference §6). */
export const TOKEN_MISSING: MsDiagnostic = {
  code: '2000000', reason: 'The token should be present in the Authorization header.', category: 'invalid_token',
};

/** PEM certificate -> x5t map entry value. */
export function certificateKey(certPem: string): KeyObject {
  return createPublicKey(certPem);
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function decodeToken(token: string): DecodedToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h = '', p = '', s = ''] = parts;
  const header = decodeSegment(h);
  const claims = decodeSegment(p);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${h}.${p}`, signature: s };
}

function text(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  return typeof value === 'string' ? value : '';
}

/** NumericDate claims arrive as JSON strings (ACS) or numbers (Entra). */
function seconds(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function signatureValid(token: DecodedToken, ctx: TokenCheckContext): boolean {
  const key = ctx.trustedKeys.get(text(token.header, 'x5t'));
  if (!key || token.header['alg'] !== 'RS256') return false;
  return createVerify('RSA-SHA256').update(token.signingInput)
    .verify(key, Buffer.from(token.signature, 'base64url'));
}

function timeProblem(claims: Record<string, unknown>, now: number): string | undefined {
  const nbf = seconds(claims, 'nbf');
  const exp = seconds(claims, 'exp');
  if (nbf === undefined || exp === undefined) return 'nbf/exp missing';
  if (nbf > now + SKEW_SECONDS) return 'token not yet valid';
  if (exp < now - SKEW_SECONDS) return 'token expired';
  return undefined;
}

/** True when `issuer` matches one of the announced `<principal>@<realm|*>` patterns. */
function issuerTrusted(issuer: string, trustedIssuers: readonly string[]): boolean {
  const m = PRINCIPAL_NAME.exec(issuer);
  if (!m) return false;
  return trustedIssuers.some((pattern) => {
    const at = pattern.lastIndexOf('@');
    const principal = pattern.slice(0, at);
    const realm = pattern.slice(at + 1);
    return principal.toLowerCase() === m[1]?.toLowerCase() && (realm === '*' || realm === m[3]);
  });
}

/** Checks `aud` = `00000002-…/<this host>@<known tenant equal to the issuer realm>`. */
function audienceProblem(audience: string, issuerRealm: string, host: string): TokenVerdict | undefined {
  const m = AUDIENCE.exec(audience);
  if (!m || m[1] !== Principal.exchange) {
    return fail('audience', {
      code: '2000003', reason: `The audience claim value is invalid '${audience}'.`, category: 'invalid_resource',
    });
  }
  const [, , audHost = '', audRealm = ''] = m;
  if (audHost.toLowerCase() !== host.toLowerCase()) {
    return fail('audience host', {
      code: '2000003',
      reason: `The hostname component of the audience claim value is invalid. Expected '${host}'. Actual '${audHost}'.`,
      category: 'invalid_resource',
    });
  }
  if (audRealm !== REALM || issuerRealm !== REALM) {
    const unknown = audRealm !== REALM ? audRealm : issuerRealm;
    return fail('realm', {
      code: '2000004', reason: `The tenant for tenant guid '${unknown}' does not exist.`, category: 'invalid_tenant',
    });
  }
  return undefined;
}

function realmOf(principalName: string): string {
  return principalName.slice(principalName.lastIndexOf('@') + 1);
}

function principalOf(principalName: string): string {
  return PRINCIPAL_NAME.exec(principalName)?.[1]?.toLowerCase() ?? '';
}

/**
 * A partner application's own token (e.g. SfB's `00000004-…@<realm>`, issuer = subject): trusted through the
 * partner application and its certificate, whatever `trusted_issuers` names (reference §8 item 8). The caller
 * has checked the signature against the trusted certificates.
 */
function selfIssuedByPartner(issuer: string, claims: Record<string, unknown>): boolean {
  return PARTNER_PRINCIPALS.includes(principalOf(issuer)) && text(claims, 'nameid') === issuer;
}

/** Signed ACS or partner token (actor, or app-only when sent alone): signature, issuer, time, audience. */
function checkAcsToken(token: DecodedToken, ctx: TokenCheckContext): TokenVerdict | undefined {
  if (!signatureValid(token, ctx)) return fail('signature', invalidSignature);
  const issuer = text(token.claims, 'iss');
  if (!issuerTrusted(issuer, ctx.trustedIssuers) && !selfIssuedByPartner(issuer, token.claims)) return fail('issuer not trusted');
  const when = timeProblem(token.claims, ctx.nowSeconds);
  if (when) return fail(when);
  return audienceProblem(text(token.claims, 'aud'), realmOf(issuer), ctx.host);
}

function checkEntraToken(token: DecodedToken, ctx: TokenCheckContext): TokenVerdict {
  if (!signatureValid(token, ctx)) return fail('signature', invalidSignature);
  const when = timeProblem(token.claims, ctx.nowSeconds);
  if (when) return fail(when);
  const audience = text(token.claims, 'aud');
  if (audience !== Principal.exchange && audience !== `https://${MAIL_HOST}`) {
    return fail('audience', {
      code: '2000003', reason: `The audience claim value is invalid '${audience}'.`, category: 'invalid_resource',
    });
  }
  return text(token.claims, 'tid') === REALM ? { ok: true } : fail('tenant');
}

function checkUserContextToken(outer: DecodedToken, ctx: TokenCheckContext): TokenVerdict {
  if (outer.signature !== '') return fail('alg none with a signature');
  const actor = decodeToken(text(outer.claims, 'actortoken'));
  if (!actor) return fail('no actor token');
  const actorProblem = checkAcsToken(actor, ctx);
  if (actorProblem) return actorProblem;
  const when = timeProblem(outer.claims, ctx.nowSeconds);
  if (when) return fail(when);
  const issuer = text(outer.claims, 'iss');
  if (!PRINCIPAL_NAME.test(issuer)) return fail('issuer format');
  if (issuer !== text(actor.claims, 'nameid')) return fail('outer issuer is not the actor nameid');
  if (!PARTNER_PRINCIPALS.includes(principalOf(issuer))) return fail('no partner application for the issuer');
  const audience = audienceProblem(text(outer.claims, 'aud'), realmOf(issuer), ctx.host);
  if (audience) return audience;
  if (!KNOWN_MAILBOXES.has(text(outer.claims, 'smtp'))) {
    return fail('user', {
      code: '2000005', reason: 'The user specified by the user-context in the token does not exist.',
      category: 'invalid_user',
    });
  }
  return { ok: true };
}

/** Validates a Bearer JWT the way the fixture Exchange does. */
export function checkBearerJwt(token: string, ctx: TokenCheckContext): TokenVerdict {
  const decoded = decodeToken(token);
  if (!decoded) return fail('malformed token');
  if (decoded.header['alg'] === 'none') return checkUserContextToken(decoded, ctx);
  if (text(decoded.claims, 'iss') === ENTRA_ISSUER) return checkEntraToken(decoded, ctx);
  const problem = checkAcsToken(decoded, ctx);
  if (problem) return problem;
  const subject = text(decoded.claims, 'nameid');
  return PARTNER_PRINCIPALS.includes(principalOf(subject)) ? { ok: true } : fail('no partner application');
}

export type AssertionVerdict =
  | { readonly ok: true; readonly issuer: string }
  | { readonly ok: false; readonly why: 'malformed' | 'signature' | 'time' | 'audience' };

/** Checks a JWT-bearer client assertion: signed by a trusted certificate, in time, addressed to ACS, with an issuer. */
export function checkClientAssertion(
  assertion: string, trustedKeys: ReadonlyMap<string, KeyObject>, nowSeconds: number,
): AssertionVerdict {
  const decoded = decodeToken(assertion);
  if (!decoded) return { ok: false, why: 'malformed' };
  const ctx: TokenCheckContext = { trustedKeys, trustedIssuers: [], host: '', nowSeconds };
  if (!signatureValid(decoded, ctx)) return { ok: false, why: 'signature' };
  if (timeProblem(decoded.claims, nowSeconds)) return { ok: false, why: 'time' };
  if (!text(decoded.claims, 'aud').startsWith(`${Principal.acs}/`)) return { ok: false, why: 'audience' };
  const issuer = text(decoded.claims, 'iss');
  return issuer ? { ok: true, issuer } : { ok: false, why: 'malformed' };
}
