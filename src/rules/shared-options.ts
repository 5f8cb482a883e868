// Option schemas that several rules declare under the same name. A name means one thing: every
// rule that takes it declares this same schema, so a shared top-level setting fits them all.
import type { OptionSchema } from './define-rule.js';

const principalNames = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

/** token-expired, token-not-yet-valid. */
export const clockSkewSeconds: OptionSchema = {
  type: 'integer',
  minimum: 0,
  description: 'How far exp / nbf may be from the capture time, in seconds.',
};

/** s2s-issuer-format, s2s-audience-format. */
export const s2sOnly: OptionSchema = {
  type: 'boolean',
  description: 'Judge Entra ID tokens (iss https://sts.windows.net/<tid>/) by the S2S formats too, and report them as not S2S.',
};

/** A list of names (realms, principals, hosts); empty means not checked. */
export function nameList(description: string): OptionSchema {
  return { ...principalNames, description };
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
