// verifySignatures: checks each JWT sighting's signature (the actor token's in the outer/actor pattern).
import type { DecodedExchange, DecodedJwt } from '../../model/index.js';
import type { TrustStore, TrustedCertificate } from '../../config/trust-store.js';
import { jwtOf, signedTokenOf } from '../s2s/tokens.js';
import type { VerificationResult, VerifiedToken } from './verification-result.js';

/**
 * Verifies every signed JWT in the exchange against the trust store. Does nothing when the store
 * is empty. Does not judge expiry or claims (the rules do) and never throws on a bad token.
 */
export async function verifySignatures(
  decoded: DecodedExchange,
  trustStore: TrustStore,
): Promise<Map<string, VerificationResult>> {
  const results = new Map<string, VerificationResult>();
  if (trustStore.certificates.length === 0) return results;
  for (const sighting of decoded.credentials) {
    const jwt = jwtOf(sighting);
    const signed = jwt ? signedTokenOf(jwt) : undefined;
    // A signature masked by a recording cannot be checked; judging it would only report the masking.
    if (!signed || signed.jwt.signatureMasked) continue;
    results.set(sighting.id, await verifyToken(signed.jwt, signed.role === 'actor' ? 'actor' : 'token', trustStore));
  }
  return results;
}

async function verifyToken(jwt: DecodedJwt, token: VerifiedToken, trustStore: TrustStore): Promise<VerificationResult> {
  const thumbprints = keyThumbprints(jwt);
  const cert = thumbprints.map((hex) => trustStore.byThumbprint(hex)).find((c) => c !== undefined);
  if (!cert) return { status: 'unknown-signer', token, keyIds: keyIdsText(jwt) };
  const signer = summary(cert);
  try {
    // jose loads with the first signature to check: most scans give no certificate and never need it.
    const { compactVerify } = await import('jose');
    await compactVerify(jwt.compact.reveal(), cert.publicKey);
    return { status: 'valid', token, signer };
  } catch (err) {
    return { status: 'invalid', token, signer, reason: verifierReason(err) };
  }
}

/** Hex thumbprints the header names: x5t (SHA-1), x5t#S256, and kid when it decodes to a thumbprint. */
function keyThumbprints(jwt: DecodedJwt): string[] {
  const out: string[] = [];
  const add = (hex: string | undefined) => {
    if (hex && (hex.length === 40 || hex.length === 64)) out.push(hex);
  };
  add(jwt.x5tThumbprint ?? base64urlToHex(jwt.header['x5t']));
  add(base64urlToHex(jwt.header['x5t#S256']));
  add(jwt.kidThumbprint ?? base64urlToHex(jwt.header['kid']));
  return out;
}

function base64urlToHex(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  return Buffer.from(value, 'base64url').toString('hex');
}

function keyIdsText(jwt: DecodedJwt): string {
  const ids = ['x5t', 'x5t#S256', 'kid']
    .filter((name) => typeof jwt.header[name] === 'string')
    .map((name) => `${name}=${String(jwt.header[name])}`);
  return ids.length > 0 ? ids.join(' ') : '(no x5t or kid)';
}

function summary(cert: TrustedCertificate) {
  return { subject: cert.subject, thumbprint: cert.sha1, origin: cert.origin };
}

/** jose's error code and message; they describe the failure without quoting the token. */
function verifierReason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
