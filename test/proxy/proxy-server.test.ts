// The live proxy with real clients (curl, Node) against local upstreams: tokens, findings, TLS, keep-alive, WebSocket.
import { createHash, randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, echoHandler, expiredActorToken, makeServerCert, startProxy, startUpstream, tempDir, type RunningProxy, type ServerCert, type Upstream } from './harness.js';

let dir: string;
let cert: ServerCert;
let httpsUpstream: Upstream;
let httpUpstream: Upstream;
let running: RunningProxy;

beforeAll(async () => {
  dir = tempDir();
  cert = makeServerCert(dir);
  httpsUpstream = await startUpstream(echoHandler, cert);
  httpUpstream = await startUpstream();
  running = await startProxy({ trust: cert });
});

afterAll(async () => {
  await running.proxy.close();
  await httpsUpstream.close();
  await httpUpstream.close();
});

function lastJudgementFor(path: string) {
  return running.judgements.filter((j) => j.decoded.exchange.request.uri.endsWith(path)).at(-1);
}

/** HTTPS through the proxy with Node's own client: CONNECT, then TLS trusting the proxy CA. */
function nodeRequestViaConnect(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: '127.0.0.1', port: running.port, method: 'CONNECT', path: `localhost:${httpsUpstream.port}` });
    connect.once('connect', (_res, socket) => {
      const secure = tls.connect({ socket, servername: 'localhost', ca: running.ca.certPem });
      const req = http.request({ createConnection: () => secure, host: 'localhost', path, headers: { host: `localhost:${httpsUpstream.port}`, ...headers } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          secure.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.end();
    });
    connect.on('error', reject);
    connect.end();
  });
}

describe('proxy: HTTPS through CONNECT', () => {
  it('curl --proxy --cacert: the bearer token is decoded and judged as an HttpExchange from the proxy', async () => {
    const token = expiredActorToken();
    const result = await curl(['--proxy', running.url, '--cacert', running.ca.certPath, '-H', `Authorization: Bearer ${token}`, `https://localhost:${httpsUpstream.port}/ews/exchange.asmx`]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ method: 'GET', url: '/ews/exchange.asmx' });
    const judgement = lastJudgementFor('/ews/exchange.asmx');
    expect(judgement).toBeDefined();
    const exchange = judgement!.decoded.exchange;
    expect(exchange.origin).toEqual({ kind: 'proxy' });
    expect(exchange.scheme).toBe('https');
    expect(exchange.tls).toMatchObject({ version: 'TLS 1.3', sni: 'localhost', alpn: 'http/1.1' });
    expect(exchange.tls?.cipherSuite).toMatch(/^TLS_/);
    expect(exchange.server).toEqual({ ip: '127.0.0.1', port: httpsUpstream.port });
    expect(exchange.client.ip).toBe('127.0.0.1');
    expect(exchange.response?.status).toBe(200);
    const [credential] = judgement!.decoded.credentials;
    expect(credential?.scheme).toBe('bearer');
    expect(credential?.value.reveal()).toBe(token);
    expect(credential?.decoded.type).toBe('jwt');
    expect(judgement!.findings.map((f) => f.ruleId)).toContain('token-expired');
  });

  it("Node's client through CONNECT sees the upstream's answer, and the proxy judges it", async () => {
    const response = await nodeRequestViaConnect('/node-client', { Authorization: 'Basic dXNlcjpzZWNyZXQ=' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ url: '/node-client' });
    const judgement = lastJudgementFor('/node-client');
    expect(judgement?.decoded.credentials[0]?.decoded).toMatchObject({ type: 'basic', user: 'user' });
    expect(judgement?.findings.map((f) => f.ruleId)).toContain('no-basic-auth');
  });

  it('an upstream certificate that is not trusted gives a 502 naming the TLS failure', async () => {
    const untrusted = await startUpstream(echoHandler, makeServerCert(dir, 'untrusted'));
    try {
      const other = await startProxy();
      try {
        const result = await curl(['-i', '--proxy', other.url, '--cacert', other.ca.certPath, `https://localhost:${untrusted.port}/`]);
        expect(result.stdout).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 502 /);
        expect(result.stdout).toContain('TLS failure');
        expect(result.stdout).toContain('--insecure-upstream');
      } finally {
        await other.proxy.close();
      }
    } finally {
      await untrusted.close();
    }
  });

  it('--insecure-upstream accepts that certificate', async () => {
    const untrusted = await startUpstream(echoHandler, makeServerCert(dir, 'untrusted2'));
    const other = await startProxy({ upstream: { insecure: true } });
    try {
      const result = await curl(['-i', '--proxy', other.url, '--cacert', other.ca.certPath, `https://localhost:${untrusted.port}/ok`]);
      expect(result.stdout).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      await other.proxy.close();
      await untrusted.close();
    }
  });
});

describe('proxy: plain HTTP, keep-alive, bodies', () => {
  it('keeps one client connection and one upstream connection for several requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = httpUpstream.connections();
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: running.port, path: `${httpUpstream.url}${path}`, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    for (const path of ['/ka/1', '/ka/2', '/ka/3']) expect(await get(path)).toBe(200);
    agent.destroy();
    expect(httpUpstream.connections() - before).toBe(1);
    const exchanges = ['/ka/1', '/ka/2', '/ka/3'].map((p) => lastJudgementFor(p)!.decoded.exchange);
    expect(new Set(exchanges.map((e) => e.stream)).size).toBe(1);
    expect(exchanges.map((e) => e.indexInStream)).toEqual([0, 1, 2]);
    expect(exchanges[0]!.scheme).toBe('http');
    expect(exchanges[0]!.tls).toBeUndefined();
  });

  it('replaces a Host that does not match an absolute-form target with the target authority (RFC 9112 §3.2.2)', async () => {
    const hostsSeen = async (path: string, headers: Record<string, string>): Promise<string[]> =>
      new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: running.port, path, headers, setHost: false }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => {
              const raw = (JSON.parse(body) as { headers: string[] }).headers;
              resolve(raw.flatMap((name, i) => (i % 2 === 0 && name.toLowerCase() === 'host' ? [raw[i + 1]!] : [])));
            });
          })
          .on('error', reject);
      });
    const authority = `127.0.0.1:${httpUpstream.port}`;
    expect(await hostsSeen(`http://${authority}/host/mismatch`, { Host: 'evil.example' })).toEqual([authority]);
    expect(await hostsSeen(`http://user@${authority}/host/userinfo`, { Host: 'evil.example' })).toEqual([authority]);
    // What the client sent is what the exchange shows: the inspector judges the client's request.
    expect(lastJudgementFor('/host/mismatch')!.decoded.exchange.request.headers).toContainEqual(['Host', 'evil.example']);
  });

  it('passes a large upload and a large download untouched (hash, Content-Length), capturing a capped copy', async () => {
    const upload = randomBytes(8 * 1024 * 1024);
    const file = join(dir, 'upload.bin');
    writeFileSync(file, upload);
    const result = await curl(['--proxy', running.url, '--data-binary', `@${file}`, '-H', 'Content-Type: application/octet-stream', `${httpUpstream.url}/upload`]);
    const echoed = JSON.parse(result.stdout) as { length: number; sha256: string; headers: string[] };
    expect(echoed.length).toBe(upload.length);
    expect(echoed.sha256).toBe(createHash('sha256').update(upload).digest('hex'));
    const uploaded = running.exchanges.filter((e) => e.request.uri.endsWith('/upload')).at(-1)!;
    expect(uploaded.request.body.wireLength).toBe(upload.length);
    expect(uploaded.request.body.bytes.length).toBe(1024 * 1024);
    expect(uploaded.request.body.truncated).toBe(true);

    const download = randomBytes(12 * 1024 * 1024);
    const big = await startUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': download.length });
      res.end(download);
    });
    try {
      const headersFile = join(dir, 'headers.txt');
      const bodyFile = join(dir, 'download.bin');
      const got = await curl(['--proxy', running.url, '-D', headersFile, '-o', bodyFile, `${big.url}/download`]);
      expect(got.code).toBe(0);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(headersFile, 'utf8')).toMatch(new RegExp(`Content-Length: ${download.length}\\r\\n`, 'i'));
      expect(readFileSync(headersFile, 'utf8')).not.toMatch(/transfer-encoding/i);
      expect(createHash('sha256').update(readFileSync(bodyFile)).digest('hex')).toBe(createHash('sha256').update(download).digest('hex'));
    } finally {
      await big.close();
    }
  });

  it('passes a WebSocket upgrade through and echoes bytes both ways; the handshake is an exchange', async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: running.port,
        path: `${httpUpstream.url}/ws`,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), Authorization: `Bearer ${expiredActorToken()}` },
      });
      req.on('upgrade', (res, socket) => {
        expect(res.statusCode).toBe(101);
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.length >= 11) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.write('hello proxy');
      });
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('hello proxy');
    const judgement = lastJudgementFor('/ws');
    expect(judgement?.decoded.exchange.response?.status).toBe(101);
    expect(judgement?.decoded.credentials[0]?.scheme).toBe('bearer');
  });

  it('reverse mode: Node fetch talks to the proxy as if it were the server', async () => {
    const reverse = await startProxy({ reverse: new URL(httpUpstream.url) });
    try {
      const response = await fetch(`${reverse.url}/reverse/path?x=1`, { headers: { Authorization: 'Basic dXNlcjpzZWNyZXQ=' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ url: '/reverse/path?x=1' });
      await reverse.proxy.close();
      expect(reverse.judgements).toHaveLength(1);
      expect(reverse.judgements[0]!.findings.map((f) => f.ruleId)).toContain('no-basic-auth');
    } finally {
      await reverse.proxy.close().catch(() => undefined);
    }
  });

  it('reverse mode over TLS: curl --cacert reaches an HTTPS origin through the intercepting certificate', async () => {
    const reverse = await startProxy({ trust: cert, reverse: new URL(`https://localhost:${httpsUpstream.port}`) });
    try {
      const result = await curl(['--cacert', reverse.ca.certPath, '--resolve', `localhost:${reverse.port}:127.0.0.1`, `https://localhost:${reverse.port}/tls-reverse`]);
      expect(JSON.parse(result.stdout)).toMatchObject({ url: '/tls-reverse' });
    } finally {
      await reverse.proxy.close();
    }
    expect(reverse.exchanges[0]?.scheme).toBe('https');
  });
});

describe('proxy: CA and listening address', () => {
  it('keeps the CA private key mode 0600 in a 0700 directory', () => {
    expect(statSync(running.ca.keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(running.ca.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(running.ca.dir, 'keys')).mode & 0o777).toBe(0o700);
  });

  it('listens on loopback only by default: a non-loopback address of this machine is refused', async () => {
    const own = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    expect(running.proxy.address.host).toBe('127.0.0.1');
    if (!own) return; // a machine with loopback only has no other address to try
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: own.address, port: running.port, timeout: 2000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});
