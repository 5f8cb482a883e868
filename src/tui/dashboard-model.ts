// DashboardModel: the bounded state behind the dashboard: recent exchanges and findings, counters, filter, cursors.
import type { Finding, Severity } from '../model/index.js';
import { timestampToSeconds } from '../model/index.js';
import type { Judgement } from '../model/index.js';
import { BoundedRing } from './bounded-ring.js';
import { exchangeRowOf, SCHEME_BUCKETS, type ExchangeRow, type SchemeBucket } from './exchange-row.js';
import { findingMatches, parseFilter, rowMatches, type RowFilter } from './filter.js';
import { ListView } from './list-view.js';
import { Timeline } from './timeline.js';

export interface FindingEntry {
  readonly seq: number;
  /** The exchange row the finding belongs to (it may be evicted from the table before the finding). */
  readonly row: ExchangeRow;
  readonly finding: Finding;
}

export interface DashboardModelOptions {
  /** Exchanges kept (oldest evicted first); counters stay exact beyond. Default 100,000. */
  readonly capacity?: number;
  /** Findings kept for the findings list. Default 100,000. */
  readonly findingCapacity?: number;
  /** Keep the cursor on the newest exchange as new ones arrive (live view). */
  readonly follow?: boolean;
}

export interface DashboardCounts {
  exchanges: number;
  credentials: number;
  readonly findings: Record<Severity, number>;
  readonly schemes: Record<SchemeBucket, number>;
  anomalies: number;
}

export class DashboardModel {
  readonly rows: BoundedRing<ExchangeRow>;
  readonly findingStore: BoundedRing<FindingEntry>;
  readonly exchanges: ListView;
  readonly findings: ListView;
  readonly timeline = new Timeline();
  readonly counts: DashboardCounts = {
    exchanges: 0,
    credentials: 0,
    findings: { error: 0, warning: 0, note: 0 },
    schemes: Object.fromEntries(SCHEME_BUCKETS.map((b) => [b, 0])) as Record<SchemeBucket, number>,
    anomalies: 0,
  };
  #filter: RowFilter = parseFilter('');

  constructor(options: DashboardModelOptions = {}) {
    this.rows = new BoundedRing(options.capacity ?? 100_000);
    this.findingStore = new BoundedRing(options.findingCapacity ?? 100_000);
    this.exchanges = new ListView(options.follow === true);
    this.findings = new ListView(options.follow === true);
  }

  get filter(): RowFilter {
    return this.#filter;
  }

  push(judgement: Judgement): ExchangeRow {
    const row = this.rows.push((seq) => exchangeRowOf(seq, judgement));
    this.counts.exchanges++;
    this.counts.credentials += judgement.decoded.credentials.length;
    this.counts.schemes[row.scheme]++;
    this.timeline.add(timestampToSeconds(judgement.decoded.exchange.request.time), judgement.findings.length);
    this.exchanges.dropBelow(this.rows.firstSeq);
    if (rowMatches(this.#filter, row)) this.exchanges.append(row.seq);
    for (const finding of judgement.findings) {
      this.counts.findings[finding.severity]++;
      const entry = this.findingStore.push((seq) => ({ seq, row, finding }));
      if (findingMatches(this.#filter, row, finding)) this.findings.append(entry.seq);
    }
    this.findings.dropBelow(this.findingStore.firstSeq);
    return row;
  }

  /** Applies a new filter text to everything held; cursors stay on their items when still listed. */
  setFilter(text: string): void {
    this.#filter = parseFilter(text);
    const rows: number[] = [];
    for (let seq = this.rows.firstSeq; seq < this.rows.nextSeq; seq++) {
      const row = this.rows.get(seq);
      if (row && rowMatches(this.#filter, row)) rows.push(seq);
    }
    this.exchanges.reset(rows, this.exchanges.selectedSeq);
    const findings: number[] = [];
    for (let seq = this.findingStore.firstSeq; seq < this.findingStore.nextSeq; seq++) {
      const entry = this.findingStore.get(seq);
      if (entry && findingMatches(this.#filter, entry.row, entry.finding)) findings.push(seq);
    }
    this.findings.reset(findings, this.findings.selectedSeq);
  }

  get selectedRow(): ExchangeRow | undefined {
    const seq = this.exchanges.selectedSeq;
    return seq === undefined ? undefined : this.rows.get(seq);
  }

  get selectedFinding(): FindingEntry | undefined {
    const seq = this.findings.selectedSeq;
    return seq === undefined ? undefined : this.findingStore.get(seq);
  }

  /** The exchange rows in the table's visible window of `height` rows. */
  visibleRows(height: number): ExchangeRow[] {
    return visible(this.exchanges, this.rows, height);
  }

  visibleFindings(height: number): FindingEntry[] {
    return visible(this.findings, this.findingStore, height);
  }

  /** Every listed finding (what `e` exports), oldest first. */
  listedFindings(): FindingEntry[] {
    const out: FindingEntry[] = [];
    for (let i = 0; i < this.findings.length; i++) {
      const entry = this.findingStore.get(this.findings.at(i) ?? -1);
      if (entry) out.push(entry);
    }
    return out;
  }
}

function visible<T>(view: ListView, store: BoundedRing<T>, height: number): T[] {
  const start = view.windowStart(height);
  const end = Math.min(view.length, start + height);
  const out: T[] = [];
  for (let i = start; i < end; i++) {
    const item = store.get(view.at(i) ?? -1);
    if (item !== undefined) out.push(item);
  }
  return out;
}
