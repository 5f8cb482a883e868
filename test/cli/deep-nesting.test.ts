// Data nested thousands deep (JWT claims, JSON bodies, HAR members) is cut at a bound, never recursed on:
// every output stays valid and the tool exits 0/1 instead of overflowing the stack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { decodeCompactJwt } from '../../src/decode/jwt.js';
import type { Judgement } from '../../src/pipeline/exchange-judge.js';
import { scanFiles } from '../../src/pipeline/scan.js';
import { jwtLines } from '../../src/report/jwt-text.js';
import { NESTED_TOO_DEEP } from '../../src/sources/bounded-json.js';
import { DashboardModel } from '../../src/tui/dashboard-model.js';
import { detailLines } from '../../src/tui/detail-view.js';
import { runInProcess } from '../helpers/cli.js';
import { conversationPcap } from '../helpers/conversation-pcap.js';

const LEVELS = 5000;
const nested = (open: string, close: string): string => `${open.repeat(LEVELS)}${close.repeat(LEVELS)}`;
const header = Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url');
const claimsText = `{"aud":"00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.com","nbf":1700000000,"exp":1700003600,"deep":${nested('[', ']')}}`;
/** A 13 KB token whose claims nest 5,000 levels deep. */
const deepToken = `${header}.${Buffer.from(claimsText).toString('base64url')}.${'S'.repeat(43)}`;

/** A JSON body whose first member nests 5,000 deep. */
const deepBody = `{"a":${nested('[', ']')},"b":1}`;

let dir: string;
let capture: string;
let har: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-deep-'));
  capture = join(dir, 'deep-claims.pcap');
  writeFileSync(
    capture,
    conversationPcap([
      { dir: 'client', bytes: Buffer.from(`GET /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail\r\nAuthorization: Bearer ${deepToken}\r\n\r\n`) },
      { dir: 'server', bytes: Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${deepBody.length}\r\n\r\n${deepBody}`) },
    ]),
  );
  har = join(dir, 'deep.har');
  const entry = {
    startedDateTime: '2024-01-01T00:00:00.000Z',
    time: 1,
    request: { method: 'POST', url: 'http://mail/x', httpVersion: 'HTTP/1.1', headers: [{ name: 'Authorization', value: `Bearer ${deepToken}` }], postData: { mimeType: 'application/json', text: deepBody } },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], content: { size: 0, text: '', encoding: '__DEEP__' } },
  };
  writeFileSync(har, JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [entry] } }).replace('"__DEEP__"', nested('[', ']')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('claims nested 5,000 deep', () => {
  it('decode to a bounded value with a placeholder at the cut', () => {
    expect(deepToken.length).toBeGreaterThan(13_000);
    const decoded = decodeCompactJwt(deepToken);
    expect(decoded.type).toBe('jwt');
    const text = JSON.stringify(decoded.type === 'jwt' ? decoded.jwt.claims : undefined);
    expect(text).toContain(NESTED_TOO_DEEP);
    expect(text.length).toBeLessThan(1000);
  });

  it('`decode` prints them and exits 0 or 1', async () => {
    const result = await runInProcess(['decode', deepToken]);
    expect(result.stderr).not.toMatch(/internal error|call stack/);
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toContain(NESTED_TOO_DEEP);
  });

  it('`scan --format json` of a capture and of a HAR writes valid JSON', async () => {
    for (const file of [capture, har]) {
      const result = await runInProcess(['scan', '--format', 'json', file]);
      expect(result.stderr).not.toMatch(/internal error|call stack/);
      expect([0, 1]).toContain(result.code);
      const report = JSON.parse(result.stdout) as { exchanges?: unknown[] };
      expect(JSON.stringify(report)).toContain(NESTED_TOO_DEEP);
    }
  });

  it('the text report, the JWT text and the dashboard detail do not throw', async () => {
    const text = await runInProcess(['scan', capture]);
    expect([0, 1]).toContain(text.code);
    const judgements: Judgement[] = [];
    await scanFiles([capture], await resolveConfig(undefined), [{ name: 'test', judged: (j) => judgements.push(j) }]);
    expect(judgements).toHaveLength(1);
    const model = new DashboardModel();
    model.push(judgements[0]!);
    const row = model.selectedRow!;
    expect(detailLines(row, false).join('\n')).toContain(NESTED_TOO_DEEP);
    expect(detailLines(row, true).join('\n')).toContain(NESTED_TOO_DEEP);
    const decoded = decodeCompactJwt(deepToken);
    if (decoded.type !== 'jwt') throw new Error('expected a JWT');
    expect(jwtLines(decoded.jwt, 1_700_000_100, '').join('\n')).toContain(NESTED_TOO_DEEP);
  });
});
