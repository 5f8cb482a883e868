// The rule registry: an explicit map of every rule by id, sorted by id.
import type { Rule } from './define-rule.js';
import { captureUnreadable } from './pack/capture-unreadable.js';
import { challengeWithoutBearer } from './pack/challenge-without-bearer.js';
import { cleartextCredential } from './pack/cleartext-credential.js';
import { issuerNotTrusted } from './pack/issuer-not-trusted.js';
import { msDiagnostics } from './pack/ms-diagnostics.js';
import { noBasicAuth } from './pack/no-basic-auth.js';
import { noLegacyAuth } from './pack/no-legacy-auth.js';
import { s2sActorChain } from './pack/s2s-actor-chain.js';
import { s2sAudienceFormat } from './pack/s2s-audience-format.js';
import { s2sIssuerFormat } from './pack/s2s-issuer-format.js';
import { s2sRealmMismatch } from './pack/s2s-realm-mismatch.js';
import { tokenExpired } from './pack/token-expired.js';
import { tokenInUrl } from './pack/token-in-url.js';
import { tokenMalformed } from './pack/token-malformed.js';
import { tokenNotYetValid } from './pack/token-not-yet-valid.js';
import { tokenSignatureInvalid } from './pack/token-signature-invalid.js';
import { tokenSignatureUnverified } from './pack/token-signature-unverified.js';
import { tokenUnknownSigner } from './pack/token-unknown-signer.js';
import { tokenUnsigned } from './pack/token-unsigned.js';

export const rules: Readonly<Record<string, Rule>> = {
  'capture-unreadable': captureUnreadable,
  'challenge-without-bearer': challengeWithoutBearer,
  'cleartext-credential': cleartextCredential,
  'issuer-not-trusted': issuerNotTrusted,
  'ms-diagnostics': msDiagnostics,
  'no-basic-auth': noBasicAuth,
  'no-legacy-auth': noLegacyAuth,
  's2s-actor-chain': s2sActorChain,
  's2s-audience-format': s2sAudienceFormat,
  's2s-issuer-format': s2sIssuerFormat,
  's2s-realm-mismatch': s2sRealmMismatch,
  'token-expired': tokenExpired,
  'token-in-url': tokenInUrl,
  'token-malformed': tokenMalformed,
  'token-not-yet-valid': tokenNotYetValid,
  'token-signature-invalid': tokenSignatureInvalid,
  'token-signature-unverified': tokenSignatureUnverified,
  'token-unknown-signer': tokenUnknownSigner,
  'token-unsigned': tokenUnsigned,
};

/** Every rule, sorted by id. */
export const ruleList: readonly Rule[] = Object.values(rules);

export const ruleIds: readonly string[] = Object.keys(rules);

export function getRule(id: string): Rule | undefined {
  return Object.hasOwn(rules, id) ? rules[id] : undefined;
}
