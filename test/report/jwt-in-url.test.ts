// JWTs placed anywhere in a request URL (the path, `?authorization=Bearer%20…`, a padded `?jwt=…==`,
// the fragment) never show their signature in the text, JSON or SARIF report, nor in `exchanges`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectLinear } from '../helpers/linear-time.js';
import { maskJwtsIn } from '../../src/model/index.js';
import { maskUri } from '../../src/report/mask.js';
import { runInProcess } from '../helpers/cli.js';
import { conversationPcap, type ConversationStep } from '../helpers/conversation-pcap.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const SIGNATURE = Buffer.from('the-signature-that-must-never-print-0123456789').toString('base64url');
const JWT = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ aud: 'https://mail.contoso.com', exp: 1_700_003_600 })}.${SIGNATURE}`;
const TARGETS = [`/api/tokens/${JWT}/check`, `/owa/?authorization=Bearer%20${JWT}`, `/ews/?jwt=${JWT}==`, `/x#id=${JWT}`];

let dir: string;
let capture: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-jwt-url-'));
  capture = join(dir, 'jwt-in-url.pcap');
  const steps: ConversationStep[] = TARGETS.flatMap((target) => [
    // Basic credentials make findings, whose places name the path in every format.
    { dir: 'client' as const, bytes: Buffer.from(`GET ${target} HTTP/1.1\r\nHost: mail.contoso.com\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n`) },
    { dir: 'server' as const, bytes: Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n') },
  ]);
  writeFileSync(capture, conversationPcap(steps));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('masks the JWT in every placement, keeping the rest of the target', () => {
  expect(TARGETS.map((target) => maskUri(target, false))).toEqual([
    `/api/tokens/${JWT.slice(0, 6)}…(${JWT.length} chars)/check`,
    `/owa/?authorization=Bearer%20${JWT.slice(0, 6)}…(${JWT.length} chars)`,
    `/ews/?jwt=${JWT.slice(0, 6)}…(${JWT.length} chars)==`,
    `/x#id=${JWT.slice(0, 6)}…(${JWT.length} chars)`,
  ]);
  expect(maskUri(TARGETS[0]!, true)).toBe(TARGETS[0]);
  // Not tokens: a file name starting eyJ, eyJ runs without a dot.
  expect(maskJwtsIn('/eyJfoo.html?q=eyJeyJeyJ')).toBe('/eyJfoo.html?q=eyJeyJeyJ');
});

it('scans a long run of eyJ without a dot in linear time', () => {
  expect(maskJwtsIn('eyJ'.repeat(2_000_000))).toHaveLength(6_000_000);
  expectLinear((n) => maskJwtsIn('eyJ'.repeat(n)), 100_000);
});

it.each([['text'], ['json'], ['sarif']])('no signature in the %s report or the exchange list', async (format) => {
  const result = await runInProcess(['scan', '--format', format, capture]);
  expect([0, 1]).toContain(result.code);
  expect(result.stdout).toContain(`/api/tokens/${JWT.slice(0, 6)}…(${JWT.length} chars)/check`);
  expect(result.stdout + result.stderr).not.toContain(SIGNATURE);
  const exchanges = await runInProcess(['exchanges', capture]);
  expect(exchanges.stdout + exchanges.stderr).not.toContain(SIGNATURE);
});
