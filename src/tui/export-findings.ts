// `e` in the dashboard: the listed findings (and their exchanges) as a JSON scan report in a file.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DecodedExchange, ScanResult } from '../model/index.js';
import { formatJson } from '../report/format-json.js';
import type { ReportMeta } from '../report/report-meta.js';
import type { FindingEntry } from './dashboard-model.js';

/** `oauth-inspect-findings-20261123T211403Z.json` for the given time. */
export function exportFileName(now: Date): string {
  return `oauth-inspect-findings-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`;
}

/** The findings as a ScanResult: each finding's exchange listed once, in arrival order. */
export function findingsResult(files: readonly string[], entries: readonly FindingEntry[]): ScanResult {
  const exchanges: DecodedExchange[] = [];
  let lastRowSeq = -1;
  for (const entry of entries) {
    if (entry.row.seq === lastRowSeq) continue;
    lastRowSeq = entry.row.seq;
    exchanges.push(entry.row.judgement.decoded);
  }
  return { files, exchanges, findings: entries.map((entry) => entry.finding), ruleErrors: [], anomalies: [] };
}

/** Writes the report (masked unless `showSecrets`) into `directory`; resolves to the file's path. */
export async function exportFindings(
  directory: string,
  files: readonly string[],
  entries: readonly FindingEntry[],
  meta: ReportMeta,
  showSecrets: boolean,
  now = new Date(),
): Promise<string> {
  const path = join(directory, exportFileName(now));
  await writeFile(path, formatJson(findingsResult(files, entries), meta, { showSecrets }));
  return path;
}
