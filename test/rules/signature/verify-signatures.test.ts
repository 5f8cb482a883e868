// verifySignatures with real keys: an openssl self-signed certificate, tokens signed with jose.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustStore, type TrustStore } from '../../../src/config/trust-store.js';
import { InputError } from '../../../src/model/index.js';
import { verifySignatures } from '../../../src/rules/signature/verify-signatures.js';
import { ACS, EXCHANGE, HOST, SKYPE, TENANT, bearerExchange, jwtFromCompact, makeJwt } from '../factories.js';

interface KeyPair {
  readonly keyPem: string;
  readonly der: Buffer;
  readonly certPath: string;
  readonly derPath: string;
  readonly x5t: string;
}

let dir: string;
let signer: KeyPair;
let stranger: KeyPair;
let store: TrustStore;

function makeKeyPair(name: string): KeyPair {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.pem`);
  const derPath = join(dir, `${name}.cer`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${name}`], {
    stdio: 'ignore',
  });
  execFileSync('openssl', ['x509', '-in', certPath, '-outform', 'DER', '-out', derPath]);
  const der = readFileSync(derPath);
  return { keyPem: readFileSync(keyPath, 'utf8'), der, certPath, derPath, x5t: createHash('sha1').update(der).digest('base64url') };
}

async function sign(pair: KeyPair, claims: Record<string, unknown>, header: Record<string, unknown> = { x5t: pair.x5t }): Promise<string> {
  const key = await importPKCS8(pair.keyPem, 'RS256');
  return new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(key);
}

const actorClaims = { aud: `${EXCHANGE}/${HOST}@${TENANT}`, iss: `${ACS}@${TENANT}`, nameid: `${SKYPE}@${TENANT}` };

function outerWith(actor: ReturnType<typeof jwtFromCompact>) {
  return makeJwt({ header: { alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}`, actortoken: '(actor)' }, actor });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-sig-'));
  signer = makeKeyPair('oauth-test-signer');
  stranger = makeKeyPair('oauth-test-stranger');
  store = await loadTrustStore([{ path: signer.derPath, origin: 'rules.yaml:9' }], []);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verifySignatures', () => {
  it('verifies the signed actor token of the outer/actor pattern', async () => {
    const decoded = bearerExchange(outerWith(jwtFromCompact(await sign(signer, actorClaims))));
    const results = await verifySignatures(decoded, store);
    expect(results.get(decoded.credentials[0]?.id ?? '')).toEqual({
      status: 'valid',
      token: 'actor',
      signer: { subject: 'CN=oauth-test-signer', thumbprint: store.certificates[0]?.sha1, origin: 'rules.yaml:9' },
    });
  });

  it('verifies an app-only token found by kid alone', async () => {
    const decoded = bearerExchange(jwtFromCompact(await sign(signer, actorClaims, { kid: signer.x5t })));
    const results = await verifySignatures(decoded, store);
    expect(results.get(decoded.credentials[0]?.id ?? '')).toMatchObject({ status: 'valid', token: 'token' });
  });

  it('reports invalid when the named certificate does not verify the signature (another key signed)', async () => {
    const forged = await sign(stranger, actorClaims, { x5t: signer.x5t });
    const decoded = bearerExchange(outerWith(jwtFromCompact(forged)));
    const result = (await verifySignatures(decoded, store)).get(decoded.credentials[0]?.id ?? '');
    expect(result).toMatchObject({ status: 'invalid', token: 'actor', reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed' });
  });

  it('reports invalid when a claim was altered after signing', async () => {
    const [header, , signature] = (await sign(signer, actorClaims)).split('.');
    const altered = Buffer.from(JSON.stringify({ ...actorClaims, nameid: `${EXCHANGE}@${TENANT}` })).toString('base64url');
    const decoded = bearerExchange(jwtFromCompact(`${header}.${altered}.${signature}`));
    expect((await verifySignatures(decoded, store)).get(decoded.credentials[0]?.id ?? '')?.status).toBe('invalid');
  });

  it('reports an unknown signer when no configured certificate has the x5t', async () => {
    const decoded = bearerExchange(jwtFromCompact(await sign(stranger, actorClaims)));
    expect((await verifySignatures(decoded, store)).get(decoded.credentials[0]?.id ?? '')).toEqual({
      status: 'unknown-signer',
      token: 'token',
      keyIds: `x5t=${stranger.x5t}`,
    });
  });

  it('verifies nothing without a trust store, and skips unsigned tokens without actor', async () => {
    const decoded = bearerExchange(jwtFromCompact(await sign(signer, actorClaims)));
    expect((await verifySignatures(decoded, await loadTrustStore([], []))).size).toBe(0);
    const unsigned = bearerExchange(makeJwt({ header: { alg: 'none' }, claims: {} }));
    expect((await verifySignatures(unsigned, store)).size).toBe(0);
  });
});

describe('loadTrustStore', () => {
  it('loads DER, PEM and metadata documents and indexes them by SHA-1 and SHA-256 thumbprint', async () => {
    const metadataPath = join(dir, 'metadata.json');
    writeFileSync(
      metadataPath,
      JSON.stringify({ keys: [{ usage: 'signing', keyinfo: { x5t: stranger.x5t }, keyvalue: { type: 'x509Certificate', value: stranger.der.toString('base64') } }] }),
    );
    const loaded = await loadTrustStore(
      [
        { path: signer.derPath, origin: 'a' },
        { path: signer.certPath, origin: 'b' },
      ],
      [{ path: metadataPath, origin: 'c' }],
    );
    expect(loaded.certificates.map((c) => c.origin)).toEqual(['a', 'b', 'c']);
    const sha1 = createHash('sha1').update(stranger.der).digest('hex');
    const sha256 = createHash('sha256').update(stranger.der).digest('hex');
    expect(loaded.byThumbprint(sha1)?.origin).toBe('c');
    expect(loaded.byThumbprint(sha256.toUpperCase())?.origin).toBe('c');
    expect(loaded.certificates[0]?.subject).toBe('CN=oauth-test-signer');
  });

  it('throws InputError bad-config with the configured origin for unreadable or wrong files', async () => {
    const notCert = join(dir, 'not-a-cert.cer');
    writeFileSync(notCert, 'hello');
    await expect(loadTrustStore([{ path: join(dir, 'missing.cer'), origin: 'rules.yaml:4' }], [])).rejects.toMatchObject({
      code: 'bad-config',
      path: 'rules.yaml:4',
      message: `cannot read certificate ${join(dir, 'missing.cer')} (ENOENT)`,
    });
    await expect(loadTrustStore([{ path: notCert, origin: 'x' }], [])).rejects.toBeInstanceOf(InputError);
    await expect(loadTrustStore([], [{ path: notCert, origin: 'rules.yaml:7' }])).rejects.toMatchObject({
      code: 'bad-config',
      message: `metadata document ${notCert} is not JSON`,
    });
  });

  it('names a file given by a flag once: the origin is the path already', async () => {
    const notCert = join(dir, 'not-a-cert-flag.cer');
    writeFileSync(notCert, 'hello');
    const oneLine = (e: unknown): string => (e as InputError).oneLine();
    expect(oneLine(await loadTrustStore([{ path: notCert, origin: notCert }], []).catch((e: unknown) => e))).toBe(`${notCert}: holds no readable X.509 certificate`);
    expect(oneLine(await loadTrustStore([], [{ path: notCert, origin: notCert }]).catch((e: unknown) => e))).toBe(`${notCert}: metadata document is not JSON`);
    const missing = join(dir, 'missing-flag.cer');
    expect(oneLine(await loadTrustStore([{ path: missing, origin: missing }], []).catch((e: unknown) => e))).toBe(`${missing}: cannot read certificate (ENOENT)`);
  });
});
