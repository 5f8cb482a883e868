// The dashboard's filter language: `host:mail rule:no-basic sev:error scheme:basic` and free text.
import type { Finding } from '../model/index.js';
import type { ExchangeRow } from './exchange-row.js';

export type FilterField = 'host' | 'rule' | 'scheme' | 'sev' | 'text';

export interface FilterTerm {
  readonly field: FilterField;
  /** Lower-cased. */
  readonly value: string;
}

/** A parsed filter: every term must match (AND). The empty filter matches everything. */
export interface RowFilter {
  readonly text: string;
  readonly terms: readonly FilterTerm[];
}

const FIELD_ALIASES: Readonly<Record<string, FilterField>> = {
  host: 'host',
  rule: 'rule',
  scheme: 'scheme',
  sev: 'sev',
  severity: 'sev',
};

export function parseFilter(text: string): RowFilter {
  const terms: FilterTerm[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
    const colon = word.indexOf(':');
    const field = colon > 0 ? FIELD_ALIASES[word.slice(0, colon).toLowerCase()] : undefined;
    if (field && colon < word.length - 1) terms.push({ field, value: word.slice(colon + 1).toLowerCase() });
    else terms.push({ field: 'text', value: word.toLowerCase() });
  }
  return { text: text.trim(), terms };
}

function findingMatchesTerm(term: FilterTerm, finding: Finding): boolean {
  switch (term.field) {
    case 'rule':
      return finding.ruleId.includes(term.value);
    case 'sev':
      return finding.severity.startsWith(term.value);
    case 'text':
      return finding.ruleId.includes(term.value) || finding.message.toLowerCase().includes(term.value);
    default:
      return false;
  }
}

function rowMatchesTerm(term: FilterTerm, row: ExchangeRow): boolean {
  const request = row.judgement.decoded.exchange.request;
  switch (term.field) {
    case 'host':
      return row.host.toLowerCase().includes(term.value);
    case 'scheme':
      return row.scheme.toLowerCase() === term.value;
    case 'text':
      return (
        row.host.toLowerCase().includes(term.value) ||
        request.uri.toLowerCase().includes(term.value) ||
        request.method.toLowerCase() === term.value ||
        row.scheme.toLowerCase() === term.value ||
        row.judgement.findings.some((f) => findingMatchesTerm(term, f))
      );
    default:
      return row.judgement.findings.some((f) => findingMatchesTerm(term, f));
  }
}

export function rowMatches(filter: RowFilter, row: ExchangeRow): boolean {
  for (const term of filter.terms) if (!rowMatchesTerm(term, row)) return false;
  return true;
}

/** A finding matches when its exchange matches the exchange terms and it matches the finding terms. */
export function findingMatches(filter: RowFilter, row: ExchangeRow, finding: Finding): boolean {
  for (const term of filter.terms) {
    const ok =
      term.field === 'rule' || term.field === 'sev'
        ? findingMatchesTerm(term, finding)
        : term.field === 'text'
          ? findingMatchesTerm(term, finding) || rowMatchesTerm(term, row)
          : rowMatchesTerm(term, row);
    if (!ok) return false;
  }
  return true;
}
