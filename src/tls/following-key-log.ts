// A key log file followed as it grows (`tail -f`): a live capture's new TLS sessions find the secrets their clients log after the scan started.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { AnomalySink } from '../model/index.js';
import { KeyLog, type ClientRandomSecrets } from './key-log.js';

/** Most bytes read from the file in one look (a key log line is under 300 bytes). */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/**
 * A KeyLog that, when asked for secrets it does not have, first reads the lines appended to its
 * file since the last look (whole lines only: a line being written is taken on the next miss), as
 * Wireshark re-reads its key log. A file that shrank was rewritten: it is read again from the
 * start. Lookups that hit never touch the file; it does not watch the file in the background.
 */
export class FollowingKeyLog extends KeyLog {
  readonly #path: string;
  readonly #onAnomaly: AnomalySink;
  /** Bytes of the file taken so far (up to the end of its last whole line). */
  #offset = 0;

  /** `offset`: the bytes of the file already loaded (by whoever read it first). */
  constructor(path: string, onAnomaly: AnomalySink, offset = 0) {
    super();
    this.#path = path;
    this.#onAnomaly = onAnomaly;
    this.#offset = offset;
  }

  /** Reads what was appended since the last look; true when there was something new. */
  readAppended(): boolean {
    let fd: number | undefined;
    try {
      const size = statSync(this.#path).size;
      if (size < this.#offset) this.#offset = 0;
      if (size === this.#offset) return false;
      fd = openSync(this.#path, 'r');
      const bytes = Buffer.alloc(Math.min(size - this.#offset, MAX_READ_BYTES));
      const read = readSync(fd, bytes, 0, bytes.length, this.#offset);
      const lastNewline = bytes.subarray(0, read).lastIndexOf(0x0a);
      if (lastNewline < 0) return false;
      this.#offset += lastNewline + 1;
      this.load(bytes.toString('latin1', 0, lastNewline + 1), { file: this.#path }, this.#onAnomaly);
      return true;
    } catch {
      // Gone or unreadable for now: what is known stays; the next miss looks again.
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  override secretsFor(clientRandom: Buffer): ClientRandomSecrets | undefined {
    return super.secretsFor(clientRandom) ?? (this.readAppended() ? super.secretsFor(clientRandom) : undefined);
  }

  override rsaPremaster(encryptedPremaster: Buffer): Buffer | undefined {
    return super.rsaPremaster(encryptedPremaster) ?? (this.readAppended() ? super.rsaPremaster(encryptedPremaster) : undefined);
  }
}
