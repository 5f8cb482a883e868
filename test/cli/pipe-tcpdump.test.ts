// A real live capture: `tcpdump -i lo -U -w - port N | oauth-inspect scan -` against a loopback server, findings while it runs, Ctrl-C for the report.
import { spawnSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killLiveRuns, startLive } from '../helpers/live-cli.js';

/** tcpdump is required (it needs root, as this machine and CI run): a missing one fails with the command that installs it. */
function requireTcpdump(): void {
  const found = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;
  if (!found) throw new Error("tcpdump is missing: install it with `apt-get install -y tcpdump` (or run `node scripts/ensure-tools.mjs`)");
}

let server: Server | undefined;
afterEach(async () => {
  killLiveRuns();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** An Exchange-like endpoint on 127.0.0.1: 401 with a Basic challenge, 200 once Basic credentials come. */
async function startLoopbackServer(): Promise<number> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="mail.contoso.test"', 'content-length': '0' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server!.address() as AddressInfo).port;
}

function post(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/EWS/Exchange.asmx', agent: false, headers: { host: 'mail.contoso.test', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(5_000, () => req.destroy(new Error('no answer from the loopback server')));
    req.on('error', reject);
    req.end('<soap/>');
  });
}

describe('tcpdump -w - | scan - (live capture on loopback)', () => {
  it('judges each exchange while tcpdump runs; Ctrl-C ends tcpdump and the scan, which reports what it saw', async () => {
    requireTcpdump();
    const port = await startLoopbackServer();
    const pipeline = `tcpdump -i lo -U -s 0 -w - 'tcp port ${port}' | "$NODE" "$BIN" scan - --format jsonl --fail-on error`;
    // Its own process group: the test's Ctrl-C reaches tcpdump and the scan, as a terminal's does.
    const run = startLive(['-c', pipeline], { command: 'bash', detached: true });
    run.child.stdin.end();
    await run.waitForStderr(/listening on lo/, 10_000);
    expect(await post(port, {})).toBe(401);
    expect(await post(port, { authorization: `Basic ${Buffer.from('CONTOSO\\alice:not-a-real-password').toString('base64')}` })).toBe(200);
    // Both exchanges are judged while tcpdump still captures: the finding comes before any Ctrl-C.
    const live = await run.waitForStdout(/"rule":"no-basic-auth"/, 10_000);
    expect(live).not.toContain('"type":"summary"');
    expect(live).not.toContain('not-a-real-password');
    run.signal('SIGINT');
    expect(await run.exited(15_000)).toBe(1);
    const lines = run.stdout().trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(lines.filter((line) => line.type === 'exchange').map((line) => line['status'])).toEqual([401, 200]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', exchanges: 2, exitCode: 1 });
  });
});
