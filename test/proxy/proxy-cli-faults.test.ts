// `oauth-inspect proxy` under faults, as a user runs it: an unwritable recording, signals while traffic hangs, an exposed address.
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { curl, exited, startCli, startSilentServer, tempDir, type SilentServer } from './harness.js';

/** A server that accepts connections and never answers (closed in afterAll). */
let silent: SilentServer;
let silentPort: number;

beforeAll(async () => {
  silent = await startSilentServer();
  silentPort = silent.port;
});

afterAll(async () => {
  await silent.close();
});

/** A raw client connection to the proxy that sent `text` and then stays open, idle. */
async function idleClient(port: number, text: string): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => socket.destroy());
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(text);
  return socket;
}

describe('proxy --record to a path that cannot be written', () => {
  it('exits 2 with one line before listening', async () => {
    const dir = tempDir();
    const handlers = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const result = await runInProcess(['proxy', '--port', '0', '--no-tui', '--record', join(dir, 'missing', 'x.har'), '--ca-dir', join(dir, 'ca')]);
    // No signal handler is left behind that would catch a signal and not end the process.
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(handlers);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('listening');
    expect(result.stderr.trim().split('\n')).toEqual([`oauth-inspect: ${join(dir, 'missing', 'x.har')}: cannot write the recording (ENOENT)`]);
  });
});

describe('proxy: the first signal ends the process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} while a request waits on a silent upstream and a CONNECT tunnel and a keep-alive connection sit idle`, async () => {
      const dir = tempDir();
      const cli = await startCli(['--ca-dir', join(dir, 'ca'), '--record', join(dir, 's.har')]);
      const done = exited(cli.child);
      const clients: net.Socket[] = [];
      try {
        clients.push(await idleClient(cli.port, `GET http://127.0.0.1:${silentPort}/hangs HTTP/1.1\r\nHost: 127.0.0.1:${silentPort}\r\n\r\n`));
        clients.push(await idleClient(cli.port, `CONNECT 127.0.0.1:${silentPort} HTTP/1.1\r\nHost: 127.0.0.1:${silentPort}\r\n\r\n`));
        clients.push(await idleClient(cli.port, ''));
        // Until the silent upstream has the forwarded request, the signal could come before it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const sent = Date.now();
        cli.child.kill(signal);
        const code = await Promise.race([done, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5000))]);
        expect(code).toBe(0);
        expect(Date.now() - sent).toBeLessThan(5000);
        // The request still in flight is recorded as far as it went.
        expect(cli.stderr()).toContain('recorded 1 exchange');
      } finally {
        for (const client of clients) client.destroy();
        cli.child.kill('SIGKILL');
        await done;
      }
    });
  }
});

describe('proxy --upstream-timeout', () => {
  it('answers 504 when the upstream accepts and never answers', async () => {
    const dir = tempDir();
    const cli = await startCli(['--ca-dir', join(dir, 'ca'), '--upstream-timeout', '1']);
    const done = exited(cli.child);
    try {
      const start = Date.now();
      const result = await curl(['-s', '-w', '\n%{http_code}', '--proxy', `http://127.0.0.1:${cli.port}`, `http://127.0.0.1:${silentPort}/hangs`]);
      expect(Date.now() - start).toBeLessThan(4000);
      expect(result.stdout).toBe(`oauth-inspect proxy: upstream http://127.0.0.1:${silentPort}: no response within 1 s (--upstream-timeout)\n\n504`);
    } finally {
      cli.child.kill('SIGKILL');
      await done;
    }
  });

  it('refuses a timeout that is not a number of seconds', async () => {
    const result = await runInProcess(['proxy', '--upstream-timeout', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--upstream-timeout 0: not a number of seconds');
  });
});

describe('proxy --host on every interface', () => {
  it('--host 0.0.0.0 warns on stderr that other machines can reach the proxy', async () => {
    const dir = tempDir();
    const cli = await startCli(['--host', '0.0.0.0', '--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    try {
      expect(cli.stderr()).toMatch(/warning: listening on 0\.0\.0\.0 \(every interface\): other machines can reach this intercepting proxy/);
      const upstreamless = await curl(['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${cli.port}/not-a-proxy-request`]);
      expect(upstreamless.stdout).toBe('400');
    } finally {
      cli.child.kill('SIGKILL');
      await done;
    }
  });

  it('the default address gives no warning', async () => {
    const dir = tempDir();
    const cli = await startCli(['--ca-dir', join(dir, 'ca')]);
    const done = exited(cli.child);
    try {
      expect(cli.stderr()).not.toContain('warning');
    } finally {
      cli.child.kill('SIGKILL');
      await done;
    }
  });
});
