// DEL and C1 controls from the traffic (U+009B is CSI) never reach a terminal raw through the JSON, SARIF, ECS or JUnit outputs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonText } from '../../src/report/json-text.js';
import { xmlEscape } from '../../src/report/format-junit.js';
import { runBin } from '../helpers/cli.js';

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('jsonText', () => {
  it('escapes DEL and C1 as \\u00XX and parses back to the same value', () => {
    const value = { host: 'mail\u009b2J\u007f', user: 'a\u0085b', plain: 'é ✓' };
    const text = jsonText(value, 2);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('mail\\u009b2J\\u007f');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('xmlEscape', () => {
  it('writes DEL and C1 as character references', () => {
    expect(xmlEscape('a\u009bb\u007f<')).toBe('a&#x9b;b&#x7f;&lt;');
  });
});

describe('a HAR whose headers carry C1 controls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-c1-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const basic = Buffer.from('al\u009bice\u007f:pw-c1-test').toString('base64');
  const entry = {
    startedDateTime: '2026-12-01T10:00:00.000Z',
    time: 1,
    request: { method: 'GET', url: 'http://mail.contoso.test/EWS/\u009b31m', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Host', value: 'mail.contoso.test\u009b' }, { name: 'Authorization', value: `Basic ${basic}` }], queryString: [], headersSize: -1, bodySize: 0 },
    response: { status: 401, statusText: 'Unauthorized\u009b', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'WWW-Authenticate', value: 'Basic realm="\u009b31m"' }], content: { size: 0, mimeType: 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: 0 },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
  const har = join(dir, 'c1.har');
  writeFileSync(har, JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: [entry] } }));

  it.each([
    ['exchanges', '--format', 'json'],
    ['scan', '--format', 'json'],
    ['scan', '--format', 'jsonl'],
    ['scan', '--format', 'ecs'],
    ['scan', '--format', 'sarif'],
    ['scan', '--format', 'junit'],
    ['scan', '--format', 'text'],
  ])('%s %s %s', async (command, ...flags) => {
    const r = await runBin([command, har, ...flags, ...(command === 'scan' ? ['--no-config'] : [])]);
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});
