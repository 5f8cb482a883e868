// ConnectTunnelHandler: bytes go to the outer handler until a CONNECT is answered 2xx, then to a tunnel handler numbered after it.
import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../src/model/index.js';
import { ConnectTunnelHandler } from '../../src/pipeline/connect-tunnel.js';
import type { StreamHandler } from '../../src/reassembly/stream-handler.js';

const time = { seconds: 0, nanos: 0 } as never;

/** An exchange with just what the handler reads: method and status. */
const exchange = (method: string, status?: number): HttpExchange =>
  ({ request: { method }, ...(status !== undefined ? { response: { status } } : {}), indexInStream: 0 }) as unknown as HttpExchange;

/** A handler that records what it gets and, on data `emit:<METHOD> <status>`, emits that exchange. */
function recorder(log: string[], name: string, emit?: (ex: HttpExchange) => void): StreamHandler {
  return {
    data(direction, bytes) {
      const text = bytes.toString();
      log.push(`${name} ${direction} ${text}`);
      const match = /^emit:(\w+) (\d+)$/.exec(text);
      if (match) emit?.(exchange(match[1]!, Number(match[2])));
      return !text.startsWith('stop');
    },
    gap: (direction, missing) => void log.push(`${name} gap ${direction} ${missing}`),
    end: (reason) => void log.push(`${name} end ${reason}`),
  };
}

function run(inputs: string[]): { log: string[]; emitted: string[]; tunnels: number[] } {
  const log: string[] = [];
  const emitted: string[] = [];
  const tunnels: number[] = [];
  const handler = new ConnectTunnelHandler(
    (emit) => recorder(log, 'outer', emit),
    (firstIndex) => {
      tunnels.push(firstIndex);
      return recorder(log, 'tunnel');
    },
    (ex) => emitted.push(`${ex.request.method} ${ex.response?.status ?? '-'}`),
  );
  for (const input of inputs) {
    if (input.startsWith('gap')) handler.gap('server', 7, 1, time);
    else handler.data('client', Buffer.from(input), 1, time);
  }
  handler.end('fin');
  return { log, emitted, tunnels };
}

describe('ConnectTunnelHandler', () => {
  it('sends what follows a CONNECT answered 200 to the tunnel, whose first exchange comes after the CONNECT', () => {
    const { log, emitted, tunnels } = run(['emit:GET 200', 'emit:CONNECT 200', 'hello', 'gap']);
    expect(emitted).toEqual(['GET 200', 'CONNECT 200']);
    expect(tunnels).toEqual([2]);
    expect(log).toEqual(['outer client emit:GET 200', 'outer client emit:CONNECT 200', 'tunnel client hello', 'tunnel gap server 7', 'outer end fin', 'tunnel end fin']);
  });

  it('leaves a refused CONNECT and other methods to the outer handler', () => {
    const { log, tunnels } = run(['emit:CONNECT 407', 'emit:GET 101', 'more']);
    expect(tunnels).toEqual([]);
    expect(log.at(-2)).toBe('outer client more');
  });

  it('keeps the connection wanted once a tunnel opens, even when the outer handler wants no more', () => {
    const log: string[] = [];
    const handler = new ConnectTunnelHandler((emit) => ({ ...recorder(log, 'outer', emit), data: () => (emit(exchange('CONNECT', 200)), false) }), () => recorder(log, 'tunnel'), () => undefined);
    expect(handler.data('client', Buffer.from('x'), 1, time)).toBe(true);
    expect(handler.data('client', Buffer.from('stop'), 2, time)).toBe(false);
  });
});
