// A loopback Exchange-like endpoint for real-capture tests (tcpdump on lo): the server, one POST per connection, tcpdump required.
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, request as tlsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** tcpdump is required (it needs root, as this machine and CI run): a missing one fails with the command that installs it. */
export function requireTcpdump(): void {
  const found = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;
  if (!found) throw new Error("tcpdump is missing: install it with `apt-get install -y tcpdump` (or run `node scripts/ensure-tools.mjs`)");
}

/** An Exchange-like endpoint: 401 with a Basic challenge, 200 once Basic credentials come. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    if (req.headers.authorization === undefined) res.writeHead(401, { 'www-authenticate': 'Basic realm="mail.contoso.test"', 'content-length': '0' }).end();
    else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
  });
}

/** The endpoint on 127.0.0.1, over TLS when given a key and certificate, listening on a free port. */
export async function startLoopbackServer(tls?: { key: Buffer; cert: Buffer }): Promise<{ server: Server; port: number }> {
  const server = tls ? createTlsServer(tls, answer) : createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Closes the endpoint and every connection it still has. */
export async function stopLoopbackServer(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
}

/** One POST on its own connection; over TLS each session's secrets are appended to `keyLog` as the client learns them (as SSLKEYLOGFILE does). */
export function post(port: number, headers: Record<string, string>, keyLog?: string, maxVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3'): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, method: 'POST', path: '/EWS/Exchange.asmx', agent: false, headers: { host: 'mail.contoso.test', ...headers } } as const;
    const onResponse = (res: IncomingMessage): void => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    };
    const req = keyLog === undefined ? request(options, onResponse) : tlsRequest({ ...options, rejectUnauthorized: false, maxVersion }, onResponse);
    if (keyLog !== undefined) req.on('socket', (socket) => (socket as TLSSocket).on('keylog', (line: Buffer) => appendFileSync(keyLog, line)));
    req.setTimeout(5_000, () => req.destroy(new Error('no answer from the loopback server')));
    req.on('error', reject);
    req.end('<soap/>');
  });
}

/** Basic credentials of a made-up user (the password must never reach any output). */
export const BASIC = { authorization: `Basic ${Buffer.from('CONTOSO\\alice:not-a-real-password').toString('base64')}` };
