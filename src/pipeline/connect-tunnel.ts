// Follows a CONNECT tunnel in a captured connection: after a CONNECT answered 2xx, the rest of the connection is read as a connection of its own (TLS, then HTTP), as Wireshark does.
import type { Direction, HttpExchange, Timestamp } from '../model/index.js';
import type { StreamHandler } from '../reassembly/stream-handler.js';

/** Builds the handler of the connection before the tunnel; it emits its exchanges through `emit`. */
export type OuterFactory = (emit: (ex: HttpExchange) => void) => StreamHandler;
/** Builds the handler of the bytes inside the tunnel; `firstIndex` is the indexInStream its first exchange takes. */
export type TunnelFactory = (firstIndex: number) => StreamHandler;

/**
 * Hands the connection to the outer handler until it emits a CONNECT answered 2xx (it does so as
 * it reads the end of that response), then every later byte and gap to a tunnel handler. It does
 * not look into the bytes itself, and a 101 upgrade is left to the outer handler.
 */
export class ConnectTunnelHandler implements StreamHandler {
  readonly #outer: StreamHandler;
  readonly #openTunnel: TunnelFactory;
  #tunnel: StreamHandler | undefined;
  #exchanges = 0;

  constructor(makeOuter: OuterFactory, openTunnel: TunnelFactory, emit: (ex: HttpExchange) => void) {
    this.#openTunnel = openTunnel;
    this.#outer = makeOuter((ex) => {
      this.#exchanges++;
      emit(ex);
      const status = ex.response?.status;
      if (this.#tunnel === undefined && ex.request.method === 'CONNECT' && status !== undefined && status >= 200 && status < 300) {
        this.#tunnel = this.#openTunnel(this.#exchanges);
      }
    });
  }

  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): boolean {
    if (this.#tunnel !== undefined) return this.#tunnel.data(direction, bytes, frame, time) !== false;
    const wanted = this.#outer.data(direction, bytes, frame, time) !== false;
    return wanted || this.#tunnel !== undefined;
  }

  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    (this.#tunnel ?? this.#outer).gap(direction, missing, frame, time, snapLength);
  }

  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused'): void {
    this.#outer.end(reason);
    this.#tunnel?.end(reason);
  }
}
