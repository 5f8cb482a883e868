// Upstreams that hang and clients that idle: a 504 within --upstream-timeout, a 502 within --connect-timeout, idle tunnels closed.
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, startProxy, startSilentServer, startUpstream, type RunningProxy, type SilentServer, type Upstream } from './harness.js';

let running: RunningProxy;
let healthy: Upstream;
let slow: Upstream;
/** Accepts connections and never answers (no HTTP, no TLS handshake). */
let silent: SilentServer;
let silentPort: number;
const clients = new Set<net.Socket>();

beforeAll(async () => {
  running = await startProxy({ timeouts: { connectMs: 1000, upstreamMs: 1000, idleMs: 1000 } });
  healthy = await startUpstream();
  // Answers after 2.5 s: longer than the idle timeout.
  slow = await startUpstream((_req, res) => {
    setTimeout(() => res.end('slow but there'), 2500);
  });
  silent = await startSilentServer();
  silentPort = silent.port;
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await running.proxy.close();
  await healthy.close();
  await slow.close();
  await silent.close();
});

/** A raw client connection to the proxy (destroyed in afterAll); resolves once connected. */
async function connectClient(): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port: running.port });
  clients.add(socket);
  socket.on('error', () => socket.destroy());
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return socket;
}

/** Reads and drops what the proxy sends, so that its closing is seen. */
function drain(socket: net.Socket): net.Socket {
  socket.resume();
  return socket;
}

function closed(socket: net.Socket | tls.TLSSocket): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => {
    if (socket.destroyed) resolve(0);
    else socket.once('close', () => resolve(Date.now() - start));
  });
}

describe('proxy: upstream timeouts', () => {
  it('an upstream that accepts and never answers: 504 after --upstream-timeout, with a clear body', async () => {
    const start = Date.now();
    const result = await curl(['-i', '--proxy', running.url, `http://127.0.0.1:${silentPort}/hangs`]);
    const elapsed = Date.now() - start;
    expect(result.stdout).toMatch(/^HTTP\/1\.1 504 /);
    expect(result.stdout).toContain(`oauth-inspect proxy: upstream http://127.0.0.1:${silentPort}: no response within 1 s (--upstream-timeout)`);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
    expect(await eventually(() => running.exchanges.some((e) => e.request.uri.endsWith('/hangs')))).toBe(true);
    const exchange = running.exchanges.find((e) => e.request.uri.endsWith('/hangs'))!;
    expect(exchange.response).toBeUndefined();
    expect(exchange.anomalies.map((a) => a.code)).toEqual(['upstream-timeout']);
    expect(running.logs.join('\n')).toContain('no response within 1 s');
  });

  it('a TLS upstream that accepts TCP and never completes the handshake: 502 after --connect-timeout', async () => {
    const start = Date.now();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: running.port, path: `https://127.0.0.1:${silentPort}/handshake`, headers: { host: `127.0.0.1:${silentPort}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.setTimeout(10_000, () => req.destroy(new Error('no answer from the proxy')));
      req.on('error', reject);
      req.end();
    });
    const elapsed = Date.now() - start;
    expect(answer.status).toBe(502);
    expect(answer.body).toBe(`oauth-inspect proxy: upstream https://127.0.0.1:${silentPort}: not connected within 1 s (--connect-timeout)\n`);
    expect(elapsed).toBeLessThan(4000);
  });

  it('a slow upstream that answers within the timeout is not cut, even past the idle timeout', async () => {
    const patient = await startProxy({ timeouts: { upstreamMs: 5000, idleMs: 1000 } });
    try {
      const viaHttp = await curl(['--proxy', patient.url, `${slow.url}/slow`]);
      expect(viaHttp.stdout).toBe('slow but there');
    } finally {
      await patient.proxy.close();
    }
  });
});

describe('proxy: idle client connections', () => {
  it('a CONNECT tunnel that sends nothing is closed after --idle-timeout', async () => {
    const socket = await connectClient();
    socket.write(`CONNECT 127.0.0.1:${healthy.port} HTTP/1.1\r\nHost: 127.0.0.1:${healthy.port}\r\n\r\n`);
    expect(await Promise.race([closed(drain(socket)), new Promise((resolve) => setTimeout(() => resolve('still open'), 5000))])).toBeLessThan(5000);
  });

  it('a CONNECT tunnel idle after its TLS handshake is closed after --idle-timeout', async () => {
    const socket = await connectClient();
    socket.write(`CONNECT localhost:${healthy.port} HTTP/1.1\r\nHost: localhost:${healthy.port}\r\n\r\n`);
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    const secure = tls.connect({ socket, servername: 'localhost', ca: running.ca.certPem });
    secure.on('error', () => secure.destroy());
    await new Promise<void>((resolve) => secure.once('secureConnect', resolve));
    expect(await Promise.race([closed(secure), new Promise((resolve) => setTimeout(() => resolve('still open'), 5000))])).toBeLessThan(5000);
  });

  it('fifty idle tunnels are all closed, and the proxy still serves', async () => {
    const sockets = await Promise.all(Array.from({ length: 50 }, () => connectClient()));
    for (const socket of sockets) drain(socket).write(`CONNECT 127.0.0.1:${healthy.port} HTTP/1.1\r\n\r\n`);
    expect(await eventually(() => sockets.every((socket) => socket.destroyed || socket.closed), 5000)).toBe(true);
    const result = await curl(['--proxy', running.url, `${healthy.url}/after-idle`]);
    expect(JSON.parse(result.stdout)).toMatchObject({ url: '/after-idle' });
  });
});
