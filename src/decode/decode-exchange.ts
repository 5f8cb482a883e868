// decodeExchange: every credential, challenge and x-ms-diagnostics in one exchange. Pure and
// synchronous; it finds and decodes, it never judges (rules do).
import type {
  CredentialLocation,
  CredentialScheme,
  CredentialSighting,
  DecodedCredential,
  DecodedExchange,
  ExchangeId,
  HttpBody,
  HttpExchange,
  HttpHeaders,
} from '../model/index.js';
import { Secret } from '../model/index.js';
import { decodeAuthorization } from './authorization.js';
import { parseChallengeHeaders } from './challenges.js';
import { credentialOfField, relatedFieldsOf, type FieldContext } from './field-credentials.js';
import { decodeCompactJwt, isJwtShaped } from './jwt.js';
import {
  bodyFormatOf,
  formFields,
  jsonFields,
  queryFields,
  requestCookies,
  responseCookies,
  type Field,
} from './message-fields.js';
import { parseMsDiagnostics } from './ms-diagnostics.js';
import { boundedMemo } from './bounded-memo.js';

/** One Secret per distinct raw value, so its fingerprint is hashed once however often it recurs. */
const tokenSecretOf = boundedMemo((raw) => new Secret(raw));
const passwordSecretOf = boundedMemo((raw) => new Secret(raw, { lowEntropy: true }));

/** Opaque field values that are passwords or client secrets (see field-credentials.ts). */
const PASSWORD_HINTS: ReadonlySet<string | undefined> = new Set(['password', 'client-secret']);

/**
 * Whether a credential may hold a password, and so gets a keyed fingerprint: Basic, Digest, NTLM
 * (also inside Negotiate), password and client_secret fields, and values of unknown schemes.
 * Bearer tokens, JWTs wherever they travel, Kerberos tickets and known token kinds do not.
 */
export function mayHoldPassword(scheme: CredentialScheme, decoded: DecodedCredential): boolean {
  if (decoded.type === 'jwt' || decoded.type === 'kerberos' || scheme === 'bearer') return false;
  if (decoded.type === 'opaque') return decoded.hint === undefined || PASSWORD_HINTS.has(decoded.hint);
  return true;
}

/** Headers looked at per message; the rest of a header flood is ignored. */
const MAX_HEADERS = 512;
const AUTHORIZATION_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** What one sighting needs beyond its exchange's id, its own id and its direction. */
interface Found {
  readonly location: CredentialLocation;
  readonly scheme: CredentialScheme;
  readonly schemeName: string;
  readonly raw: string;
  readonly decoded: DecodedCredential;
  readonly related?: Readonly<Record<string, string>> | undefined;
}

/** Decodes one exchange, numbered `exchangeId` in its scan; never throws. */
export function decodeExchange(ex: HttpExchange, exchangeId: ExchangeId): DecodedExchange {
  const requestHeaders = firstHeaders(ex.request.headers);
  const responseHeaders = firstHeaders(ex.response?.headers ?? []);
  const fromRequest = [
    ...authorizationCredentials(requestHeaders),
    ...fieldCredentials(queryFields(ex.request.uri), 'query', (name) => ({ type: 'query', name })),
    ...cookieCredentials(requestCookies(requestHeaders)),
    ...bodyCredentials(requestHeaders, ex.request.body, 'request'),
  ];
  const fromResponse = ex.response
    ? [
        ...cookieCredentials(responseCookies(responseHeaders)),
        ...bodyCredentials(responseHeaders, ex.response.body, 'response'),
      ]
    : [];
  const credentials: CredentialSighting[] = [];
  const idPrefix = `${ex.stream ?? ex.connection ?? -1}:${ex.indexInStream}:`;
  // A literal with `related` added in place (a conditional spread takes V8's slow path), pushed in a loop.
  const add = (found: Found, direction: 'request' | 'response'): void => {
    const sighting: { -readonly [K in keyof CredentialSighting]: CredentialSighting[K] } = {
      kind: 'credential',
      id: `${idPrefix}${credentials.length}`,
      exchangeId,
      direction,
      location: found.location,
      scheme: found.scheme,
      schemeName: found.schemeName,
      value: mayHoldPassword(found.scheme, found.decoded) ? passwordSecretOf(found.raw) : tokenSecretOf(found.raw),
      decoded: found.decoded,
    };
    if (found.related !== undefined) sighting.related = found.related;
    credentials.push(sighting);
  };
  for (const found of fromRequest) add(found, 'request');
  for (const found of fromResponse) add(found, 'response');
  return {
    exchangeId,
    exchange: ex,
    credentials,
    challenges: parseChallengeHeaders(responseHeaders),
    diagnostics: parseMsDiagnostics(responseHeaders),
  };
}

/** At most MAX_HEADERS headers (copied only when there are more). */
function firstHeaders(headers: HttpHeaders): HttpHeaders {
  return headers.length > MAX_HEADERS ? headers.slice(0, MAX_HEADERS) : headers;
}

function authorizationCredentials(headers: HttpHeaders): Found[] {
  const found: Found[] = [];
  const occurrences = new Map<string, number>();
  for (const [name, value] of headers) {
    const lowerName = name.toLowerCase();
    if (!AUTHORIZATION_HEADERS.has(lowerName)) continue;
    const index = occurrences.get(lowerName) ?? 0;
    occurrences.set(lowerName, index + 1);
    const { scheme, schemeName, credentials, decoded } = decodeAuthorization(value);
    found.push({ location: { type: 'header', name, index }, scheme, schemeName, raw: credentials, decoded });
  }
  return found;
}

function fieldCredentials(
  fields: Iterable<Field>,
  context: FieldContext,
  locate: (name: string) => CredentialLocation,
  related?: Readonly<Record<string, string>>,
): Found[] {
  const found: Found[] = [];
  for (const [name, value] of fields) {
    const credential = credentialOfField(context, name, value);
    if (credential) found.push({ location: locate(name), schemeName: '', raw: value, related, ...credential });
  }
  return found;
}

function cookieCredentials(cookies: readonly Field[]): Found[] {
  return cookies
    .filter(([, value]) => isJwtShaped(value))
    .map(([name, value]) => ({
      location: { type: 'cookie', name },
      scheme: 'bearer',
      schemeName: '',
      raw: value,
      decoded: decodeCompactJwt(value),
    }));
}

function bodyCredentials(headers: HttpHeaders, body: HttpBody, message: 'request' | 'response'): Found[] {
  if (body.bytes.length === 0) return [];
  const format = bodyFormatOf(headers);
  if (format === 'form') {
    const fields = formFields(body);
    const related = relatedFieldsOf(new Map(fields));
    return fieldCredentials(fields, 'form', (name) => ({ type: 'form', name, message }), related);
  }
  if (format === 'json') {
    const members = jsonFields(body);
    const strings = [...members].filter((member): member is [string, string] => typeof member[1] === 'string');
    return fieldCredentials(strings, 'json', (name) => ({ type: 'json', name, message }), relatedFieldsOf(members));
  }
  return [];
}
