// WWW-Authenticate / Proxy-Authenticate headers to AuthChallenge objects (Bearer params, NTLM blobs).
import type { AuthChallenge, HttpHeaders, NtlmMessage } from '../model/index.js';
import { parseAuthList, type AuthElement } from './auth-list.js';
import { decodeBase64Strict } from './base64.js';
import { parseNtlm } from './ntlm.js';
import { decodeNegotiateBytes } from './spnego.js';

const CHALLENGE_HEADERS = new Set(['www-authenticate', 'proxy-authenticate']);

/** Every challenge in the headers, in wire order. */
export function parseChallengeHeaders(headers: HttpHeaders): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const [name, value] of headers) {
    if (!CHALLENGE_HEADERS.has(name.toLowerCase())) continue;
    for (const element of parseAuthList(value)) challenges.push(toChallenge(name, element));
  }
  return challenges;
}

function toChallenge(header: string, element: AuthElement): AuthChallenge {
  const params = Object.fromEntries(element.params);
  const trustedIssuers = element.params.get('trusted_issuers');
  const tokenTypes = element.params.get('token_types');
  const ntlm = element.token68 !== undefined ? ntlmChallengeOf(element.scheme, element.token68) : undefined;
  // Optional members added in place, in this order (conditional spreads take V8's slow path).
  const challenge: { -readonly [K in keyof AuthChallenge]: AuthChallenge[K] } = { scheme: element.scheme, header, params };
  if (element.token68 !== undefined) challenge.token68 = element.token68;
  if (trustedIssuers !== undefined) challenge.trustedIssuers = splitList(trustedIssuers, ',');
  if (tokenTypes !== undefined) challenge.tokenTypes = splitList(tokenTypes, /\s+/);
  if (ntlm !== undefined) challenge.ntlm = ntlm;
  return challenge;
}

/** The NTLM message in an `NTLM <blob>` or `Negotiate <blob>` challenge. */
function ntlmChallengeOf(scheme: string, token68: string): NtlmMessage | undefined {
  const bytes = decodeBase64Strict(token68);
  if (!bytes) return undefined;
  const lowerScheme = scheme.toLowerCase();
  if (lowerScheme === 'ntlm') return parseNtlm(bytes);
  if (lowerScheme !== 'negotiate') return undefined;
  const decoded = decodeNegotiateBytes(bytes);
  return decoded.type === 'ntlm' ? decoded.ntlm : undefined;
}

function splitList(text: string, separator: string | RegExp): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
