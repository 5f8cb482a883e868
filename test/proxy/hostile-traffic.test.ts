// The CLI proxy, recording, under hostile traffic: a 600 KB `eyJ…` body does not hold other clients up, deep claims do not stop it, non-UTF-8 bodies leak nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, exited, startCli, startUpstream, tempDir, type StartedCli, type Upstream } from './harness.js';

let upstream: Upstream;
let cli: StartedCli;
let done: Promise<number | null>;
let har: string;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstream();
  dir = tempDir();
  har = join(dir, 'session.har');
  cli = await startCli(['--ca-dir', join(dir, 'ca'), '--record', har]);
  done = exited(cli.child);
});

afterAll(async () => {
  cli.child.kill('SIGKILL');
  await done;
  await upstream.close();
});

const proxy = (): string[] => ['--proxy', `http://127.0.0.1:${cli.port}`];

async function timedRequest(path: string): Promise<number> {
  const start = Date.now();
  const result = await curl([...proxy(), `${upstream.url}${path}`]);
  expect(JSON.parse(result.stdout)).toMatchObject({ url: path });
  return Date.now() - start;
}

function recorded(): string {
  return readFileSync(har, 'utf8');
}

describe('proxy --record under hostile traffic', () => {
  it('another client is served in under 2 s while a 600 KB eyJ… body is recorded', async () => {
    const bodyFile = join(dir, 'eyj.txt');
    writeFileSync(bodyFile, 'eyJ'.repeat(200_000));
    const big = curl([...proxy(), '--data-binary', `@${bodyFile}`, '-H', 'Content-Type: text/plain', `${upstream.url}/eyj-body`]);
    const latencies: number[] = [];
    // Requests before, while and right after the big one passes and is recorded.
    for (let i = 0; i < 8; i++) latencies.push(await timedRequest(`/other/${i}`));
    await big;
    for (let i = 8; i < 12; i++) latencies.push(await timedRequest(`/other/${i}`));
    expect(Math.max(...latencies)).toBeLessThan(2000);
    expect(await eventually(() => recorded().includes('/eyj-body'), 10_000)).toBe(true);
  });

  it('a token with 5,000 nested claim levels does not stop the proxy: the next request is served', async () => {
    const b64 = (text: string): string => Buffer.from(text).toString('base64url');
    const deep = `{"sub":"x","deep":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const token = `${b64('{"alg":"RS256","typ":"JWT"}')}.${b64(deep)}.${b64('signature')}`;
    await curl([...proxy(), '-H', `Authorization: Bearer ${token}`, `${upstream.url}/deep-header`]);
    await curl([...proxy(), '--data', `access_token=${token}`, `${upstream.url}/deep-body`]);
    expect(await timedRequest('/after-deep')).toBeLessThan(2000);
    expect(cli.child.exitCode).toBeNull();
    expect(await eventually(() => recorded().includes('/after-deep'), 10_000)).toBe(true);
  });

  it('a JSON body with one Latin-1 byte leaves no JWT signature or refresh token in the recording', async () => {
    const bodyFile = join(dir, 'latin1.json');
    const signature = Buffer.from('sig-Zq7SecretMarker9Wv-sig').toString('base64url');
    const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.${signature}`;
    writeFileSync(bodyFile, Buffer.from(`{"name":"caf\xe9","access_token":"${jwt}","refresh_token":"RefreshZq7Marker"}`, 'latin1'));
    await curl([...proxy(), '--data-binary', `@${bodyFile}`, '-H', 'Content-Type: application/json', `${upstream.url}/latin1`]);
    expect(await eventually(() => recorded().includes('/latin1'), 10_000)).toBe(true);
    const entry = (JSON.parse(recorded()) as { log: { entries: Array<{ request: { url: string; postData: { text: string; encoding?: string } } }> } }).log.entries.find((e) => e.request.url.endsWith('/latin1'))!;
    const bytes = entry.request.postData.encoding === 'base64' ? Buffer.from(entry.request.postData.text, 'base64').toString('latin1') : entry.request.postData.text;
    expect(bytes).toContain('"access_token":"');
    expect(bytes).not.toContain(signature);
    expect(bytes).not.toContain('Zq7Marker');
  });
});
