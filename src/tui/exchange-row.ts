// ExchangeRow: what the dashboard keeps per judged exchange (the judgement plus its table keys).
import type { CredentialScheme, Severity } from '../model/index.js';
import { exchangeHost, worstSeverity } from '../model/index.js';
import type { Judgement } from '../model/index.js';

/** The auth-scheme buckets the chart and the `scheme:` filter use. */
export const SCHEME_BUCKETS = ['Bearer', 'Basic', 'NTLM', 'Negotiate', 'other', 'none'] as const;
export type SchemeBucket = (typeof SCHEME_BUCKETS)[number];

const BUCKET_OF: Readonly<Record<CredentialScheme, SchemeBucket>> = {
  bearer: 'Bearer',
  basic: 'Basic',
  ntlm: 'NTLM',
  negotiate: 'Negotiate',
  digest: 'other',
  other: 'other',
};

export interface ExchangeRow {
  /** Position in arrival order, 0-based, never reused. */
  readonly seq: number;
  readonly judgement: Judgement;
  readonly host: string;
  /** Scheme of the first credential the client sent, or `none`. */
  readonly scheme: SchemeBucket;
  /** Most severe finding on the exchange, if any. */
  readonly worst?: Severity;
}

export function exchangeRowOf(seq: number, judgement: Judgement): ExchangeRow {
  const sent = judgement.decoded.credentials.find((c) => c.direction === 'request');
  const worst = worstSeverity(judgement.findings);
  return {
    seq,
    judgement,
    host: exchangeHost(judgement.decoded.exchange),
    scheme: sent ? BUCKET_OF[sent.scheme] : 'none',
    ...(worst ? { worst } : {}),
  };
}
