// The live proxy's dashboard: a request made by curl through the proxy shows within a second.
import { execFile } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux-session.js';

let upstream: Server;
let upstreamPort = 0;
const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-proxy-tui-'));

/** A port that was free a moment ago, for the proxy to listen on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '--max-time', '5', ...args], (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

beforeAll(async () => {
  upstream = createHttpServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '2' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamPort = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('proxy --tui', () => {
  it('shows a request made by curl within 1 s, with its finding, and quits with q', async () => {
    const port = await freePort();
    const session = new TmuxSession('proxy-live', ['proxy', '--tui', '--port', String(port), '--ca-dir', join(dir, 'ca')], join(dir, 'exit-code'));
    try {
      await session.waitFor((screen) => screen.includes('Exchanges') && screen.includes('Findings'), 'the dashboard');
      const path = `/EWS/live-${Date.now()}.asmx`;
      const sent = Date.now();
      const body = await curl(['--proxy', `http://127.0.0.1:${port}`, '-u', 'alice@contoso.test:Live-Passw0rd!', `http://127.0.0.1:${upstreamPort}${path}`]);
      expect(body).toBe('ok');
      const screen = await session.waitFor((s) => s.includes(path.slice(0, 20)), 'the proxied request', 3_000);
      const shownAfterMs = Date.now() - sent;
      expect(shownAfterMs).toBeLessThan(1_000);
      expect(screen).toMatch(/no-basic-auth/);
      expect(screen).not.toContain('Live-Passw0rd!');
      session.sendKeys('q');
      // Quitting ends the session like SIGINT: its Basic finding is an error, so the exit code is 1 (--fail-on error).
      expect(await session.exitCode()).toBe(1);
    } finally {
      session.kill();
    }
  });
});
