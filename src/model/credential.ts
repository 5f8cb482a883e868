// CredentialSighting: one credential or challenge seen in an exchange, with what decoding found.
import type { ExchangeId } from './exchange-place.js';
import type { HttpExchange } from './http.js';
import type { Secret } from './secret.js';

/** Where in the exchange the credential travelled. */
export type CredentialLocation =
  | { readonly type: 'header'; readonly name: string; readonly index: number }
  | { readonly type: 'query'; readonly name: string }
  | { readonly type: 'form'; readonly name: string; readonly message: 'request' | 'response' }
  | { readonly type: 'json'; readonly name: string; readonly message: 'request' | 'response' }
  | { readonly type: 'cookie'; readonly name: string };

export type CredentialScheme =
  | 'bearer'
  | 'basic'
  | 'ntlm'
  | 'negotiate'
  | 'digest'
  | 'other';

/** A decoded compact JWS/JWT, signature masked; values as jose decoded them. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  /** True when the third segment is empty (alg none). */
  readonly unsigned: boolean;
  /**
   * True when the signature was masked by a recording (oauth-inspect writes masked HARs with the
   * signature replaced by `A`s): it cannot be verified, and that is not the token's fault.
   */
  readonly signatureMasked?: boolean;
  /** The signing input and signature, for signature verification; never printed. */
  readonly compact: Secret;
  /** x5t / kid decoded to the hex certificate thumbprint (SHA-1 for x5t), when present. */
  readonly x5tThumbprint?: string;
  readonly kidThumbprint?: string;
  /** NumericDates read as numbers (Microsoft sends them as JSON strings). */
  readonly nbf?: number;
  readonly exp?: number;
  readonly iat?: number;
  /** The nested `actortoken` claim, decoded, when present. */
  readonly actor?: DecodedJwt;
  /** Set when the actor token is present but does not decode. */
  readonly actorError?: string;
  /** Oddities met while decoding, e.g. a NumericDate that is not a number. */
  readonly notes?: readonly string[];
}

export interface NtlmMessage {
  readonly messageType: 1 | 2 | 3;
  readonly domain?: string;
  readonly user?: string;
  readonly workstation?: string;
  readonly targetName?: string;
  /** Flags as hex, for the curious. */
  readonly flags?: string;
}

/** Segments of a compact JWS, named as RFC 7515 names them. */
export type JwsSegment = 'header' | 'payload' | 'signature';

/** What decoded of a JWT that does not decode as a whole. */
export interface PartialJwt {
  /** The segment the error is about. */
  readonly failed: JwsSegment;
  /** The JOSE header, when its segment decodes to a JSON object. */
  readonly header?: Readonly<Record<string, unknown>>;
  /** The claims, when the payload segment decodes to a JSON object (an actortoken claim masked). */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** The signature segment: present, empty (unsigned), or missing (fewer than three segments). */
  readonly signature: 'present' | 'empty' | 'missing';
}

/** What the value turned out to be, once decoded. */
export type DecodedCredential =
  | { readonly type: 'jwt'; readonly jwt: DecodedJwt }
  | {
      readonly type: 'jwt-malformed';
      /** What is wrong, precisely: the segment, and the position or parser message. */
      readonly error: string;
      /** The segments that did decode (as jwt.ms shows them); absent when the token cannot be split. */
      readonly partial?: PartialJwt;
    }
  | { readonly type: 'opaque'; readonly hint?: string }
  | { readonly type: 'basic'; readonly user: string; readonly malformed?: string }
  | { readonly type: 'ntlm'; readonly ntlm: NtlmMessage; readonly wrapped?: 'spnego' }
  | { readonly type: 'kerberos' }
  | { readonly type: 'digest'; readonly params: Readonly<Record<string, string>> }
  | { readonly type: 'empty' }
  | { readonly type: 'undecodable'; readonly error: string };

/** A credential sent by a client (request side) or handed out by a server (token response). */
export interface CredentialSighting {
  readonly kind: 'credential';
  readonly id: string;
  /** The exchange it was seen in: its DecodedExchange has the same id. */
  readonly exchangeId: ExchangeId;
  readonly direction: 'request' | 'response';
  readonly location: CredentialLocation;
  readonly scheme: CredentialScheme;
  /** Scheme word exactly as sent, e.g. `Bearer`, `NTLM`, `MsRtcOAuth`. */
  readonly schemeName: string;
  /** The raw credential value (after the scheme word). */
  readonly value: Secret;
  readonly decoded: DecodedCredential;
  /**
   * Fields that travelled with the credential in the same message, as sent (strings):
   * token_type, expires_in, expires_on, not_before, ext_expires_in, resource.
   */
  readonly related?: Readonly<Record<string, string>>;
}

/** One challenge from WWW-Authenticate / Proxy-Authenticate, with RFC 7235 params parsed. */
export interface AuthChallenge {
  readonly scheme: string;
  readonly header: string;
  /** auth-params, names lower-cased; values unquoted. */
  readonly params: Readonly<Record<string, string>>;
  /** token68 form (e.g. an NTLM type-2 blob), when present. */
  readonly token68?: string;
  /** `trusted_issuers` split on commas, trimmed. */
  readonly trustedIssuers?: readonly string[];
  /** `token_types` split on spaces. */
  readonly tokenTypes?: readonly string[];
  /** Decoded NTLM CHALLENGE (type 2) when the token68 is NTLMSSP. */
  readonly ntlm?: NtlmMessage;
}

export interface MsDiagnostic {
  readonly code: string;
  readonly reason?: string;
  readonly errorCategory?: string;
  readonly raw: string;
}

/** Everything decode found in one exchange. */
export interface DecodedExchange {
  /** The exchange's id in its scan; its sightings carry the same. */
  readonly exchangeId: ExchangeId;
  /** The exchange; its bodies are dropped once it is judged (see Judgement), nothing refers to it but this. */
  readonly exchange: HttpExchange;
  readonly credentials: readonly CredentialSighting[];
  readonly challenges: readonly AuthChallenge[];
  readonly diagnostics: readonly MsDiagnostic[];
}
