// Reading and writing baseline files (`scan --baseline`, `scan --write-baseline`).
import { writeFile } from 'node:fs/promises';
import { readSmallFile } from '../config/small-file.js';
import { InputError } from '../model/index.js';
import { parseBaseline, type BaselineFile } from './baseline.js';

/** The baseline at `path`; a missing, unreadable or malformed file is an InputError (one line, exit 2). */
export async function readBaselineFile(path: string): Promise<BaselineFile> {
  // Bounded like every configuration input: a FIFO or /dev/zero named as the baseline cannot hang the run.
  const text = (await readSmallFile({ path, what: 'baseline', origin: path, fileCodes: true, cannotRead: (reason) => `cannot read baseline (${reason})` })).toString('utf8');
  if (text.trim() === '') throw new InputError('bad-baseline', 'is empty, not a baseline: write one with scan --write-baseline FILE', path);
  return parseBaseline(text, path);
}

/** Writes a baseline at `path` (pretty JSON, one entry per finding). */
export async function writeBaselineFile(path: string, baseline: BaselineFile): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new InputError('unreadable', `cannot write baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path);
  }
}
