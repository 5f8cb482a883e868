// `scan --write-baseline FILE` as an addon: every finding of the scan (accepted ones too) recorded as a baseline entry.
import type { Finding } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import { baselineEntry, baselineOf, type BaselineEntry } from './baseline.js';
import { writeBaselineFile } from './baseline-file.js';
import { stableExchangeIdOf } from './scan-view.js';

export interface BaselineWriter extends InspectorAddon {
  /** Entries recorded so far. */
  readonly entries: number;
}

/**
 * Records each finding as it is judged (beyond the report's limits, so the baseline is whole) and
 * writes the file at the end. Findings an older baseline accepted are recorded too, so that
 * `--baseline F --write-baseline F` keeps what is still there and drops what was fixed.
 */
export async function baselineWriterAddon(path: string, tool: string): Promise<BaselineWriter> {
  // Created before the scan: a path that cannot be written stops the run at once.
  await writeBaselineFile(path, baselineOf([], tool));
  const entries: BaselineEntry[] = [];
  const add = (findings: readonly Finding[] | undefined): void => {
    for (const finding of findings ?? []) entries.push(baselineEntry(finding));
  };
  return {
    name: 'baseline writer',
    get entries() {
      return entries.length;
    },
    judged(judgement) {
      add(judgement.findings);
      add(judgement.suppressed);
    },
    captureFindings: add,
    async done(summary) {
      // Accepted findings about the capture itself never reach a hook: they are in the result.
      add(summary.result.suppressed?.filter((finding) => stableExchangeIdOf(finding) === null));
      await writeBaselineFile(path, baselineOf(entries, tool));
    },
  };
}
