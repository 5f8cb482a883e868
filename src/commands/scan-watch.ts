// `scan --watch DIR`: the rotated captures of a folder (tcpdump -G/-W), each scanned once it is closed; where each file's report goes.
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../model/index.js';
import type { ReportFormat } from '../report/report-addon.js';
import { rotatedFiles } from '../sources/rotated-files.js';

/** The file name ending of each report format, for `--watch DIR -o OUTDIR`. */
const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = { text: 'txt', json: 'json', sarif: 'sarif', junit: 'xml' };

export interface WatchFlags {
  readonly watch?: string;
  readonly format: string;
  readonly tui?: boolean;
  readonly record?: string;
  readonly writeBaseline?: string;
}

/** Whether `format` writes one whole report (text, JSON, SARIF, JUnit) rather than lines as they are judged. */
export function isReportFormat(format: string): format is ReportFormat {
  return format in REPORT_EXTENSIONS;
}

/** The usage error of a `--watch` run, as one line, or undefined when the flags go together. */
export function watchUsageError(files: readonly string[], flags: WatchFlags): string | undefined {
  if (flags.watch === undefined) return files.length === 0 ? "missing required argument 'capture' (or --watch DIR)" : undefined;
  if (files.length > 0) return '--watch DIR reads the captures of DIR: give no capture arguments with it';
  if (flags.tui) return '--watch does not go with --tui';
  // One report per capture: a recording or a baseline of the whole watch needs one inspection (--format jsonl or ecs).
  if (isReportFormat(flags.format) && (flags.record !== undefined || flags.writeBaseline !== undefined)) {
    return `--watch with --format ${flags.format} writes one report per capture; --record and --write-baseline need --format jsonl or ecs`;
  }
  return undefined;
}

/** The closed captures of `dir` as tcpdump rotates them, until `signal` aborts (then the one being written). */
export async function watchedCaptures(dir: string, signal: AbortSignal, pollMs?: number): Promise<AsyncIterable<string>> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new InputError('not-found', `cannot watch (${(error as NodeJS.ErrnoException).code ?? String(error)})`, dir);
  }
  if (!isFolder) throw new InputError('bad-usage', '--watch needs a folder (tcpdump -G/-W writes its files there)', dir);
  return rotatedFiles(dir, { signal, ...(pollMs !== undefined ? { pollMs } : {}) });
}

/** Where the report of one watched capture goes with `-o OUTDIR`: `OUTDIR/<capture>.<ext>` (cap-1700000000.pcap.sarif). */
export function reportPathFor(outputDir: string, capture: string, format: ReportFormat): string {
  return join(outputDir, `${basename(capture)}.${REPORT_EXTENSIONS[format]}`);
}

/** Creates the report folder before the watch starts: a folder that cannot be made stops the run at once. */
export async function prepareReportFolder(outputDir: string): Promise<void> {
  try {
    await mkdir(outputDir, { recursive: true });
  } catch (error) {
    throw new InputError('unreadable', `cannot create the report folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`, outputDir);
  }
}

/**
 * Writes a report whole or not at all: to a hidden temporary name, then renamed, so a collector
 * watching the folder never picks up half a report.
 */
export async function writeReportAtomically(path: string, report: string): Promise<void> {
  const partial = join(path, '..', `.${basename(path)}.partial`);
  try {
    await writeFile(partial, report);
    await rename(partial, path);
  } catch (error) {
    throw new InputError('unreadable', `cannot write report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path);
  }
}
