// TlsDetectingHandler: looks at a connection's first bytes and routes it through TLS decryption or straight on.
import type { Direction, TcpStreamInfo, Timestamp, TlsInfo } from '../model/index.js';
import type { StreamHandler } from '../reassembly/stream-handler.js';
import { TlsStreamDecryptor, type TlsContext } from './tls-stream-decryptor.js';

/** Builds the next stage; `tls` tells it, once known, what TLS the bytes came through. */
export type InnerHandlerFactory = (tls: () => TlsInfo | undefined) => StreamHandler;

/** A connection is TLS when its first bytes (either direction) start a TLS record of type 20–23, version 3.x. */
function startsLikeTls(bytes: Buffer): boolean {
  const type = bytes[0]!;
  return type >= 20 && type <= 23 && (bytes.length < 2 || bytes[1] === 3);
}

/**
 * Decides on the first data: TLS connections go through a TlsStreamDecryptor, anything else goes
 * to the inner handler unchanged. Gaps before the first data pass straight through.
 */
export class TlsDetectingHandler implements StreamHandler {
  readonly #inner: StreamHandler;
  #target: StreamHandler | undefined;
  #decryptor: TlsStreamDecryptor | undefined;

  constructor(
    private readonly info: TcpStreamInfo,
    makeInner: InnerHandlerFactory,
    private readonly context: TlsContext,
  ) {
    this.#inner = makeInner(() => this.#decryptor?.tlsInfo);
  }

  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): void | boolean {
    if (this.#target === undefined) {
      if (bytes.length === 0) return true;
      if (startsLikeTls(bytes)) {
        this.#decryptor = new TlsStreamDecryptor(this.info, this.#inner, this.context);
        this.#target = this.#decryptor;
      } else this.#target = this.#inner;
    }
    return this.#target.data(direction, bytes, frame, time);
  }

  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    (this.#target ?? this.#inner).gap(direction, missing, frame, time, snapLength);
  }

  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused'): void {
    (this.#target ?? this.#inner).end(reason);
  }
}
