// Rule-test factories: exchanges, sightings and decoded exchanges in one line; JWTs are real compact
// tokens run through the real decoder, so rules are tested on what decode/ produces.
import { makeExchange, type ExchangeInput } from '../factories.js';
import {
  Secret,
  type AuthChallenge,
  type CredentialLocation,
  type CredentialScheme,
  type CredentialSighting,
  type DecodedCredential,
  type DecodedExchange,
  type DecodedJwt,
  type ExchangeId,
  type HttpExchange,
  type MsDiagnostic,
  type TlsInfo,
} from '../../src/model/index.js';
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import { decodeCompactJwt } from '../../src/decode/jwt.js';
import { createTrustStore, emptyTrustStore, type TrustStore, type TrustedCertificate } from '../../src/config/trust-store.js';

export const TENANT = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
export const HOST = 'mail.contoso.test';
export const SKYPE = '00000004-0000-0ff1-ce00-000000000000';
export const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
export const ACS = '00000001-0000-0000-c000-000000000000';
/** The ACS token service a client assertion is posted to (`/<realm>/tokens/OAuth/2`). */
export const ACS_HOST = 'accounts.accesscontrol.windows.net';
/** 2023-11-14T22:13:20Z: the capture time of every test exchange unless a case says otherwise. */
export const CAPTURE_SEC = 1_700_000_000;

export interface TestExchangeInput extends ExchangeInput {
  readonly host?: string;
  readonly timeSec?: number;
  readonly tls?: TlsInfo;
}

/** An exchange to `host` (Host header) captured at `timeSec`, with optional TLS details. */
export function testExchange(input: TestExchangeInput = {}): HttpExchange {
  const base = makeExchange({
    method: 'POST',
    uri: '/EWS/Exchange.asmx',
    ...input,
    requestHeaders: input.requestHeaders ?? { Host: input.host ?? HOST },
  });
  const time = { sec: input.timeSec ?? CAPTURE_SEC, nsec: 0 };
  return { ...base, request: { ...base.request, time }, ...(input.tls ? { tls: input.tls } : {}) };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface JwtInput {
  readonly header?: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  /** Signature segment; '' makes the token unsigned. Defaults to a fake signature for signed headers. */
  readonly signature?: string;
  /** The actor token, carried in the `actortoken` claim (replacing any given there). */
  readonly actor?: DecodedJwt;
}

/** A signature segment of only `A`s: how oauth-inspect's masked recordings hide signatures. */
export const MASKED_SIGNATURE = 'A'.repeat(342);

/** The compact JWS `header.claims.signature`, base64url-encoded as a token service writes it. */
export function compactJwt(input: JwtInput): string {
  const header = input.header ?? { typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' };
  const signature = input.signature ?? (header['alg'] === 'none' ? '' : 'c2lnbmF0dXJl');
  const claims = input.actor ? { ...input.claims, actortoken: input.actor.compact.reveal() } : input.claims;
  return `${b64url(header)}.${b64url(claims)}.${signature}`;
}

/**
 * The DecodedJwt decode/ makes of a compact token built from `input` (NumericDates read from
 * string or number claims, an `A`s signature marked as masked, the actor token decoded).
 */
export function makeJwt(input: JwtInput): DecodedJwt {
  return jwtFromCompact(compactJwt(input));
}

/** The DecodedJwt decode/ makes of a compact JWS (as signed with jose in the signature tests); throws when it does not decode. */
export function jwtFromCompact(compact: string): DecodedJwt {
  const decoded = decodeCompactJwt(compact);
  if (decoded.type !== 'jwt') throw new Error(`test token does not decode: ${decoded.type === 'jwt-malformed' ? decoded.error : decoded.type}`);
  return decoded.jwt;
}

/** An ACS-issued actor token for `caller` calling `host` in `realm`. */
export function actorToken(overrides: Record<string, unknown> = {}, realm = TENANT): DecodedJwt {
  return makeJwt({
    claims: {
      aud: `${EXCHANGE}/${HOST}@${realm}`,
      iss: `${ACS}@${realm}`,
      nameid: `${SKYPE}@${realm}`,
      nbf: String(CAPTURE_SEC - 600),
      exp: String(CAPTURE_SEC + 3600),
      trustedfordelegation: 'true',
      ...overrides,
    },
  });
}

/** The unsigned outer token of the user-context pattern, carrying `actor`. */
export function outerToken(actor: DecodedJwt = actorToken(), overrides: Record<string, unknown> = {}): DecodedJwt {
  return makeJwt({
    header: { typ: 'JWT', alg: 'none' },
    claims: {
      aud: `${EXCHANGE}/${HOST}@${TENANT}`,
      iss: `${SKYPE}@${TENANT}`,
      nameid: 'user@contoso.test',
      nbf: String(CAPTURE_SEC - 300),
      exp: String(CAPTURE_SEC + 3600),
      smtp: 'user@contoso.test',
      ...overrides,
    },
    actor,
  });
}

/**
 * An SfB client assertion (RFC 7523) for ACS's token endpoint: signed with the OAuth certificate,
 * `iss` and `sub` the calling principal, `aud` the token service in `realm`.
 */
export function clientAssertion(overrides: Record<string, unknown> = {}, realm = TENANT): DecodedJwt {
  return makeJwt({
    claims: {
      aud: `${ACS}/${ACS_HOST}@${realm}`,
      iss: `${SKYPE}@${realm}`,
      sub: `${SKYPE}@${realm}`,
      jti: '4b1e5a2c-6f0d-4c7e-9a51-0d6f2b8e3c11',
      nbf: String(CAPTURE_SEC - 60),
      exp: String(CAPTURE_SEC + 600),
      ...overrides,
    },
  });
}

export interface SightingInput {
  readonly scheme?: CredentialScheme;
  readonly schemeName?: string;
  readonly decoded: DecodedCredential;
  readonly location?: CredentialLocation;
  readonly direction?: 'request' | 'response';
  readonly value?: string;
  readonly id?: string;
}

let sightingCounter = 0;
let exchangeCounter = 0;

/** A fresh exchange id, as the Inspector numbers exchanges: each decoded test exchange gets its own. */
export function nextExchangeId(): ExchangeId {
  return ++exchangeCounter;
}

/** A sighting in the exchange numbered `exchangeId`. */
export function makeSighting(exchangeId: ExchangeId, input: SightingInput): CredentialSighting {
  const scheme = input.scheme ?? 'bearer';
  return {
    kind: 'credential',
    id: input.id ?? `s${++sightingCounter}`,
    exchangeId,
    direction: input.direction ?? 'request',
    location: input.location ?? { type: 'header', name: 'Authorization', index: 0 },
    scheme,
    schemeName: input.schemeName ?? scheme.charAt(0).toUpperCase() + scheme.slice(1),
    value: new Secret(input.value ?? (input.decoded.type === 'jwt' ? input.decoded.jwt.compact.reveal() : 'credential-value')),
    decoded: input.decoded,
  };
}

export function bearerChallenge(trustedIssuers?: readonly string[], extra: Record<string, string> = {}): AuthChallenge {
  const params: Record<string, string> = { client_id: EXCHANGE, ...extra };
  if (trustedIssuers) params['trusted_issuers'] = trustedIssuers.join(',');
  return {
    scheme: 'Bearer',
    header: 'WWW-Authenticate',
    params,
    ...(trustedIssuers ? { trustedIssuers } : {}),
  };
}

/** A challenge without parameters; `token68` is the blob of an NTLM/Negotiate handshake step. */
export function challenge(scheme: string, header = 'WWW-Authenticate', token68?: string): AuthChallenge {
  return { scheme, header, params: {}, ...(token68 !== undefined && { token68 }) };
}

export interface DecodedInput {
  readonly exchange?: HttpExchange;
  readonly credentials?: ReadonlyArray<SightingInput>;
  readonly challenges?: readonly AuthChallenge[];
  readonly diagnostics?: readonly MsDiagnostic[];
}

/** A DecodedExchange with a fresh id; the sightings are built on its exchange. */
export function decodedExchange(input: DecodedInput = {}): DecodedExchange {
  const exchangeId = nextExchangeId();
  return {
    exchangeId,
    exchange: input.exchange ?? testExchange(),
    credentials: (input.credentials ?? []).map((c) => makeSighting(exchangeId, c)),
    challenges: input.challenges ?? [],
    diagnostics: input.diagnostics ?? [],
  };
}

/** A request to `HOST` presenting `jwt` as `Authorization: Bearer`, decoded by decode/ as a scan decodes it. */
export function bearerExchange(jwt: DecodedJwt, exchange: HttpExchange = testExchange()): DecodedExchange {
  const headers = [...exchange.request.headers, ['Authorization', `Bearer ${jwt.compact.reveal()}`] as const];
  return presenting(jwt, decodeExchange({ ...exchange, request: { ...exchange.request, headers } }, nextExchangeId()));
}

/** A request presenting `jwt` in a field other than the Authorization header (query, form, JSON, cookie). */
export function fieldTokenExchange(jwt: DecodedJwt, location: CredentialLocation, exchange: HttpExchange = testExchange()): DecodedExchange {
  const token = jwt.compact.reveal();
  const request = exchange.request;
  const withHeader = (name: string, value: string) => [...request.headers, [name, value] as const];
  const body = (contentType: string, text: string) => ({
    headers: withHeader('Content-Type', contentType),
    body: { bytes: Buffer.from(text), wireLength: Buffer.byteLength(text), truncated: false },
  });
  const placed = {
    header: () => {
      throw new TypeError('a token in a header: use bearerExchange');
    },
    query: () => ({ uri: `${request.uri}${request.uri.includes('?') ? '&' : '?'}${location.name}=${token}` }),
    form: () => body('application/x-www-form-urlencoded', `${encodeURIComponent(location.name)}=${token}`),
    json: () => body('application/json', JSON.stringify({ [location.name]: token })),
    cookie: () => ({ headers: withHeader('Cookie', `${location.name}=${token}`) }),
  }[location.type]();
  return presenting(jwt, decodeExchange({ ...exchange, request: { ...request, ...placed } }, nextExchangeId()));
}

/** `decoded`, after checking that decode/ found `jwt` in it: a table must not pass because nothing was found. */
function presenting(jwt: DecodedJwt, decoded: DecodedExchange): DecodedExchange {
  const token = jwt.compact.reveal();
  if (!decoded.credentials.some((c) => c.decoded.type === 'jwt' && c.decoded.jwt.compact.reveal() === token)) {
    throw new Error('decode/ did not find the test token in the exchange');
  }
  return decoded;
}

/**
 * A client assertion posted to ACS's token endpoint in form field `client_assertion` (or the
 * `assertion` of the jwt-bearer grant, or a JSON body), as Skype for Business and Exchange do.
 */
export function assertionExchange(
  jwt: DecodedJwt,
  options: { readonly field?: string; readonly type?: 'form' | 'json'; readonly exchange?: HttpExchange } = {},
): DecodedExchange {
  const exchange = options.exchange ?? testExchange({ host: ACS_HOST, uri: `/${TENANT}/tokens/OAuth/2` });
  return fieldTokenExchange(jwt, { type: options.type ?? 'form', name: options.field ?? 'client_assertion', message: 'request' }, exchange);
}

/** The answers that weigh a request-side finding: the server took the token, or rejected it. */
export const ACCEPTED = 'HTTP 200';
export const REJECTED = 'HTTP 401 error="invalid_token"';
export const acceptedSuffix = `; the server accepted it (${ACCEPTED}), so this is information, not a failure`;
export const rejectedSuffix = `; the server rejected it (${REJECTED}), and this is a likely cause`;

/** `jwt` presented as Bearer to `host` and answered 200. */
export function acceptedExchange(jwt: DecodedJwt, host: string = HOST): DecodedExchange {
  return bearerExchange(jwt, testExchange({ host, status: 200 }));
}

/**
 * `jwt` presented as Bearer to `host` and answered as Exchange rejects a token: 401 with the
 * Bearer challenge (trusted_issuers `trusted`) and error="invalid_token".
 */
export function rejectedExchange(jwt: DecodedJwt, trusted: readonly string[] = [`${ACS}@*`], host: string = HOST): DecodedExchange {
  const challenge = `Bearer client_id="${EXCHANGE}", trusted_issuers="${trusted.join(',')}", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"`;
  return bearerExchange(jwt, testExchange({ host, status: 401, responseHeaders: { 'WWW-Authenticate': challenge } }));
}

/**
 * A trust store of `count` signing certificates, as `--cert` loads them (real public keys; the
 * thumbprints are those of the key, which is all the rules read).
 */
export function testTrustStore(count = 1): TrustStore {
  const certificates: TrustedCertificate[] = [];
  for (let i = 0; i < count; i++) {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    certificates.push({
      subject: `CN=Microsoft Exchange Server Auth Certificate ${i + 1}`,
      sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
      sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
      validFrom: new Date('2023-01-01T00:00:00Z'),
      validTo: new Date('2028-01-01T00:00:00Z'),
      publicKey,
      origin: `OAuthCert${i + 1}.cer`,
    });
  }
  return createTrustStore(certificates);
}

/** The configuration of a rule test: no settings, no options set (each rule runs with its defaults), no certificates. */
export function testConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return { rules: {}, ruleOptions: {}, trustStore: emptyTrustStore, ...overrides };
}
