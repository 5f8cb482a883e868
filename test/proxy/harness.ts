// Test harness for the live proxy: local upstreams (HTTP, HTTPS, WebSocket echo), curl, the proxy in-process or as the CLI, fd counts.
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { resolveConfig } from '../../src/config/index.js';
import type { HttpExchange } from '../../src/model/index.js';
import type { Judgement } from '../../src/model/index.js';
import { Inspector } from '../../src/pipeline/inspector.js';
import { openCaStore, type CaStore } from '../../src/proxy/ca-store.js';
import { ProxyServer, type ProxyServerOptions } from '../../src/proxy/proxy-server.js';
import { repoRoot } from '../helpers/cli.js';

export function tempDir(prefix = 'oauth-inspect-proxy-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface ServerCert {
  readonly keyPem: string;
  readonly certPem: string;
  readonly certPath: string;
}

/** A self-signed certificate for localhost / 127.0.0.1, made by openssl. */
export function makeServerCert(dir: string, name = 'upstream'): ServerCert {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.pem`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'ignore' });
  return { keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8'), certPath };
}

export interface Upstream {
  readonly port: number;
  readonly url: string;
  /** TCP connections the upstream accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Answers every request with a small JSON echo of what it received (method, url, headers, body hash). */
export const echoHandler: Handler = (req, res) => {
  const hash = createHash('sha256');
  let length = 0;
  req.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    length += chunk.length;
  });
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.rawHeaders, length, sha256: hash.digest('hex') });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
};

/** Adds a minimal WebSocket endpoint: answers the handshake with 101, then echoes raw bytes. */
function echoUpgrades(server: http.Server): void {
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const key = req.headers['sec-websocket-key'] ?? '';
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    if (head.length > 0) socket.write(head);
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
}

export async function startUpstream(handler: Handler = echoHandler, cert?: ServerCert): Promise<Upstream> {
  const server = cert ? https.createServer({ key: cert.keyPem, cert: cert.certPem }, handler) : http.createServer(handler);
  let connections = 0;
  const sockets = new Set<net.Socket>();
  server.on(cert ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  echoUpgrades(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `${cert ? 'https' : 'http'}://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SilentServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers (no HTTP, no TLS handshake). */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface RunningProxy {
  readonly proxy: ProxyServer;
  readonly url: string;
  readonly port: number;
  readonly ca: CaStore;
  readonly judgements: Judgement[];
  readonly exchanges: HttpExchange[];
  readonly logs: string[];
}

/** A proxy on 127.0.0.1 with a fresh CA, trusting `trust` for upstream TLS; collects everything it emits. */
export async function startProxy(options: { trust?: ServerCert; caDir?: string } & Partial<ProxyServerOptions> = {}): Promise<RunningProxy> {
  const ca = await openCaStore(options.caDir ?? join(tempDir(), 'ca'));
  const proxy = await ProxyServer.start({
    host: '127.0.0.1',
    port: 0,
    ca,
    upstream: { insecure: false, ...(options.trust ? { extraCa: [options.trust.certPem] } : {}) },
    ...options,
  });
  const running: RunningProxy = { proxy, url: `http://127.0.0.1:${proxy.address.port}`, port: proxy.address.port, ca, judgements: [], exchanges: [], logs: [] };
  // The proxy only emits exchanges; the Inspector judges them, as `oauth-inspect proxy` wires it.
  const inspector = new Inspector(await resolveConfig(undefined, {}), [{ name: 'test', judged: (j) => running.judgements.push(j) }], { clockLabel: 'now' });
  proxy.onExchange(inspector.exchange);
  proxy.onExchange((ex) => running.exchanges.push(ex));
  proxy.onLog((line) => running.logs.push(line));
  return running;
}

export interface CurlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs curl without blocking the event loop (the proxy runs in this process). */
export function curl(args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--max-time', '20', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Polls until `check` holds (bounded: 5 s). */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An expired S2S-style actor token with a fake signature (its findings do not depend on a key). */
export function expiredActorToken(): string {
  const realm = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' };
  const claims = {
    aud: `00000002-0000-0ff1-ce00-000000000000/localhost@${realm}`,
    iss: `00000001-0000-0000-c000-000000000000@${realm}`,
    nameid: `00000004-0000-0ff1-ce00-000000000000@${realm}`,
    nbf: String(now - 7200),
    exp: String(now - 3600),
  };
  return `${b64url(header)}.${b64url(claims)}.${Buffer.from('not-a-real-signature-but-long-enough').toString('base64url')}`;
}

export interface StartedCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  stdout(): string;
  stderr(): string;
}

const LISTENING = /listening on (?:\[[^\]]+\]|[^\s:]+):(\d+)/;

/** Starts the CLI proxy on a free port and waits for its `listening on` line (killed if it never comes). */
export async function startCli(args: string[]): Promise<StartedCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts', 'proxy', '--port', '0', '--no-tui', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  if (!(await eventually(() => LISTENING.test(err), 30_000))) {
    child.kill('SIGKILL');
    throw new Error(`the proxy did not start listening: ${err}`);
  }
  const port = Number(LISTENING.exec(err)![1]);
  return { child, port, stdout: () => out, stderr: () => err };
}

/** Resolves with the exit code (null when a signal ended it). */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
