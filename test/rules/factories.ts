// Rule-test factories: exchanges, JWTs, sightings and decoded exchanges built by hand in one line.
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
  type HttpExchange,
  type MsDiagnostic,
  type TlsInfo,
} from '../../src/model/index.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, type ResolvedConfig } from '../../src/config/resolved-config.js';
import { emptyTrustStore } from '../../src/config/trust-store.js';

export const TENANT = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
export const HOST = 'mail.contoso.test';
export const SKYPE = '00000004-0000-0ff1-ce00-000000000000';
export const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
export const ACS = '00000001-0000-0000-c000-000000000000';
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
  readonly actor?: DecodedJwt;
  readonly actorError?: string;
}

/** A DecodedJwt as decode/ would produce it; NumericDates are read from string or number claims. */
export function makeJwt(input: JwtInput): DecodedJwt {
  const header = input.header ?? { typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' };
  const signature = input.signature ?? (header['alg'] === 'none' ? '' : 'c2lnbmF0dXJl');
  const claims = { ...input.claims };
  const numeric = (name: string) => (claims[name] === undefined ? undefined : Number(claims[name]));
  const nbf = numeric('nbf');
  const exp = numeric('exp');
  return {
    header,
    claims,
    unsigned: signature === '',
    compact: new Secret(`${b64url(header)}.${b64url(claims)}.${signature}`),
    ...(nbf !== undefined ? { nbf } : {}),
    ...(exp !== undefined ? { exp } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.actorError ? { actorError: input.actorError } : {}),
  };
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
      actortoken: '(signed actor token)',
      smtp: 'user@contoso.test',
      ...overrides,
    },
    actor,
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

export function makeSighting(exchange: HttpExchange, input: SightingInput): CredentialSighting {
  const scheme = input.scheme ?? 'bearer';
  return {
    kind: 'credential',
    id: input.id ?? `s${++sightingCounter}`,
    exchange,
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

export function challenge(scheme: string, header = 'WWW-Authenticate'): AuthChallenge {
  return { scheme, header, params: {} };
}

export interface DecodedInput {
  readonly exchange?: HttpExchange;
  readonly credentials?: ReadonlyArray<SightingInput>;
  readonly challenges?: readonly AuthChallenge[];
  readonly diagnostics?: readonly MsDiagnostic[];
}

/** A DecodedExchange; the sightings are built on its exchange. */
export function decodedExchange(input: DecodedInput = {}): DecodedExchange {
  const exchange = input.exchange ?? testExchange();
  return {
    exchange,
    credentials: (input.credentials ?? []).map((c) => makeSighting(exchange, c)),
    challenges: input.challenges ?? [],
    diagnostics: input.diagnostics ?? [],
  };
}

/** A request to `HOST` presenting `jwt` as `Authorization: Bearer`. */
export function bearerExchange(jwt: DecodedJwt, exchange: HttpExchange = testExchange()): DecodedExchange {
  return decodedExchange({ exchange, credentials: [{ decoded: { type: 'jwt', jwt } }] });
}

export function testConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    expectedRealms: [],
    expectedIssuerPrincipals: [],
    audienceHosts: [],
    clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
    s2sOnly: false,
    rules: {},
    trustStore: emptyTrustStore,
    ...overrides,
  };
}

/** A DecodedJwt for a real compact JWS (as signed with jose in the signature tests). */
export function jwtFromCompact(compact: string, actor?: DecodedJwt): DecodedJwt {
  const [header = '', claims = '', signature = ''] = compact.split('.');
  const parse = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: parse(header), claims: parse(claims), unsigned: signature === '', compact: new Secret(compact), ...(actor ? { actor } : {}) };
}
