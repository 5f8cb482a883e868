// yauzl's RandomAccessReader over one open file, served from a 256 KiB block: the central directory's
// records and small entries cost one file read per block instead of several reads per record.
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** Bytes read at once; ranges longer than this are streamed from the file directly. */
const BLOCK_BYTES = 256 * 1024;

export class BlockFileReader extends yauzl.RandomAccessReader {
  #block = Buffer.alloc(0);
  #blockStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null) => void): void {
    this.#copy(buffer, offset, length, position).then(() => callback(null), callback);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (end - start > BLOCK_BYTES) return this.handle.createReadStream({ start, end: end - 1, autoClose: false });
    const range = (): Promise<Buffer> => this.range(start, end - start);
    return Readable.from(
      (async function* () {
        const out = await range();
        if (out.length > 0) yield out;
      })(),
      { objectMode: false },
    );
  }

  /** `length` bytes at `position`, as a new buffer. */
  async range(position: number, length: number): Promise<Buffer> {
    const out = Buffer.alloc(length);
    await this.#copy(out, 0, length, position);
    return out;
  }

  override close(callback: (error: Error | null) => void): void {
    this.handle.close().then(() => callback(null), callback);
  }

  /** Copies `length` bytes at `position` into `buffer`; fails when the file ends first. */
  async #copy(buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
    if (position + length > this.size) throw new Error(`unexpected end of file: ${length} bytes at offset ${position} of ${this.size}`);
    if (length > BLOCK_BYTES) {
      for (let done = 0; done < length; ) {
        const { bytesRead } = await this.handle.read(buffer, offset + done, length - done, position + done);
        if (bytesRead === 0) throw new Error(`short read at offset ${position + done}`);
        done += bytesRead;
      }
      return;
    }
    const inBlock = position >= this.#blockStart && position + length <= this.#blockStart + this.#block.length;
    if (!inBlock) {
      const block = Buffer.alloc(Math.min(BLOCK_BYTES, this.size - position));
      const { bytesRead } = await this.handle.read(block, 0, block.length, position);
      this.#block = block.subarray(0, bytesRead);
      this.#blockStart = position;
    }
    const from = position - this.#blockStart;
    if (from + length > this.#block.length) throw new Error(`short read at offset ${position}`);
    this.#block.copy(buffer, offset, from, from + length);
  }
}
