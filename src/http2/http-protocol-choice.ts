// HttpProtocolChoice: picks HTTP/1.x or HTTP/2 for one connection (ALPN, the h2c preface, or Upgrade: h2c -> 101).
import type { Direction, TcpStreamInfo, Timestamp } from '../model/index.js';
import { headerValue } from '../model/index.js';
import type { StreamHandler } from '../reassembly/stream-handler.js';
import { HttpStreamParser, type HttpStreamContext, type ProtocolSwitch } from '../http1/http-stream-parser.js';
import { CONNECTION_PREFACE, matchesPreface } from './connection-preface.js';
import { Http2Connection } from './http2-connection.js';

/** Server bytes held while the client's first bytes are awaited (an h2c server may speak first). */
const MAX_HELD_BYTES = 64 * 1024;

type HeldInput =
  | { readonly direction: Direction; readonly bytes: Buffer; readonly frame: number; readonly time: Timestamp }
  | { readonly direction: Direction; readonly missing: number; readonly frame: number; readonly time: Timestamp; readonly snapLength?: number };

/**
 * Chooses on the first data: ALPN `h2` (TLS) or a client that starts with the connection preface
 * (h2c with prior knowledge, any port) gets an Http2Connection; anything else the HTTP/1 parser,
 * which hands a connection over to HTTP/2 when a request with `Upgrade: h2c` is answered 101.
 * Input that arrives before the choice is held (bounded) and replayed in order.
 */
export class HttpProtocolChoice implements StreamHandler {
  #target: StreamHandler | undefined;
  #held: HeldInput[] = [];
  #heldBytes = 0;
  #clientStart: Buffer = Buffer.alloc(0);

  constructor(
    private readonly info: TcpStreamInfo,
    private readonly context: HttpStreamContext,
  ) {}

  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): void | boolean {
    if (this.#target !== undefined) return this.#target.data(direction, bytes, frame, time);
    const alpn = this.context.tls?.()?.alpn;
    if (alpn !== undefined) return this.#choose(alpn === 'h2' ? 'h2' : 'http1').data(direction, bytes, frame, time);
    if (direction === 'client') {
      const start = Buffer.concat([this.#clientStart, bytes.subarray(0, CONNECTION_PREFACE.length)]);
      const verdict = matchesPreface(start);
      if (verdict !== 'maybe') return this.#choose(verdict === 'yes' ? 'h2' : 'http1').data(direction, bytes, frame, time);
      this.#clientStart = start;
    }
    this.#heldBytes += bytes.length;
    if (this.#heldBytes > MAX_HELD_BYTES) return this.#choose('http1').data(direction, bytes, frame, time);
    this.#held.push({ direction, bytes: Buffer.from(bytes), frame, time });
    return true;
  }

  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    if (this.#target === undefined && direction === 'client' && this.context.tls?.()?.alpn === undefined) this.#choose('http1');
    if (this.#target !== undefined) return this.#target.gap(direction, missing, frame, time, snapLength);
    this.#held.push({ direction, missing, frame, time, ...(snapLength !== undefined && { snapLength }) });
  }

  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused'): void {
    (this.#target ?? this.#choose('http1')).end(reason);
  }

  #choose(protocol: 'h2' | 'http1'): StreamHandler {
    const target = protocol === 'h2' ? new Http2Connection(this.info, this.context) : new HttpStreamParser(this.info, { ...this.context, switchProtocols: (upgrade) => this.#upgrade(upgrade) });
    this.#target = target;
    const held = this.#held;
    this.#held = [];
    this.#clientStart = Buffer.alloc(0);
    for (const input of held) {
      if ('missing' in input) target.gap(input.direction, input.missing, input.frame, input.time, input.snapLength);
      else target.data(input.direction, input.bytes, input.frame, input.time);
    }
    return target;
  }

  /** `Upgrade: h2c` answered 101: the same connection goes on in HTTP/2, the request being stream 1's. */
  #upgrade(upgrade: ProtocolSwitch): StreamHandler | undefined {
    if (headerValue(upgrade.switching.headers, 'upgrade')?.trim().toLowerCase() !== 'h2c') return undefined;
    const settings = headerValue(upgrade.request.headers, 'http2-settings');
    return new Http2Connection(this.info, this.context, upgrade.requestDirection, {
      request: upgrade.request,
      switching: upgrade.switching,
      indexInStream: upgrade.indexInStream,
      ...(settings !== undefined && { clientSettings: Buffer.from(settings.trim(), 'base64url') }),
    });
  }
}
