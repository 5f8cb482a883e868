// Client helpers for the recorder: Node http on a keep-alive agent, raw sockets, and curl.
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { FIXTURE_PORT, MAIL_HOST } from './contoso.js';

const CLIENT_TIMEOUT_MS = 10_000;

export interface ClientResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface NodeRequest {
  readonly method: string;
  readonly path: string;
  /** Sent in this order; `Host` defaults to mail.contoso.test. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Write the body in these pieces with no Content-Length, so Node sends it chunked. */
  readonly chunkedBody?: readonly string[];
  readonly address?: '127.0.0.1' | '::1';
}

/** One connection reused for every request: the keep-alive flows of the scenarios. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** Sends one request with Node's http client and reads the whole (raw, still encoded) response. */
export function nodeRequest(agent: Agent, req: NodeRequest): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: MAIL_HOST, ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const clientRequest = request({
      host: req.address ?? '127.0.0.1',
      port: FIXTURE_PORT,
      method: req.method,
      path: req.path,
      headers,
      agent,
      timeout: CLIENT_TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    clientRequest.on('timeout', () => clientRequest.destroy(new Error(`timeout: ${req.method} ${req.path}`)));
    clientRequest.on('error', reject);
    for (const piece of req.chunkedBody ?? []) clientRequest.write(piece);
    clientRequest.end(req.body);
  });
}

/** A write on a raw socket, or a pause between writes. */
export type RawStep = { readonly write: string } | { readonly pauseMs: number };

/**
 * Opens a TCP connection with Nagle off, performs the steps, then reads until the server closes
 * (the last request must say `Connection: close`). Returns everything the server sent.
 */
export function rawConnection(steps: readonly RawStep[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: FIXTURE_PORT });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('raw connection timed out')), CLIENT_TIMEOUT_MS);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks)); });
    socket.on('connect', () => {
      void (async () => {
        for (const step of steps) {
          if ('write' in step) socket.write(step.write);
          else await new Promise((r) => setTimeout(r, step.pauseMs));
        }
      })();
    });
  });
}

/** Runs curl (silent, failing on transport errors only) and returns its stdout. */
export function curl(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['--silent', '--show-error', '--max-time', '10', ...args],
      { timeout: CLIENT_TIMEOUT_MS + 2000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`curl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** `http://127.0.0.1:18080<path>` */
export function localUrl(path: string, address: '127.0.0.1' | '[::1]' = '127.0.0.1'): string {
  return `http://${address}:${FIXTURE_PORT}${path}`;
}
