// A recorded HAR (masked and unmasked) scans to the same findings as the live session, and hides secrets when masked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judgement } from '../../src/model/index.js';
import { maskExchange } from '../../src/pipeline/mask-exchange.js';
import { HarWriter } from '../../src/report/har-writer.js';
import { findingPlace } from '../../src/report/scan-view.js';
import { runInProcess } from '../helpers/cli.js';
import { curl, expiredActorToken, makeServerCert, startProxy, startUpstream, tempDir, type RunningProxy, type Upstream } from './harness.js';

const PASSWORD = 'Pa55word-never-in-har';
const CLIENT_SECRET = 'client-secret-never-in-har';
let dir: string;
let running: RunningProxy;
let httpsUpstream: Upstream;
let httpUpstream: Upstream;
let masked: HarWriter;
let unmasked: HarWriter;
let token: string;

beforeAll(async () => {
  dir = tempDir();
  const cert = makeServerCert(dir);
  token = expiredActorToken();
  const tokenResponse = JSON.stringify({ token_type: 'Bearer', access_token: token, expires_in: '3599' });
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
    req.resume();
    req.on('end', () => {
      const json = req.url?.startsWith('/token');
      const body = json ? tokenResponse : 'ok';
      res.writeHead(req.url?.startsWith('/denied') ? 401 : 200, {
        'Content-Type': json ? 'application/json' : 'text/plain',
        'Content-Length': Buffer.byteLength(body),
        ...(req.url?.startsWith('/denied') ? { 'WWW-Authenticate': 'Bearer realm="5de110f8-2e0f-4d45-891d-bcf2218e253d", client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*"' } : {}),
      });
      res.end(body);
    });
  };
  httpsUpstream = await startUpstream(handler, cert);
  httpUpstream = await startUpstream(handler);
  running = await startProxy({ trust: cert });
  masked = await HarWriter.create(join(dir, 'masked.har'), { masked: true, creator: { name: 'oauth-inspect', version: 'test' } });
  unmasked = await HarWriter.create(join(dir, 'secrets.har'), { masked: false, creator: { name: 'oauth-inspect', version: 'test' } });
  running.proxy.onExchange((ex) => {
    masked.add(maskExchange(ex));
    unmasked.add(ex);
  });
  const viaProxy = ['--proxy', running.url, '--cacert', running.ca.certPath];
  await curl([...viaProxy, '-H', `Authorization: Bearer ${token}`, `https://localhost:${httpsUpstream.port}/ews/exchange.asmx`]);
  await curl([...viaProxy, '-u', `alice:${PASSWORD}`, `${httpUpstream.url}/basic`]);
  await curl([...viaProxy, '--data', `grant_type=client_credentials&client_id=abc&client_secret=${CLIENT_SECRET}&client_assertion=${token}`, `${httpUpstream.url}/token`]);
  await curl([...viaProxy, '-H', `Cookie: session=${token}; theme=dark`, `https://localhost:${httpsUpstream.port}/cookie?access_token=${token}`]);
  await curl([...viaProxy, '-H', 'Authorization: Bearer', `https://localhost:${httpsUpstream.port}/denied`]);
  await running.proxy.close();
  await masked.close();
  await unmasked.close();
});

afterAll(async () => {
  await httpsUpstream.close();
  await httpUpstream.close();
});

interface FindingKey {
  rule: string;
  severity: string;
  messageId: string;
  message: string;
  host: string;
  path: string;
  /** A HAR has no tcp.stream: its findings are placed by entry (the live session's exchange order). */
  entry: number;
}

function liveFindings(judgements: readonly Judgement[]): string[] {
  return judgements
    .flatMap((j, entry) => j.findings.map((f) => ({ f, entry })))
    .map(({ f, entry }) => {
      const place = findingPlace(f);
      return JSON.stringify({ rule: f.ruleId, severity: f.severity, messageId: f.messageId, host: place.host, path: place.path, entry });
    })
    .sort();
}

async function scannedFindings(har: string): Promise<string[]> {
  const result = await runInProcess(['scan', har, '--format', 'json', '--fail-on', 'never']);
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout) as { findings: FindingKey[] };
  return report.findings.map((f) => JSON.stringify({ rule: f.rule, severity: f.severity, messageId: f.messageId, host: f.host, path: f.path, entry: f.entry })).sort();
}

describe('HAR recording of a live session', () => {
  it('the live session produced findings of several rules', () => {
    expect(running.judgements).toHaveLength(5);
    expect(new Set(running.judgements.flatMap((j) => j.findings.map((f) => f.ruleId))).size).toBeGreaterThan(2);
  });

  it('scanning the unmasked recording gives the same findings as the live session', async () => {
    expect(await scannedFindings(join(dir, 'secrets.har'))).toEqual(liveFindings(running.judgements));
  });

  it('scanning the masked recording gives the live findings, with each signature said to be masked instead of unverified', async () => {
    const live = liveFindings(running.judgements);
    const unverified = live.filter((f) => f.includes('"messageId":"noCertificate"'));
    expect(unverified.length).toBeGreaterThan(0);
    // A masked signature is a warning wherever the token travelled, also for a token handed out in a response.
    const expected = live
      .map((f) => f.replace('"messageId":"noCertificate"', '"messageId":"masked"'))
      .map((f) => f.replace('"severity":"note","messageId":"issuedNoCertificate"', '"severity":"warning","messageId":"masked"'))
      .sort();
    expect(await scannedFindings(join(dir, 'masked.har'))).toEqual(expected);
  });

  it('the masked recording holds no password, client secret, or JWT signature; the unmasked one does', () => {
    const maskedText = readFileSync(join(dir, 'masked.har'), 'utf8');
    const signature = token.split('.')[2]!;
    expect(maskedText).not.toContain(PASSWORD);
    expect(maskedText).not.toContain(Buffer.from(`alice:${PASSWORD}`).toString('base64'));
    expect(maskedText).not.toContain(CLIENT_SECRET);
    expect(maskedText).not.toContain(signature);
    expect(maskedText).toContain(token.split('.').slice(0, 2).join('.'));
    const unmaskedText = readFileSync(join(dir, 'secrets.har'), 'utf8');
    expect(unmaskedText).toContain(signature);
    expect(unmaskedText).toContain(CLIENT_SECRET);
  });
});
