// VerificationResult: what checking one token's signature against the trust store found.

/** Which token of the sighting was checked: the token itself, or the signed actor inside it. */
export type VerifiedToken = 'token' | 'actor';

export interface SignerSummary {
  readonly subject: string;
  /** Upper-case hex SHA-1 thumbprint. */
  readonly thumbprint: string;
  readonly origin: string;
}

export type VerificationResult =
  | { readonly status: 'valid'; readonly token: VerifiedToken; readonly signer: SignerSummary }
  | {
      readonly status: 'invalid';
      readonly token: VerifiedToken;
      readonly signer: SignerSummary;
      /** Short reason from the verifier (never the token). */
      readonly reason: string;
    }
  | {
      readonly status: 'unknown-signer';
      readonly token: VerifiedToken;
      /** The key identifiers the token named, e.g. `x5t=XqrnFE…`, or `(none)`. */
      readonly keyIds: string;
    };
