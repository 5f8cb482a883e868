// Upstream failures give the client a clear 502, client aborts are tolerated, the proxy keeps serving, no fd leaks.
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, openFds, startProxy, startUpstream, type RunningProxy, type Upstream } from './harness.js';

let running: RunningProxy;
let healthy: Upstream;
let resetting: Upstream;
let resettingLate: Upstream;
let slowUpload: Upstream;

beforeAll(async () => {
  running = await startProxy();
  healthy = await startUpstream();
  // Sends the head and part of the body, then resets the connection.
  resetting = await startUpstream((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
    res.write('x'.repeat(100), () => res.socket?.resetAndDestroy());
  });
  // The same after more than the proxy holds back (64 KiB): the client sees a broken response.
  resettingLate = await startUpstream((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(1024 * 1024) });
    res.write(Buffer.alloc(256 * 1024), () => setTimeout(() => res.socket?.resetAndDestroy(), 50));
  });
  slowUpload = await startUpstream((req, res) => {
    req.resume();
    req.on('end', () => res.end('done'));
  });
});

afterAll(async () => {
  await running.proxy.close();
  for (const upstream of [healthy, resetting, resettingLate, slowUpload]) await upstream.close();
});

async function healthyRequestWorks(): Promise<void> {
  const result = await curl(['--proxy', running.url, `${healthy.url}/still-serving`]);
  expect(JSON.parse(result.stdout)).toMatchObject({ url: '/still-serving' });
}

/** A free port: listened on, then closed (nothing listens there afterwards). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('proxy faults', () => {
  it('an upstream that refuses connections: 502 "connection refused"', async () => {
    const port = await closedPort();
    const result = await curl(['-i', '--proxy', running.url, `http://127.0.0.1:${port}/refused`]);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 502 /);
    expect(result.stdout).toContain(`oauth-inspect proxy: upstream http://127.0.0.1:${port}: connection refused`);
    const exchange = running.exchanges.find((e) => e.request.uri.endsWith('/refused'));
    expect(exchange?.response).toBeUndefined();
    expect(exchange?.anomalies.map((a) => a.code)).toEqual(['upstream-failed']);
    await healthyRequestWorks();
  });

  it('an upstream that resets in the middle of the body: 502 with a clear message', async () => {
    const result = await curl(['-i', '--proxy', running.url, `${resetting.url}/reset`]);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 502 /);
    expect(result.stdout).toContain('connection broke in the middle of the response body');
    const exchange = running.exchanges.find((e) => e.request.uri.endsWith('/reset'));
    expect(exchange?.response?.incomplete).toBe(true);
    expect(exchange?.response?.body.wireLength).toBe(100);
    await healthyRequestWorks();
  });

  it('a reset after the response has started streaming: the client sees a broken, not a short, response', async () => {
    const result = await curl(['--proxy', running.url, '-o', '/dev/null', `${resettingLate.url}/late-reset`]);
    expect(result.code).not.toBe(0);
    await healthyRequestWorks();
  });

  it('a client that aborts in the middle of an upload is tolerated', async () => {
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: running.port, method: 'POST', path: `${slowUpload.url}/upload-abort`, headers: { 'Content-Length': String(10 * 1024 * 1024) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(64 * 1024), () => setTimeout(() => req.destroy(), 50));
    });
    expect(await eventually(() => running.exchanges.some((e) => e.request.uri.endsWith('/upload-abort')))).toBe(true);
    const exchange = running.exchanges.find((e) => e.request.uri.endsWith('/upload-abort'))!;
    expect(exchange.request.incomplete).toBe(true);
    expect(exchange.anomalies.map((a) => a.code)).toContain('client-aborted');
    await healthyRequestWorks();
  });

  it('leaks no file descriptors over repeated faults', async () => {
    await healthyRequestWorks();
    const refusedPort = await closedPort();
    const before = openFds();
    for (let round = 0; round < 5; round++) {
      await curl(['--proxy', running.url, `http://127.0.0.1:${refusedPort}/`]);
      await curl(['--proxy', running.url, `${resetting.url}/`]);
      await curl(['--proxy', running.url, '-o', '/dev/null', `${resettingLate.url}/`]);
      await healthyRequestWorks();
    }
    expect(await eventually(() => openFds() <= before)).toBe(true);
  });
});
