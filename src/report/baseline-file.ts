// Reading and writing baseline files (`scan --baseline`, `scan --write-baseline`).
import { readFile, writeFile } from 'node:fs/promises';
import { InputError } from '../model/index.js';
import { parseBaseline, type BaselineFile } from './baseline.js';

/** The baseline at `path`; a missing, unreadable or malformed file is an InputError (one line, exit 2). */
export async function readBaselineFile(path: string): Promise<BaselineFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'not-found' : 'unreadable', `cannot read baseline (${code ?? String(error)})`, path);
  }
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
