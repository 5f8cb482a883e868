// HandshakeReader: gathers handshake messages from one direction's handshake records, across records.

/** Largest handshake message kept (certificate chains included); larger ones stop the reader. */
export const MAX_HANDSHAKE_MESSAGE = 1024 * 1024;

export interface HandshakeSink {
  /** `message` is the whole message, 4-byte header included (for the session hash). */
  message(type: number, body: Buffer, message: Buffer): void;
  malformed(detail: string): void;
}

export class HandshakeReader {
  #pending: Buffer | undefined;
  #stopped = false;

  constructor(private readonly sink: HandshakeSink) {}

  feed(bytes: Buffer): void {
    if (this.#stopped) return;
    let buffer = this.#pending === undefined ? bytes : Buffer.concat([this.#pending, bytes]);
    this.#pending = undefined;
    let offset = 0;
    while (buffer.length - offset >= 4) {
      const length = buffer.readUIntBE(offset + 1, 3);
      if (length > MAX_HANDSHAKE_MESSAGE) {
        this.sink.malformed(`handshake message of ${length} bytes is beyond the ${MAX_HANDSHAKE_MESSAGE}-byte limit`);
        this.#stopped = true;
        return;
      }
      if (buffer.length - offset - 4 < length) break;
      const message = buffer.subarray(offset, offset + 4 + length);
      this.sink.message(buffer[offset]!, message.subarray(4), message);
      offset += 4 + length;
      if (this.#stopped) return;
    }
    if (offset < buffer.length) {
      buffer = buffer.subarray(offset);
      this.#pending = Buffer.from(buffer);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#pending = undefined;
  }
}
