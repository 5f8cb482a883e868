// Wires a scan of files: each capture's exchanges and anomalies -> the Inspector -> its addons.
import type { ResolvedConfig } from '../config/index.js';
import type { Severity } from '../model/index.js';
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
  readonly read?: ReadOptions;
  /** Stops the scan (the dashboard's `q`, Ctrl-C): the current file stops at its next chunk. */
  readonly signal?: AbortSignal;
  /** Where a failing output is reported. */
  readonly log?: (line: string) => void;
  /** Recorders get the exchanges with their secrets (`--record-secrets`). */
  readonly recordSecrets?: boolean;
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
  });
  const sources: SourceSummary[] = [];
  for (const file of files) {
    if (inspector.stopped) break;
    // The judge's promise chain drains between the reader's chunks, so few exchanges wait.
    sources.push(await readExchanges(file, inspector, { ...options.read, ...(options.signal ? { signal: options.signal } : {}) }));
    await inspector.drained();
  }
  return { ...(await inspector.finish(files)), sources };
}

