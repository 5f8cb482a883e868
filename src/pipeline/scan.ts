// Wires a scan of files: each capture's exchanges and anomalies -> the Inspector -> its addons.
import type { ResolvedConfig } from '../config/index.js';
import { InputError, type Finding, type Severity } from '../model/index.js';
import { limitHeapGrowth } from './heap-growth.js';
import { Inspector, type InspectionSummary, type InspectorAddon, type InspectorOptions, type JudgedCounts } from './inspector.js';
import { readExchanges, type ReadOptions, type SourceSummary } from './read-exchanges.js';
import type { ScanLimits } from './scan-collector.js';

export { DEFAULT_SCAN_LIMITS, ScanCollector, type ScanLimits } from './scan-collector.js';

export interface ScanOutcome extends InspectionSummary {
  readonly sources: readonly SourceSummary[];
}

/** The Inspector's own options (limits, the stop signal, the log, recording secrets, a baseline), and how files are read. */
export interface ScanOptions extends Pick<InspectorOptions, 'limits' | 'signal' | 'log' | 'recordSecrets' | 'suppress'> {
  /** How files are read; its `signal` stops reading only (Ctrl-C on a live pipe): what was read is still judged and reported. */
  readonly read?: ReadOptions;
  /** Told when each file has been read and judged: when it started and how long it took. */
  readonly onSourceDone?: (summary: SourceSummary, started: Date, seconds: number) => void;
  /**
   * Told when a file cannot be read (not a capture, gone, unreadable): the scan then goes on with
   * the next file (`scan --watch`). Without it such a file ends the scan with its InputError.
   */
  readonly onUnreadable?: (error: InputError) => void;
  /** Told of the inspection's counts once it starts (a progress display polls them; inputs come through `read.onInput`). */
  readonly onCounts?: (counts: () => JudgedCounts) => void;
}

/** Scans the files in order through one Inspector and its addons; files may arrive over time (a watched folder). */
export async function scanFiles(
  files: Iterable<string> | AsyncIterable<string>,
  config: ResolvedConfig,
  addons: readonly InspectorAddon[] = [],
  options: ScanOptions = {},
): Promise<ScanOutcome> {
  limitHeapGrowth();
  const { read: _read, onSourceDone: _done, onUnreadable: _unreadable, onCounts: _counts, ...inspecting } = options;
  const inspector = new Inspector(config, addons, inspecting);
  options.onCounts?.(inspector.counts);
  const sources: SourceSummary[] = [];
  const read: string[] = [];
  const stopReading = anySignal(options.signal, options.read?.signal);
  for await (const file of files) {
    if (stopReading?.aborted) break;
    read.push(file);
    const started = new Date();
    const begin = performance.now();
    let summary: SourceSummary;
    try {
      // The judge's promise chain drains between the reader's chunks, so few exchanges wait.
      summary = await readExchanges(file, inspector, { ...options.read, ...(stopReading ? { signal: stopReading } : {}) });
    } catch (error) {
      if (error instanceof InputError && options.onUnreadable && !stopReading?.aborted) {
        options.onUnreadable(error);
        continue;
      }
      // Stopped while a live input had sent nothing yet.
      if (!stopReading?.aborted) throw error;
      break;
    }
    sources.push(summary);
    await inspector.drained();
    options.onSourceDone?.(summary, started, (performance.now() - begin) / 1000);
  }
  return { ...(await inspector.finish(read)), sources };
}

/** One signal for either (or undefined for neither). */
function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}
