// The key log: the file is created 0600, appended to, lines in order, an unwritable path one input error; the proxy hands it both legs' secrets, through an upstream proxy too.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { KeyLogFile } from '../../src/proxy/key-log-file.js';
import { curl, eventually, makeServerCert, startProxy, startUpstream, tempDir } from './harness.js';

const line = (n: number): Buffer => Buffer.from(`CLIENT_RANDOM ${String(n).padStart(64, '0')} ${'ab'.repeat(48)}\n`);

describe('KeyLogFile', () => {
  it('creates the file 0600 and writes the lines in the order given', async () => {
    const path = join(tempDir(), 'keys.log');
    const file = await KeyLogFile.open(path);
    for (let n = 0; n < 50; n++) file.write(line(n));
    await file.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(Array.from({ length: 50 }, (_, n) => line(n).toString()).join(''));
  });

  it('appends to an existing key log (SSLKEYLOGFILE is shared with browsers and curl)', async () => {
    const path = join(tempDir(), 'keys.log');
    writeFileSync(path, '# from curl\n', { mode: 0o600 });
    const file = await KeyLogFile.open(path);
    file.write(line(1));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(`# from curl\n${line(1).toString()}`);
  });

  it('tells whether an existing file is readable by other users', async () => {
    const path = join(tempDir(), 'keys.log');
    const fresh = await KeyLogFile.open(path);
    expect(fresh.exposedMode).toBeUndefined();
    await fresh.close();
    writeFileSync(join(path, '..', 'shared.log'), '', { mode: 0o644 });
    chmodSync(join(path, '..', 'shared.log'), 0o644);
    const shared = await KeyLogFile.open(join(path, '..', 'shared.log'));
    expect(shared.exposedMode).toBe(0o644);
    await shared.close();
  });

  it('says in one input error that a path cannot be written', async () => {
    const path = join(tempDir(), 'missing-folder', 'keys.log');
    await expect(KeyLogFile.open(path)).rejects.toThrow(InputError);
    await expect(KeyLogFile.open(path)).rejects.toThrow('cannot write the key log (ENOENT)');
  });
});

describe('the proxy keyLog option', () => {
  /** A bare CONNECT proxy on 127.0.0.1 (the `--upstream` the tunnelling agent goes through). */
  async function startConnectProxy(): Promise<{ url: URL; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const server = http.createServer();
    server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.once('close', () => sockets.delete(socket));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`),
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    };
  }

  it('gets the secrets of both legs, through an upstream proxy too', async () => {
    const cert = makeServerCert(tempDir());
    const upstream = await startUpstream(undefined, cert);
    const via = await startConnectProxy();
    const lines: string[] = [];
    const running = await startProxy({ trust: cert, keyLog: (line) => lines.push(line.toString()) });
    const withVia = await startProxy({ upstream: { insecure: false, extraCa: [cert.certPem], via: via.url }, keyLog: (line) => lines.push(line.toString()) });
    try {
      for (const proxy of [running, withVia]) {
        lines.length = 0;
        const answer = await curl(['--proxy', proxy.url, '--cacert', proxy.ca.certPath, `${upstream.url}/keys`]);
        expect(answer.code, answer.stderr).toBe(0);
        // Two TLS connections (curl to the proxy, the proxy to the server), each with its own client random.
        expect(await eventually(() => new Set(lines.map((line) => line.split(' ')[1])).size === 2)).toBe(true);
        expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
        expect(new Set(lines).size, 'no line twice').toBe(lines.length);
      }
    } finally {
      await running.proxy.close();
      await withVia.proxy.close();
      await via.close();
      await upstream.close();
    }
  });
});
