// Watches a folder of rotated captures (tcpdump -G / -C / -W) and yields each file once it is closed.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../model/errors.js';

export interface RotatedFilesOptions {
  /** Stops watching; the file still being written is then yielded as far as it was written. */
  readonly signal: AbortSignal;
  /** How often the folder is listed (ms). */
  readonly pollMs?: number;
}

interface Seen {
  readonly name: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** Files compared by last modification, then name: the last one is the file tcpdump is writing. */
function newerFirst(a: Seen, b: Seen): number {
  return b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0);
}

/** Regular files of `dir` that are not hidden, with their size and modification time. */
async function listFiles(dir: string): Promise<Seen[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => !name.startsWith('.'));
  } catch (error) {
    // The folder was removed or made unreadable while watched: one line, not a stack.
    throw new InputError('unreadable', `cannot watch any more (${(error as NodeJS.ErrnoException).code ?? String(error)})`, dir);
  }
  const seen: Seen[] = [];
  for (const name of names) {
    try {
      const info = await stat(join(dir, name));
      if (info.isFile()) seen.push({ name, mtimeMs: info.mtimeMs, size: info.size });
    } catch {
      // Removed between readdir and stat (a ring buffer recycling it): the next listing decides.
    }
  }
  return seen;
}

/**
 * Yields the paths of `dir`'s captures once they are closed: a file is closed when another file
 * was modified after it (tcpdump opens the next file when it rotates). Files already closed at start
 * come first, oldest first. A ring buffer (`-W`) rewrites old names: a file is yielded again when
 * it closes with a new modification time or size. When `signal` aborts, the newest file (the one
 * being written) is yielded too, then the iteration ends.
 */
export async function* rotatedFiles(dir: string, options: RotatedFilesOptions): AsyncGenerator<string> {
  const pollMs = options.pollMs ?? 500;
  const yielded = new Map<string, string>();
  const version = (file: Seen): string => `${file.mtimeMs}/${file.size}`;
  for (;;) {
    const stopping = options.signal.aborted;
    const files = (await listFiles(dir)).sort(newerFirst);
    // The newest file is still being written, unless the watch is ending.
    const closed = (stopping ? files : files.slice(1)).reverse();
    for (const file of closed) {
      if (file.size === 0 || yielded.get(file.name) === version(file)) continue;
      yielded.set(file.name, version(file));
      yield join(dir, file.name);
    }
    if (stopping) return;
    // Node's timer promise: resolves after pollMs, rejects at once (ignored) when the watch stops.
    await sleep(pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
