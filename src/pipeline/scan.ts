// Wires a scan of files: each capture's exchanges and anomalies -> the Inspector -> its addons.
import type { ResolvedConfig } from '../config/index.js';
import type { Finding, Severity } from '../model/index.js';
import { limitHeapGrowth } from './heap-growth.js';
import { Inspector, type InspectionSummary, type InspectorAddon } from './inspector.js';
import { readExchanges, type ReadOptions, type SourceSummary } from './read-exchanges.js';
import type { ScanLimits } from './scan-collector.js';

export { DEFAULT_SCAN_LIMITS, ScanCollector, type ScanLimits } from './scan-collector.js';

export interface ScanOutcome extends InspectionSummary {
  readonly sources: readonly SourceSummary[];
}

export interface ScanOptions {
  readonly limits?: ScanLimits;
  /** How files are read; its `signal` stops reading only (Ctrl-C on a live pipe): what was read is still judged and reported. */
  readonly read?: ReadOptions;
  /** Stops the scan (the dashboard's `q`, Ctrl-C): the current file stops at its next chunk. */
  readonly signal?: AbortSignal;
  /** Where a failing output is reported. */
  readonly log?: (line: string) => void;
  /** Recorders get the exchanges with their secrets (`--record-secrets`). */
  readonly recordSecrets?: boolean;
  /** True for a finding a baseline accepted (see InspectorOptions.suppress). */
  readonly suppress?: (finding: Finding) => boolean;
  /** Told when each file has been read and judged: when it started and how long it took. */
  readonly onSourceDone?: (summary: SourceSummary, started: Date, seconds: number) => void;
}

/** Scans the files in order through one Inspector and its addons. */
export async function scanFiles(
  files: readonly string[],
  config: ResolvedConfig,
  addons: readonly InspectorAddon[] = [],
  options: ScanOptions = {},
): Promise<ScanOutcome> {
  limitHeapGrowth();
  const inspector = new Inspector(config, addons, {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.recordSecrets ? { recordSecrets: true } : {}),
    ...(options.suppress ? { suppress: options.suppress } : {}),
  });
  const sources: SourceSummary[] = [];
  const stopReading = anySignal(options.signal, options.read?.signal);
  for (const file of files) {
    if (stopReading?.aborted) break;
    const started = new Date();
    const begin = performance.now();
    let summary: SourceSummary;
    try {
      // The judge's promise chain drains between the reader's chunks, so few exchanges wait.
      summary = await readExchanges(file, inspector, { ...options.read, ...(stopReading ? { signal: stopReading } : {}) });
    } catch (error) {
      // Stopped while a live input had sent nothing yet.
      if (!stopReading?.aborted) throw error;
      break;
    }
    sources.push(summary);
    await inspector.drained();
    options.onSourceDone?.(summary, started, (performance.now() - begin) / 1000);
  }
  return { ...(await inspector.finish(files)), sources };
}

/** One signal for either (or undefined for neither). */
function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}
