// --upstream through a proxy we did not write: http-mitm-proxy (the design card's proxy library) as the corporate proxy.
import { Proxy as MitmProxy } from 'http-mitm-proxy';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curl, eventually, startProxy, startUpstream, tempDir } from './harness.js';

/** http-mitm-proxy listening on loopback, remembering the request lines it forwarded. */
async function startMitmProxy(): Promise<{ url: URL; seen: string[]; close(): void }> {
  const mitm = new MitmProxy();
  const seen: string[] = [];
  mitm.onError(() => undefined);
  mitm.onRequest((ctx, callback) => {
    seen.push(`${ctx.clientToProxyRequest.method} ${ctx.clientToProxyRequest.headers.host ?? ''}${ctx.clientToProxyRequest.url ?? ''}`);
    callback();
  });
  await new Promise<void>((resolve, reject) =>
    mitm.listen({ host: '127.0.0.1', port: 0, sslCaDir: join(tempDir(), 'mitm-ca') }, (error) => (error ? reject(error) : resolve())),
  );
  const port = (mitm.httpServer!.address() as AddressInfo).port;
  return { url: new URL(`http://127.0.0.1:${port}`), seen, close: () => mitm.close() };
}

describe('proxy --upstream through http-mitm-proxy', () => {
  it('forwards plain HTTP through the other proxy, answers from the server, and judges the Basic credential', async () => {
    const server = await startUpstream();
    const corporate = await startMitmProxy();
    const ours = await startProxy({ upstream: { insecure: false, via: corporate.url } });
    try {
      const answer = await curl(['--proxy', ours.url, '-u', 'alice:wonderland', '-i', `${server.url}/EWS/Exchange.asmx?via=mitm`]);
      expect(answer.code, answer.stderr).toBe(0);
      expect(answer.stdout).toMatch(/^HTTP\/1\.1 200/);
      // The other proxy saw the request: the chain is real, not a shortcut to the server.
      expect(corporate.seen.some((line) => line.includes('/EWS/Exchange.asmx?via=mitm'))).toBe(true);
      expect(await eventually(() => ours.judgements.length === 1)).toBe(true);
      expect(ours.judgements[0]!.findings.map((finding) => finding.ruleId)).toContain('no-basic-auth');
      expect(ours.judgements[0]!.decoded.exchange.response?.status).toBe(200);
    } finally {
      await ours.proxy.close();
      corporate.close();
      await server.close();
    }
  });
});
