// Whether a run shows progress on stderr: a terminal there, no --quiet, and a large input (over 20 MB, or a pipe or FIFO).
import { fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ProgressLine, type ProgressTarget } from '../report/progress-line.js';
import { STDIN_PATH } from '../sources/input-file.js';
import type { CliIo } from './io.js';

/** Inputs up to this size are read too fast for progress to help. */
export const LARGE_INPUT_BYTES = 20 * 1024 * 1024;

export interface ProgressFlags {
  readonly quiet?: boolean;
  /** Lines stream to stdout as they are judged (jsonl, ecs): on the same terminal they are the progress. */
  readonly streamsToStdout?: boolean;
}

/**
 * The progress line for reading `files`, or undefined: none when stderr is not a terminal, with
 * `--quiet`, when stdout is a terminal that already shows streamed lines, and for inputs that are
 * regular files of at most LARGE_INPUT_BYTES in all. With a live input there is no percentage.
 */
export async function progressFor(files: readonly string[], flags: ProgressFlags, io: CliIo): Promise<ProgressLine | undefined> {
  if (io.stderr.isTTY !== true || flags.quiet === true) return undefined;
  if (flags.streamsToStdout === true && io.stdout.isTTY === true) return undefined;
  let total = 0;
  let live = false;
  for (const file of files) {
    try {
      const info = file === STDIN_PATH ? fstatSync(0) : await stat(file);
      if (info.isFile()) total += info.size;
      else if (!info.isDirectory()) live = true;
    } catch {
      // The scan says what is wrong with it.
    }
  }
  if (!live && total <= LARGE_INPUT_BYTES) return undefined;
  return new ProgressLine(io.stderr as ProgressTarget, live ? undefined : total);
}
