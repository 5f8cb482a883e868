// Appends the proxy's TLS secrets as an NSS key log (SSLKEYLOGFILE format), so a capture taken beside the proxy opens decrypted.
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../model/index.js';

/**
 * A key log opened for appending: created 0600 when new (an existing file keeps its mode and its
 * lines), written line by line in the order given. It does not check or filter the lines: Node's
 * `keylog` events already give whole `CLIENT_RANDOM` / TLS 1.3 secret lines with their newline.
 */
export class KeyLogFile {
  readonly #file: FileHandle;
  /** The mode of an existing file that other users may read (0644), for a warning; else undefined. */
  readonly exposedMode: number | undefined;
  #writes: Promise<void> = Promise.resolve();
  #failure: unknown;

  private constructor(file: FileHandle, mode: number) {
    this.#file = file;
    this.exposedMode = (mode & 0o077) !== 0 ? mode & 0o777 : undefined;
  }

  /** Opens `path` for appending; an input error (one line, exit 2) when it cannot be written. */
  static async open(path: string): Promise<KeyLogFile> {
    try {
      const file = await open(path, 'a', 0o600);
      return new KeyLogFile(file, (await file.stat()).mode);
    } catch (error) {
      throw new InputError('unreadable', `cannot write the key log (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path, { cause: error });
    }
  }

  /** Queues one line; after a failed write the rest are dropped and `close` rejects with that failure. */
  write(line: Buffer): void {
    this.#writes = this.#writes.then(async () => {
      if (this.#failure !== undefined) return;
      try {
        await this.#file.write(line);
      } catch (error) {
        this.#failure = error;
      }
    });
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    await this.#writes;
    await this.#file.close();
    if (this.#failure !== undefined) throw this.#failure;
  }
}
