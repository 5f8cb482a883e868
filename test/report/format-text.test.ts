// The text report: golden file (UPDATE_GOLDEN=1 rewrites it), plus the facts people look for.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import type { ScanResult } from '../../src/model/index.js';
import { formatText } from '../../src/report/format-text.js';
import { makeExchange } from '../factories.js';
import { compactJwt, LEGACY_CAPTURE, metaFor, REALM, S2S_CAPTURE, sampleScan, SFB } from './builders.js';

const goldenPath = fileURLToPath(new URL('./golden/scan.txt', import.meta.url));

describe('formatText', () => {
  const { result } = sampleScan();
  const text = formatText(result, metaFor(result), { showSecrets: false });

  it('matches the golden report', () => {
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(goldenPath, text);
    expect(text).toBe(readFileSync(goldenPath, 'utf8'));
  });

  it('groups findings by rule, most severe first, with count and title', () => {
    const headers = text.split('\n').filter((line) => /^ {2}(error|warning|note) /.test(line));
    expect(headers.map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'error actor-token-expired',
      'error no-basic-auth',
      'error token-in-query',
      'warning ntlm-over-http',
      'note unsigned-outer-token',
    ]);
    expect(text).toContain('unsigned-outer-token  2 findings  Outer S2S token is unsigned');
  });

  it('gives each finding its Wireshark frame and tcp.stream, host and path', () => {
    expect(text).toContain(`${S2S_CAPTURE}  frame 12, tcp.stream 3  mail.contoso.com /EWS/Exchange.asmx`);
    expect(text).toContain(`${LEGACY_CAPTURE}  frame 9, tcp.stream 1  mail.contoso.com /mapi/emsmdb/`);
    expect(text).toContain(`frame 40, tcp.stream 5  outlook.contoso.com /owa/service.svc\n`);
  });

  it('summarises credentials by scheme and issuer or user, with masked values only', () => {
    expect(text).toMatch(new RegExp(`Bearer +${SFB}@${REALM} +2 sightings, 1 distinct token: eyJ0eX…\\(\\d+ chars\\)`));
    expect(text).toMatch(/Basic +user CONTOSO\\svc-lync +1 sighting, 1 distinct credential: …\(\d+ chars\)/);
    expect(text).toMatch(/NTLM +CONTOSO\\bob +1 sighting, 1 distinct credential: TlRMTV…\(\d+ chars\)/);
  });

  it('ends with counts, anomalies by code and the exit decision', () => {
    expect(text).toContain('5 exchanges, 5 credentials, 6 findings (3 errors, 1 warning, 2 notes), 1 rule error, 2 anomalies (tcp-gap 1, truncated-record 1; see docs/anomalies.md)');
    expect(text).toContain('FAIL: findings at or above error (exit 1)');
    const relaxed = formatText(result, metaFor(result, 'never'), { showSecrets: false });
    expect(relaxed).toContain('pass (fail-on never, exit 0)');
  });

  it('lists rule errors with where they happened', () => {
    expect(text).toContain(`issuer-not-trusted  ${S2S_CAPTURE}  frame 20, tcp.stream 3: Cannot read properties`);
  });

  it('says none when there is nothing to report', () => {
    const empty = { files: ['empty.pcap'], exchanges: [], findings: [], ruleErrors: [], anomalies: [] };
    const out = formatText(empty, metaFor(empty), { showSecrets: false });
    expect(out).toContain('Findings\n  none');
    expect(out).toContain('Credentials\n  none');
    expect(out).toContain('pass: no findings at or above error (exit 0)');
    expect(out).not.toContain('Rule errors');
  });
});

describe('formatText wording', () => {
  const token = compactJwt({ typ: 'JWT', alg: 'none' }, { iss: `${SFB}@${REALM}` }, '');
  const scan = (exchanges: Parameters<typeof makeExchange>[0][], anomalies: ScanResult['anomalies'] = []): string => {
    const result: ScanResult = { files: ['one.pcap'], exchanges: exchanges.map((ex, index) => decodeExchange(makeExchange(ex), index + 1)), findings: [], ruleErrors: [], anomalies };
    return formatText(result, metaFor(result), { showSecrets: false });
  };

  it('spells each scheme one way, and calls a token from a form, cookie or query Bearer', () => {
    const text = scan([
      { requestHeaders: { Authorization: `bearer ${token}` } },
      { requestHeaders: { Authorization: `BEARER ${token}` } },
      { uri: `/owa/?access_token=${token}` },
      { requestHeaders: { Cookie: `session=${token}` } },
      { method: 'POST', requestHeaders: { 'Content-Type': 'application/x-www-form-urlencoded' }, requestBody: `assertion=${token}` },
      { requestHeaders: { Authorization: 'ntlm TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==' } },
    ]);
    const credentials = text.slice(text.indexOf('Credentials\n'), text.indexOf('\n\nSummary'));
    expect(credentials).toMatch(new RegExp(`\\n  Bearer +${SFB}@${REALM} +5 sightings, 1 distinct token`));
    expect(credentials).toMatch(/\n {2}NTLM +NTLM type 1 +1 sighting/);
    expect(credentials).not.toMatch(/bearer|BEARER|ntlm /);
    expect(credentials.split('\n').slice(1).every((line) => /^ {2}\S/.test(line))).toBe(true);
  });

  it('counts empty Authorization: Bearer probes on their own line, not as credentials', () => {
    const text = scan([{ requestHeaders: { Authorization: 'Bearer' }, status: 401 }, { requestHeaders: { Authorization: `Bearer ${token}` } }]);
    expect(text).toContain('  Bearer probes (empty Authorization: Bearer): 1\n');
    expect(text).not.toContain('(empty)');
    expect(text).not.toMatch(/Bearer +empty/);
    expect(text).toContain('2 exchanges, 1 credential, 0 findings');
    const onlyProbe = scan([{ requestHeaders: { Authorization: 'Bearer' }, status: 401 }]);
    expect(onlyProbe).toContain('Credentials\n  Bearer probes (empty Authorization: Bearer): 1\n');
    expect(onlyProbe).toContain('1 exchange, 0 credentials');
  });

  it('gets singulars right', () => {
    const text = scan([{ requestHeaders: { Authorization: 'Basic YTpi' } }], [{ code: 'tcp-gap', severity: 'warning', message: 'gap' }]);
    expect(text).toContain('1 exchange, 1 credential, 0 findings, 0 rule errors, 1 anomaly (tcp-gap 1; see docs/anomalies.md)');
    expect(text).toMatch(/Basic +user a +1 sighting, 1 distinct credential: …\(4 chars\)/);
    const oneChar = scan([{ requestHeaders: { Authorization: 'Bearer x' } }]);
    expect(oneChar).toContain('…(1 char)');
  });
});
