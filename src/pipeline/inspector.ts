// The Inspector: every source feeds it exchanges and anomalies; it judges them once and calls each output (addon) through typed hooks.
import type { ResolvedConfig } from '../config/index.js';
import type { Anomaly, ExchangeId, Finding, HttpExchange, Judgement, ScanResult, Severity } from '../model/index.js';
import { InputError } from '../model/errors.js';
import { createRuleEngine } from '../rules/index.js';
import { ExchangeJudge } from './exchange-judge.js';
import { FrameOrder, LIVE_HOLD_MS, framed, type FrameKey } from './frame-order.js';
import { maskExchange } from './mask-exchange.js';
import { DEFAULT_SCAN_LIMITS, ScanCollector, type ScanLimits } from './scan-collector.js';

/** What a whole inspection gave, when its sources are done (or it was stopped). */
export interface InspectionSummary {
  /** The bounded result every report is made from. */
  readonly result: ScanResult;
  /** Findings per severity, counted over every finding (also those beyond the limits). */
  readonly findingCounts: Readonly<Record<Severity, number>>;
  readonly worstSeverity?: Severity;
  readonly exchangeCount: number;
  readonly droppedExchanges: number;
  readonly droppedFindings: number;
  /** True when the inspection was stopped (the signal was aborted) before its sources were done. */
  readonly stopped: boolean;
}

/**
 * An output. Every hook is optional: `exchange` for each exchange a source hands over (bodies
 * included, for recorders; its secrets masked unless `recordSecrets`), in the order the sources
 * delivered them, one per turn of the event loop, so before or after its `judged`; `judged` once
 * it is decoded and judged (in frame order); `anomaly` and `captureFindings` as they happen; and
 * `done` once at the end, after every other hook. Findings and rule errors reach addons with their
 * credential values masked already. A hook that throws is logged and the other addons go on
 * (mitmproxy's safecall).
 */
export interface InspectorAddon {
  /** For log lines: `json report`, `har recorder`. */
  readonly name: string;
  exchange?(exchange: HttpExchange): void;
  judged?(judgement: Judgement): void;
  anomaly?(anomaly: Anomaly): void;
  /** Findings about the capture itself (what could not be read), which belong to no exchange. */
  captureFindings?(findings: readonly Finding[]): void;
  done?(summary: InspectionSummary): void | Promise<void>;
}

/** How much has been judged so far (every exchange and finding, also those beyond the report limits). */
export interface JudgedCounts {
  readonly exchanges: number;
  readonly findings: number;
}

export interface InspectorOptions {
  readonly limits?: ScanLimits;
  /** What the exchange time is called in messages: `the capture time` (default), `now` for live traffic. */
  readonly clockLabel?: string;
  /** Stops the inspection: later exchanges are ignored and sources should stop reading. */
  readonly signal?: AbortSignal;
  /** Where a failing addon is reported (one line each time). */
  readonly log?: (line: string) => void;
  /** Hand the `exchange` hook exchanges with their secrets (`--record-secrets`); masked by default. */
  readonly recordSecrets?: boolean;
  /**
   * True for a finding a baseline accepted: it moves to the judgement's `suppressed`, out of the
   * findings addons stream, the counts and the exit decision (called once per finding).
   */
  readonly suppress?: (finding: Finding) => boolean;
}

export class Inspector {
  readonly #addons: readonly InspectorAddon[];
  readonly #collector: ScanCollector;
  readonly #judge: ExchangeJudge;
  /** Judgements go to addons in Wireshark's frame order (exchanges complete out of request order). */
  readonly #ordered: FrameOrder<FrameKey & { readonly value: Judgement }>;
  readonly #signal: AbortSignal | undefined;
  readonly #log: (line: string) => void;
  /** The first output that could not be written: thrown by finish(). */
  #outputError: InputError | undefined;
  /** The first output that failed with anything but an InputError (a bug): the run then ends as an internal error. */
  #outputFailure: string | undefined;
  /** Whether any addon has an `exchange` hook (else exchanges are not kept or masked for it). */
  readonly #recorded: boolean;
  readonly #recordSecrets: boolean;
  /** Whether any addon has a `judged` hook (else judgements are not ordered for it). */
  readonly #judgedHooks: boolean;
  /** Exchanges waiting for the `exchange` hook, and the loop handing them over. */
  #toRecord: HttpExchange[] = [];
  readonly #suppress: ((finding: Finding) => boolean) | undefined;
  #recording: Promise<void> | undefined;
  #finished = false;
  /** The id the next exchange gets: exchanges are numbered from 1 in the order sources hand them over. */
  #nextExchangeId: ExchangeId = 1;

  constructor(config: ResolvedConfig, addons: readonly InspectorAddon[], options: InspectorOptions = {}) {
    this.#addons = addons;
    this.#collector = new ScanCollector(options.limits ?? DEFAULT_SCAN_LIMITS);
    this.#signal = options.signal;
    this.#log = options.log ?? (() => undefined);
    this.#recorded = addons.some((addon) => addon.exchange !== undefined);
    this.#judgedHooks = addons.some((addon) => addon.judged !== undefined);
    this.#recordSecrets = options.recordSecrets === true;
    this.#ordered = new FrameOrder((item) => this.#call('judged', (addon) => addon.judged?.(item.value)));
    const engine = createRuleEngine(config, undefined, options.clockLabel === undefined ? {} : { clockLabel: options.clockLabel });
    const suppress = options.suppress;
    this.#suppress = suppress;
    this.#judge = new ExchangeJudge(
      config,
      (judged) => {
        const judgement = suppress ? withSuppressed(judged, suppress) : judged;
        this.#collector.add(judgement);
        // Put in frame order only for outputs that take judgements one by one (a whole-scan report does not).
        if (this.#judgedHooks) this.#ordered.push(framed(judgement.decoded.exchange, judgement));
      },
      engine,
      // Findings the report will drop are only counted, unless an output or the baseline reads each one.
      this.#judgedHooks || suppress ? undefined : this.#collector.room,
    );
  }

  /** Exchanges and findings judged until now (a progress display polls it). */
  readonly counts = (): JudgedCounts => {
    const findings = this.#collector.findingCounts;
    return { exchanges: this.#collector.exchangeCount, findings: findings.error + findings.warning + findings.note };
  };

  /** True once the signal is aborted: sources stop handing exchanges over. */
  get stopped(): boolean {
    return this.#signal?.aborted === true;
  }

  /** A source hands an exchange over. */
  readonly exchange = (exchange: HttpExchange): void => {
    if (this.stopped || this.#finished) return;
    if (this.#recorded) {
      this.#toRecord.push(exchange);
      this.#recording ??= this.#record();
    }
    this.#judge.submit(exchange, this.#nextExchangeId++);
  };

  /**
   * Hands the waiting exchanges to the `exchange` hook, masked, one per turn of the event loop:
   * masking a body near the cap takes a while, and a live source's other clients go first.
   */
  async #record(): Promise<void> {
    while (this.#toRecord.length > 0) {
      const batch = this.#toRecord;
      this.#toRecord = [];
      for (const exchange of batch) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        let handed: HttpExchange;
        try {
          handed = this.#recordSecrets ? exchange : maskExchange(exchange);
        } catch (error) {
          // Never hand an unmasked exchange on: this one is left out of the recordings.
          this.#log(`masking an exchange failed, not recorded: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        this.#call('exchange', (addon) => addon.exchange?.(handed));
      }
    }
    this.#recording = undefined;
  }

  /** A source is live (stdin, a FIFO): judgements are handed on within LIVE_HOLD_MS, not held for ordering until the end. */
  readonly live = (): void => {
    this.#ordered.holdAtMost(LIVE_HOLD_MS);
  };

  /** A source reports something it could not read normally; anomaly rules may make it a finding. */
  readonly anomaly = (anomaly: Anomaly): void => {
    if (this.#finished) return;
    this.#collector.addAnomaly(anomaly);
    this.#call('anomaly', (addon) => addon.anomaly?.(anomaly));
    const judged = this.#judge.judgeAnomaly(anomaly);
    const run: typeof judged & { readonly suppressed?: readonly Finding[] } = this.#suppress ? withSuppressed(judged, this.#suppress) : judged;
    if (run.suppressed?.length) this.#collector.addSuppressed(run.suppressed);
    if (run.findings.length === 0 && run.ruleErrors.length === 0) return;
    this.#collector.addFindings(run.findings, run.ruleErrors);
    if (run.findings.length > 0) this.#call('captureFindings', (addon) => addon.captureFindings?.(run.findings));
  };

  /** Waits for the exchanges still being judged (signature checks are asynchronous) and recorded, and hands every held judgement on (end of a source). */
  async drained(): Promise<void> {
    await this.#judge.drained();
    this.#ordered.flush();
    while (this.#recording) await this.#recording;
  }

  /** Ends the inspection: waits for judging, then calls every addon's `done` with the summary. */
  async finish(files: readonly string[]): Promise<InspectionSummary> {
    await this.drained();
    this.#finished = true;
    const collector = this.#collector;
    const worst = collector.worstSeverity;
    const summary: InspectionSummary = {
      result: collector.result(files),
      findingCounts: collector.findingCounts,
      ...(worst ? { worstSeverity: worst } : {}),
      exchangeCount: collector.exchangeCount,
      droppedExchanges: collector.droppedExchanges,
      droppedFindings: collector.droppedFindings,
      stopped: this.stopped,
    };
    for (const addon of this.#addons) {
      try {
        await addon.done?.(summary);
      } catch (error) {
        this.#failed(addon, 'done', error);
      }
    }
    if (this.#outputError !== undefined) throw this.#outputError;
    // The other outputs had their turn; a run whose output broke is not a pass (exit 3, not 0 or 1).
    if (this.#outputFailure !== undefined) throw new Error(`${this.#outputFailure}: the run's output is incomplete`);
    return summary;
  }

  /** Calls one hook on every addon; a throwing addon is logged and the others go on. */
  #call(hook: string, call: (addon: InspectorAddon) => void): void {
    for (const addon of this.#addons) {
      try {
        call(addon);
      } catch (error) {
        this.#failed(addon, hook, error);
      }
    }
  }

  #failed(addon: InspectorAddon, hook: string, error: unknown): void {
    // An output that cannot be written (a full disk, a report path gone) is the user's to fix: the
    // run ends with that one line and exit 2 once every output has had its turn, never a pass.
    if (error instanceof InputError) {
      this.#outputError ??= error;
      return;
    }
    const line = `output ${addon.name} failed in ${hook}: ${error instanceof Error ? error.message : String(error)}`;
    this.#outputFailure ??= `output ${addon.name} failed`;
    this.#log(line);
  }
}

/** The findings a baseline accepts moved to `suppressed`. */
function withSuppressed<T extends { readonly findings: readonly Finding[] }>(judged: T, suppress: (finding: Finding) => boolean): T & { readonly suppressed?: readonly Finding[] } {
  const suppressed = judged.findings.filter(suppress);
  if (suppressed.length === 0) return judged;
  return { ...judged, findings: judged.findings.filter((finding) => !suppressed.includes(finding)), suppressed };
}
