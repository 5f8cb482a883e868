// An output path that names one of the inputs would truncate the capture before it is read.
import { stat } from 'node:fs/promises';
import { InputError } from '../model/index.js';
import { STDIN_PATH } from '../sources/input-file.js';

/** The file's identity (device and inode), or undefined when it does not exist or cannot be read. */
async function identity(path: string): Promise<string | undefined> {
  return stat(path).then(
    (s) => (s.isFile() ? `${s.dev}:${s.ino}` : undefined),
    () => undefined,
  );
}

/**
 * Refuses, before anything is opened for writing, an output (`-o`, `--record`, `--write-baseline`)
 * that is one of the inputs, a capture or the key log (the same file, by device and inode, whatever
 * the spelling): writing it would destroy it. One line naming the flag and the file, exit 2.
 */
export async function refuseOutputOverInput(outputs: ReadonlyArray<readonly [flag: string, path: string | undefined]>, inputs: readonly string[]): Promise<void> {
  const given = outputs.filter((output): output is readonly [string, string] => output[1] !== undefined);
  if (given.length === 0) return;
  const inputIds = new Set<string>();
  for (const input of inputs) {
    if (input === STDIN_PATH) continue;
    const id = await identity(input);
    if (id !== undefined) inputIds.add(id);
  }
  for (const [flag, path] of given) {
    const id = await identity(path);
    if (id !== undefined && inputIds.has(id)) {
      throw new InputError('bad-usage', `${flag} names an input of this run (a capture or the key log): writing it would destroy it; choose another file`, path);
    }
  }
}
