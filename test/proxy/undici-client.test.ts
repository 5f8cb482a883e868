// Node's fetch (undici) through the proxy with ProxyAgent: HTTP and intercepted HTTPS, tokens judged.
import { readFileSync } from 'node:fs';
import { fetch, ProxyAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiredActorToken, makeServerCert, startProxy, startUpstream, tempDir, type RunningProxy, type Upstream } from './harness.js';

let running: RunningProxy;
let httpsUpstream: Upstream;
let httpUpstream: Upstream;
let agent: ProxyAgent;

beforeAll(async () => {
  const dir = tempDir();
  const cert = makeServerCert(dir);
  httpsUpstream = await startUpstream(undefined, cert);
  httpUpstream = await startUpstream();
  running = await startProxy({ trust: cert });
  // The client trusts the proxy's CA, as a user would after `oauth-inspect ca`.
  agent = new ProxyAgent({ uri: running.url, requestTls: { ca: readFileSync(running.ca.certPath, 'utf8') } });
});

afterAll(async () => {
  await agent.close();
  await running.proxy.close();
  await httpsUpstream.close();
  await httpUpstream.close();
});

describe('fetch with undici ProxyAgent through the proxy', () => {
  it('HTTPS through CONNECT: the bearer token is decoded and judged, the body arrives intact', async () => {
    const token = expiredActorToken();
    const response = await fetch(`https://localhost:${httpsUpstream.port}/EWS/Exchange.asmx`, {
      method: 'POST',
      dispatcher: agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/xml' },
      body: '<soap:Envelope/>',
    });
    expect(response.status).toBe(200);
    const echo = (await response.json()) as { method: string; length: number };
    expect(echo).toMatchObject({ method: 'POST', length: '<soap:Envelope/>'.length });
    const judged = running.judgements.find((j) => j.decoded.exchange.request.uri === '/EWS/Exchange.asmx');
    expect(judged?.decoded.exchange.scheme).toBe('https');
    expect(judged?.decoded.credentials[0]?.decoded.type).toBe('jwt');
    expect(judged?.findings.map((f) => f.ruleId)).toContain('token-expired');
  });

  it('plain HTTP: Basic credentials are found (user only) and flagged', async () => {
    const response = await fetch(`${httpUpstream.url}/autodiscover/autodiscover.svc`, {
      dispatcher: agent,
      headers: { Authorization: `Basic ${Buffer.from('bob@contoso.test:Undici-Secret-1').toString('base64')}` },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const judged = running.judgements.find((j) => j.decoded.exchange.request.uri === '/autodiscover/autodiscover.svc');
    const basic = judged?.decoded.credentials[0]?.decoded;
    expect(basic).toMatchObject({ type: 'basic', user: 'bob@contoso.test' });
    expect(JSON.stringify(basic)).not.toContain('Undici-Secret-1');
    expect(judged?.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['no-basic-auth', 'cleartext-credential']));
  });
});
