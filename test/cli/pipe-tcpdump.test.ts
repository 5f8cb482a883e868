// A real live capture: `tcpdump -i lo -U -w - port N | oauth-inspect scan -` against a loopback server, findings while it runs, Ctrl-C for the report.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killLiveRuns, startLive } from '../helpers/live-cli.js';
import { BASIC, post, requireTcpdump, startLoopbackServer as startServer, stopLoopbackServer } from '../helpers/loopback-exchange.js';

let server: Server | undefined;
afterEach(async () => {
  killLiveRuns();
  await stopLoopbackServer(server);
  server = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'pipe-tcpdump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The endpoint on 127.0.0.1 (TLS with a key and certificate), closed after each test; resolves with its port. */
async function startLoopbackServer(tls?: { key: Buffer; cert: Buffer }): Promise<number> {
  const started = await startServer(tls);
  server = started.server;
  return started.port;
}

/** A self-signed certificate for the TLS server (openssl, as the other tests make theirs). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const [key, cert] = [join(dir, 'server-key.pem'), join(dir, 'server-cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=mail.contoso.test'], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
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
    expect(await post(port, BASIC)).toBe(200);
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

  it('decrypts HTTPS with a key log the client writes while the capture runs (TLS 1.3 and 1.2)', async () => {
    requireTcpdump();
    const port = await startLoopbackServer(selfSignedCertificate());
    const keyLog = join(dir, 'keys.log');
    writeFileSync(keyLog, '');
    const pipeline = `tcpdump -i lo -U -s 0 -w - 'tcp port ${port}' | "$NODE" "$BIN" scan - --keylog '${keyLog}' --format jsonl --fail-on never`;
    const run = startLive(['-c', pipeline], { command: 'bash', detached: true });
    run.child.stdin.end();
    await run.waitForStderr(/listening on lo/, 10_000);
    expect(await post(port, {}, keyLog)).toBe(401);
    expect(await post(port, BASIC, keyLog, 'TLSv1.2')).toBe(200);
    await run.waitForStdout(/"rule":"no-basic-auth"/, 10_000);
    run.signal('SIGINT');
    expect(await run.exited(15_000)).toBe(0);
    const lines = run.stdout().trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const exchanges = lines.filter((line) => line.type === 'exchange');
    const cipherSuites = exchanges.map((line) => (line['tls'] as { cipherSuite?: string } | null)?.cipherSuite);
    expect(exchanges.map((line) => line['status'])).toEqual([401, 200]);
    expect(cipherSuites[0]).toMatch(/^TLS_AES_|^TLS_CHACHA20_/);
    expect(cipherSuites[1]).toMatch(/^TLS_ECDHE_/);
    expect(lines.filter((line) => line.type === 'finding').map((line) => line['rule'])).not.toContain('capture-unreadable');
    expect(run.stdout()).not.toContain('not-a-real-password');
  });
});
