// `decode`: tokens that do not decode are shown as far as they do, with a precise error; --cert names the signer.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';

const TENANT = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
const SFB = '00000004-0000-0ff1-ce00-000000000000';
const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const FIXTURE_CERT = 'captures/keys/oauth-test-cert.cer';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64({ alg: 'RS256', typ: 'JWT', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' });
const CLAIMS = { aud: `${EXCHANGE}/mail.contoso.com@${TENANT}`, iss: `${SFB}@${TENANT}`, nbf: 1_700_000_000, exp: 1_700_003_600 };
const PAYLOAD = b64(CLAIMS);

let dir: string;
let certPath: string;
let thumbprint: string;
let keyPem: string;
let x5t: string;

beforeAll(() => {
  // A throwaway signer: the fixture certificate's private key is not in the repository.
  dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-decode-'));
  const keyPath = join(dir, 'signer.key');
  const pemPath = join(dir, 'signer.pem');
  certPath = join(dir, 'signer.cer');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', pemPath, '-days', '2', '-subj', '/CN=oauth-inspect decode test signer'], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-in', pemPath, '-outform', 'DER', '-out', certPath]);
  const der = readFileSync(certPath);
  thumbprint = createHash('sha1').update(der).digest('hex').toUpperCase();
  x5t = createHash('sha1').update(der).digest('base64url');
  keyPem = readFileSync(keyPath, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A token signed by the throwaway signer, valid from a minute ago for an hour. */
async function signedToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = await importPKCS8(keyPem, 'RS256');
  const claims = { ...CLAIMS, nbf: now - 60, exp: now + 3600 };
  return new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t }).sign(key);
}

async function decode(...args: string[]): Promise<{ code: number | null; lines: string[]; stdout: string }> {
  const r = await runInProcess(['decode', ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, lines: r.stdout.split('\n'), stdout: r.stdout };
}

describe('decode on tokens that do not decode as a whole', () => {
  it('a two-segment token: header and claims shown, the missing signature named', async () => {
    const { code, lines, stdout } = await decode(`${HEADER}.${PAYLOAD}`, '--at', '2023-11-14T22:30:00Z');
    expect(code).toBe(1);
    expect(lines[1]).toBe('malformed JWT: signature segment missing (2 segments, a JWS has 3)');
    expect(lines).toContain('    "x5t": "XqrnFEfsS55_vMBpHvF0pTnqeaM"');
    expect(lines).toContain(`    "aud": "${CLAIMS.aud}",`);
    expect(lines).toContain('signature: missing (no third segment)');
    expect(stdout).toContain('token-malformed: Bearer value looks like a JWT but does not decode: signature segment missing (2 segments, a JWS has 3)');
    expect(stdout).not.toContain('not three base64url segments');
  });

  it("a '%' in the payload: its position, the header shown, the claims marked", async () => {
    const token = `${HEADER}.${PAYLOAD.slice(0, 10)}%${PAYLOAD.slice(11)}.c2ln`;
    const position = HEADER.length + 1 + 10;
    const { lines, stdout } = await decode(token);
    expect(lines[1]).toBe(`malformed JWT: payload segment contains characters outside base64url (position ${position}: '%')`);
    expect(token[position]).toBe('%');
    expect(lines).toContain('    "alg": "RS256",');
    expect(lines).toContain('claims: does not decode');
    expect(lines).toContain('signature: present (not checked: the token does not decode)');
    expect(stdout).toContain(`does not decode: payload segment contains characters outside base64url (position ${position}: '%')`);
  });

  it('a payload that is not JSON: the parser fault and its position in the decoded text', async () => {
    const { lines } = await decode(`${HEADER}.${Buffer.from('{"aud": nope}').toString('base64url')}.c2ln`);
    expect(lines[1]).toBe("malformed JWT: payload segment is not JSON (unexpected character 'o' at position 9 of the decoded text)");
    expect(lines).toContain('claims: does not decode');
  });

  it('--json carries the partial decode', async () => {
    const { stdout } = await decode(`${HEADER}.${PAYLOAD}`, '--json');
    const json = JSON.parse(stdout) as { decoded: unknown };
    expect(json.decoded).toEqual({
      type: 'jwt-malformed',
      error: 'signature segment missing (2 segments, a JWS has 3)',
      partial: { failed: 'signature', header: { alg: 'RS256', typ: 'JWT', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' }, claims: CLAIMS, signature: 'missing' },
    });
  });
});

describe('decode --cert: who signed', () => {
  it('a good signature names the certificate that verified it; validity is judged now', async () => {
    const { code, lines, stdout } = await decode(await signedToken(), '--cert', certPath);
    expect(lines).toContain(`signature: verified with CN=oauth-inspect decode test signer, thumbprint ${thumbprint}`);
    expect(lines.find((line) => line.startsWith('  valid '))).toMatch(/^ {2}valid now, for (59 minutes \d+ seconds?|1 hour) more \(\d{4}-\d\d-\d\dT[\d:]+Z\)$/);
    expect(stdout).not.toContain('capture time');
    expect(stdout).toContain('findings: none');
    expect(code).toBe(0);
  });

  it('a bad signature names the certificate it failed with, and why', async () => {
    const token = await signedToken();
    const tampered = `${token.slice(0, -8)}AAAAAAAA`;
    const { lines } = await decode(tampered, '--cert', certPath);
    expect(lines).toContain(
      `signature: does not verify with CN=oauth-inspect decode test signer, thumbprint ${thumbprint} (${certPath}): ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed`,
    );
  });

  it('no matching certificate: the x5t the token named, and that the given certificate does not match', async () => {
    const { lines } = await decode(await signedToken(), '--cert', FIXTURE_CERT);
    const line = lines.find((l) => l.startsWith('signature: '));
    expect(line).toMatch(new RegExp(`^signature: not verified: the token names x5t=${x5t}, and the given certificate does not match \\(CN=[^)]*, thumbprint [0-9A-F]{40}\\)$`));
  });

  it('without --cert the signature is not verified, and says so', async () => {
    const { lines } = await decode(await signedToken());
    expect(lines).toContain('signature: present (not verified: no certificate given, see --cert)');
  });

  it('--at judges validity at the given time and says so', async () => {
    const { lines, stdout } = await decode(await signedToken(), '--at', '2020-01-01T00:00:00Z');
    expect(lines.find((line) => line.startsWith('  not yet valid'))).toMatch(/^ {2}not yet valid: starts \d+ years? \d+ months? after 2020-01-01T00:00:00Z$/);
    expect(stdout.split('findings:')[0]).not.toContain('capture time');
  });
});
