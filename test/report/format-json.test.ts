// The JSON report: valid against docs/report.schema.json, references resolve, JWTs decoded, values masked.
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/model/index.js';
import { formatJson } from '../../src/report/format-json.js';
import { EXCHANGE, LEGACY_CAPTURE, metaFor, REALM, S2S_CAPTURE, sampleScan, SFB } from './builders.js';
import { errorsOf, validateReport } from './schema-validators.js';

type Json = Record<string, any>;

describe('formatJson', () => {
  const sample = sampleScan();
  const { result } = sample;
  const meta = metaFor(result);
  const text = formatJson(result, meta, { showSecrets: false });
  const report = JSON.parse(text) as Json;

  it('validates against docs/report.schema.json', () => {
    expect(validateReport(report), errorsOf(validateReport)).toBe(true);
    const shown = JSON.parse(formatJson(result, meta, { showSecrets: true })) as Json;
    expect(validateReport(shown), errorsOf(validateReport)).toBe(true);
    const empty = { files: [], exchanges: [], findings: [], ruleErrors: [], anomalies: [] };
    expect(validateReport(JSON.parse(formatJson(empty, metaFor(empty), { showSecrets: false }))), errorsOf(validateReport)).toBe(true);
  });

  it('rejects reports that break the schema', () => {
    expect(validateReport({ ...report, exitCode: 2 })).toBe(false);
    const badFingerprint = { ...report, credentials: [{ ...report['credentials'][0], fingerprint: 'md5:00' }] };
    expect(validateReport(badFingerprint)).toBe(false);
  });

  it('carries tool, threshold, exit decision and counts', () => {
    expect(report['tool']).toEqual({ name: 'oauth-inspect', version: '0.1.0' });
    expect(report['failOn']).toBe('error');
    expect(report['exitCode']).toBe(1);
    expect(report['configPath']).toBe('oauth-inspect.yaml');
    expect(report['files']).toEqual([S2S_CAPTURE, LEGACY_CAPTURE]);
    expect(report['summary']).toEqual({
      exchanges: 5,
      credentials: 5,
      findings: { total: 6, error: 3, warning: 1, note: 2 },
      ruleErrors: 1,
      anomalies: 2,
    });
  });

  it('gives exchanges stable ids that findings, credentials and challenges refer to', () => {
    const ids = new Set((report['exchanges'] as Json[]).map((ex) => ex['id']));
    expect(ids.size).toBe(5);
    expect(ids).toContain(`${S2S_CAPTURE}#3.1`);
    for (const list of ['credentials', 'findings', 'challenges', 'diagnostics', 'ruleErrors']) {
      for (const item of report[list] as Json[]) expect(ids, `${list} → ${item['exchange']}`).toContain(item['exchange']);
    }
    const credentialIds = new Set((report['credentials'] as Json[]).map((c) => c['id']));
    const withCredential = (report['findings'] as Json[]).filter((f) => f['credential'] !== undefined);
    expect(withCredential).toHaveLength(6);
    for (const f of withCredential) expect(credentialIds).toContain(f['credential']);
    expect(formatJson(result, meta, { showSecrets: false })).toBe(text);
  });

  it('describes an exchange with where, who and what', () => {
    const first = (report['exchanges'] as Json[])[0];
    expect(first).toMatchObject({
      id: `${S2S_CAPTURE}#3.0`,
      file: S2S_CAPTURE,
      stream: 3,
      frame: 12,
      responseFrame: 14,
      client: '10.0.0.5:50003',
      server: '10.0.0.20:443',
      scheme: 'https',
      tls: { version: 'TLS 1.2', sni: 'mail.contoso.com' },
      method: 'POST',
      host: 'mail.contoso.com',
      uri: '/EWS/Exchange.asmx',
      status: 401,
    });
    expect(first?.['time']).toBe('2023-11-14T22:13:32.250000Z');
  });

  it('masks the access_token query value in the request URI', () => {
    const query = (report['exchanges'] as Json[]).find((ex) => ex['stream'] === 5);
    expect(query?.['uri']).toMatch(/^\/owa\/service\.svc\?action=GetItem&access_token=eyJ0eX…\(220 chars\)&x=1$/);
  });

  it('fingerprints credentials as sha256 of the raw value', () => {
    const bearer = (report['credentials'] as Json[])[0];
    expect(bearer?.['fingerprint']).toBe(fingerprintOf(sample.secrets.outerToken));
    expect(bearer?.['value']).toMatch(/^eyJ0eX…\(\d+ chars\)$/);
    const finding = (report['findings'] as Json[]).find((f) => f['rule'] === 'actor-token-expired');
    expect(finding?.['fingerprint']).toBe(fingerprintOf(sample.secrets.outerToken));
  });

  it('decodes the S2S outer token with its actor as a nested object, actortoken masked', () => {
    const decoded = (report['credentials'] as Json[])[0]?.['decoded'] as Json;
    expect(decoded['type']).toBe('jwt');
    expect(decoded['unsigned']).toBe(true);
    expect(decoded['claims']['iss']).toBe(`${SFB}@${REALM}`);
    expect(decoded['claims']['actortoken']).toMatch(/^eyJ0eX…\(\d+ chars\)$/);
    expect(decoded['nbf']).toBe(1_700_000_000);
    expect(decoded['nbfIso']).toBe('2023-11-14T22:13:20.000Z');
    expect(decoded['exp']).toBe(1_700_003_600);
    expect(decoded['expIso']).toBe('2023-11-14T23:13:20.000Z');
    const actor = decoded['actor'] as Json;
    expect(actor['unsigned']).toBe(false);
    expect(actor['claims']['aud']).toBe(`${EXCHANGE}/mail.contoso.com@${REALM}`);
    expect(actor['claims']['exp']).toBe('1699999900');
    expect(actor['exp']).toBe(1_699_999_900);
    expect(actor['x5tThumbprint']).toBe(Buffer.from('0123456789abcdef0123', 'latin1').toString('hex'));
  });

  it('shows only the user for Basic and the NTLM message fields', () => {
    const basic = (report['credentials'] as Json[]).find((c) => c['scheme'] === 'basic');
    expect(basic?.['decoded']).toEqual({ type: 'basic', user: 'CONTOSO\\svc-lync' });
    expect(basic?.['value']).toMatch(/^…\(52 chars\)$/);
    const ntlm = (report['credentials'] as Json[]).find((c) => c['scheme'] === 'ntlm');
    expect(ntlm?.['decoded']).toEqual({ type: 'ntlm', messageType: 3, domain: 'CONTOSO', user: 'bob', workstation: 'WS01', flags: 'e2888215' });
  });

  it('reports challenges and x-ms-diagnostics at the response frame', () => {
    expect(report['challenges']).toEqual([
      expect.objectContaining({ exchange: `${S2S_CAPTURE}#3.0`, frame: 14, scheme: 'Bearer', trustedIssuers: ['00000001-0000-0000-c000-000000000000@*'] }),
    ]);
    expect(report['diagnostics']).toEqual([expect.objectContaining({ frame: 14, code: '2000008', errorCategory: 'invalid_token' })]);
  });

  it('gives findings frame, stream, host and a path without the query', () => {
    const inQuery = (report['findings'] as Json[]).find((f) => f['rule'] === 'token-in-query');
    expect(inQuery).toMatchObject({ severity: 'error', messageId: 'query', frame: 40, stream: 5, host: 'outlook.contoso.com', path: '/owa/service.svc' });
    expect(inQuery?.['message']).toMatch(/^access_token=eyJ0eX…\(220 chars\) sent in the URL$/);
  });

  it('reveals values only with showSecrets', () => {
    const shown = JSON.parse(formatJson(result, meta, { showSecrets: true })) as Json;
    expect((shown['credentials'] as Json[])[0]?.['value']).toBe(sample.secrets.outerToken);
    expect((shown['credentials'] as Json[])[0]?.['decoded']['claims']['actortoken']).toBe(sample.secrets.actorToken);
  });
});
