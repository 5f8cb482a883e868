// Verdicts an Exchange admin can trust, on the recorded fixtures, with only --realm and --cert as the admin would run them.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBin, runInProcess } from '../helpers/cli.js';

const REALM = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
const CERT = 'captures/keys/oauth-test-cert.cer';
const ADMIN = ['--realm', REALM, '--cert', CERT];

interface JsonFinding {
  rule: string;
  severity: string;
  messageId: string;
  message: string;
  fix: string;
  docs: string;
  exchange: string | null;
  frame: number | null;
  stream: number | null;
}

interface JsonReport {
  exitCode: number;
  findings: JsonFinding[];
  summary: { coverage?: { exchangesJudged: number; unreadableStreams: number; unverifiedSignatures: number } };
}

async function scanJson(capture: string, extra: string[] = ADMIN): Promise<JsonReport> {
  const result = await runInProcess(['scan', `captures/${capture}`, ...extra, '--format', 'json', '--fail-on', 'never']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

/** Transport facts an admin sees on healthy traffic recorded over plain HTTP: allowed, and only these. */
const TRANSPORT_RULES = new Set(['cleartext-credential', 'token-in-url']);

describe('healthy traffic comes out clean (no warning or error but transport facts)', () => {
  const healthy = [
    's2s-good.pcap',
    's2s-app-only.pcap',
    'partner-token-accepted.pcap',
    'discovery-diagnostics.pcap',
    'ip-literal-host.pcap',
    'issuer-slash-variant.pcap',
    'opaque-bearer.pcap',
    'keepalive-pipelining.pcap',
    'ipv6.pcap',
    'sample-sfb-exchange.pcapng',
  ];
  for (const capture of healthy) {
    it(capture, async () => {
      const report = await scanJson(capture);
      const alarms = report.findings.filter((f) => f.severity !== 'note' && !TRANSPORT_RULES.has(f.rule));
      // The sample also carries a Basic fallback and an NTLM handshake on purpose: those, and only those, are alarms there.
      const expected = capture.startsWith('sample-sfb-exchange') ? ['no-basic-auth', 'no-legacy-auth', 'no-legacy-auth'] : [];
      expect(alarms.map((f) => f.rule).sort()).toEqual(expected);
    });
  }

  it('a partner token accepted under an ACS-only challenge is a note that says the server accepted it', async () => {
    const report = await scanJson('partner-token-accepted.pcap');
    const trust = report.findings.filter((f) => f.rule === 'issuer-not-trusted');
    expect(trust).toHaveLength(2);
    for (const finding of trust) {
      expect(finding.severity).toBe('note');
      expect(finding.message).toContain('the server accepted it (HTTP 200)');
    }
  });

  it('the discovery 401 with "The token should be present" makes no signature claim', async () => {
    const report = await scanJson('discovery-diagnostics.pcap');
    expect(report.findings.filter((f) => f.rule === 'ms-diagnostics')).toEqual([]);
    expect(JSON.stringify(report.findings)).not.toMatch(/signature/i);
  });

  it('no challenge-without-bearer inside an NTLM or Negotiate handshake', async () => {
    for (const capture of ['ntlm-handshake.pcap', 'negotiate-ntlm.pcap', 'sample-sfb-exchange.pcap']) {
      const report = await scanJson(capture);
      expect(report.findings.filter((f) => f.rule === 'challenge-without-bearer'), capture).toEqual([]);
    }
  });
});

describe('real problems are never missed', () => {
  it('a token in a form body is judged by the token rules, not only as cleartext', async () => {
    const report = await scanJson('form-token.pcap');
    expect(report.findings.filter((f) => f.rule === 'token-expired').map((f) => f.severity)).toEqual(['error']);
  });

  it('a token in a JSON body is judged by the audience rule', async () => {
    const report = await scanJson('json-token.pcap');
    expect(report.findings.some((f) => f.rule === 's2s-audience-format' && f.messageId === 'hostMismatch')).toBe(true);
  });

  it('client assertions are named as such and judged by their audience; an expired issued token is found', async () => {
    const report = await scanJson('client-assertion.pcap');
    const audience = report.findings.filter((f) => f.rule === 's2s-audience-format');
    expect(audience.map((f) => f.messageId)).toEqual(['assertionAudience']);
    expect(audience[0]!.message).toMatch(/^client assertion aud "00000002-/);
    const expired = report.findings.filter((f) => f.rule === 'token-expired');
    expect(expired.map((f) => f.message.split(' expired')[0])).toEqual(['token handed out in the response']);
    expect(report.findings.filter((f) => f.rule === 'cleartext-credential').some((f) => f.message.startsWith('client assertion in the request'))).toBe(true);
  });

  it('a SharePoint-issued token is flagged by default; --issuer changes the expectation', async () => {
    const flagged = await scanJson('issuer-unexpected-principal.pcap');
    expect(flagged.findings.some((f) => f.rule === 's2s-issuer-format' && f.messageId === 'unexpectedCaller')).toBe(true);
    const expected = await scanJson('issuer-unexpected-principal.pcap', [...ADMIN, '--issuer', '00000003-0000-0ff1-ce00-000000000000']);
    expect(expected.findings.some((f) => f.messageId === 'unexpectedCaller')).toBe(false);
  });
});

describe('never pass in silence', () => {
  it('a TLS capture without keys fails, names the connection and says how to get keys', async () => {
    const result = await runBin(['scan', 'captures/tls-decryption/tls13-aes256.pcap', ...ADMIN]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/capture-unreadable/);
    expect(result.stdout).toMatch(/TLS connection to 127\.0\.0\.1:\d+ \(SNI mail\.contoso\.test\) could not be decrypted/);
    expect(result.stdout).toMatch(/fix: Pass the client's key log with --keylog FILE .*SSLKEYLOGFILE.*embedded secrets.*SChannel/);
    expect(result.stdout).toMatch(/covered: 0 exchanges judged; 1 connection could not be read/);
  });

  it('the same capture with its key log passes', async () => {
    const result = await runBin(['scan', 'captures/tls-decryption/tls13-aes256.pcap', '--keylog', 'captures/tls-decryption/tls13-aes256.keys', ...ADMIN]);
    expect(result.stdout).not.toMatch(/capture-unreadable/);
    expect(result.stdout).toMatch(/every connection read/);
  });

  it('a capture cut at 96 bytes lists the cut requests, names the snapshot length and fails', async () => {
    const exchanges = await runBin(['exchanges', 'captures/snaplen-96.pcap']);
    expect(exchanges.stdout.trim().split('\n').filter((line) => line.includes('[cut: snaplen 96]'))).toHaveLength(3);
    const scan = await runBin(['scan', 'captures/snaplen-96.pcap', ...ADMIN]);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toMatch(/snapshot length \(96 bytes\) cut/);
    expect(scan.stdout).toMatch(/tcpdump -s 0/);
  });

  it('without a certificate the report says signatures were not verified and how to verify them', async () => {
    const report = await scanJson('s2s-good.pcap', ['--realm', REALM]);
    const unverified = report.findings.filter((f) => f.rule === 'token-signature-unverified');
    expect(unverified.map((f) => f.message)).toEqual(['signature of the actor token was not verified: no certificate or metadata document was given']);
    expect(unverified[0]!.fix).toMatch(/--cert OAuthCert\.cer/);
    expect(report.summary.coverage?.unverifiedSignatures).toBe(1);
  });

  it('a masked recording says its signatures are not checkable', async () => {
    const report = await scanJson('s2s-good.masked.har');
    expect(report.findings.filter((f) => f.rule === 'token-signature-unverified').map((f) => f.messageId)).toEqual(['masked']);
  });

  describe('--cert that holds no certificate is an input error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-cert-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const cases: Array<[string, string, RegExp]> = [
      ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n', /holds a private key, not a certificate/],
      ['a text file', 'this is not a certificate\n', /holds no readable X\.509 certificate/],
    ];
    for (const [name, content, message] of cases) {
      it(name, async () => {
        const file = join(dir, `${name.replace(/ /g, '-')}.cer`);
        writeFileSync(file, content);
        const result = await runBin(['scan', 'captures/s2s-good.pcap', '--cert', file]);
        expect(result.code).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(message);
      });
    }

    it('a device that never ends (/dev/zero)', async () => {
      const result = await runBin(['scan', 'captures/s2s-good.pcap', '--cert', '/dev/zero'], { timeoutMs: 10_000 });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/not a regular file/);
    });
  });
});

describe('wording an admin can read', () => {
  const captures = readdirSync(join(repoRoot, 'captures')).filter((f) => /\.(pcap|har)$/.test(f));

  it('no "token token", no doubled "of the request/response", no empty realm in any text or JSON report', async () => {
    for (const capture of captures) {
      for (const format of ['text', 'json']) {
        const result = await runInProcess(['scan', `captures/${capture}`, ...ADMIN, '--format', format, '--fail-on', 'never']);
        expect(result.stdout, `${capture} ${format}`).not.toMatch(/token token/i);
        expect(result.stdout, `${capture} ${format}`).not.toMatch(/in the (request|response)[^\n]*of the \1/);
        expect(result.stdout, `${capture} ${format}`).not.toMatch(/token iss ,/);
      }
    }
  });

  it('every finding of every fixture carries a fix and its rule page', async () => {
    for (const capture of captures) {
      const report = await scanJson(capture);
      for (const finding of report.findings) {
        expect(finding.fix.length, `${capture} ${finding.rule}`).toBeGreaterThan(20);
        expect(finding.fix, `${capture} ${finding.rule}`).not.toMatch(/^see docs/);
        expect(finding.docs).toBe(`docs/rules/${finding.rule}.md`);
      }
    }
  });

  it('no escape or bell byte from a crafted user name reaches NO_COLOR text output', async () => {
    const result = await runBin(['scan', 'captures/control-chars.pcap', ...ADMIN]);
    expect(result.stdout).toContain('\\x1b]0;pwned\\x07eve\\x1b[2J');
    expect(result.stdout).not.toMatch(/[\x07\x1b\x9b]/);
    expect(result.stderr).not.toMatch(/[\x07\x1b\x9b]/);
  });
});
