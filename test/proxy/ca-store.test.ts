// The proxy CA: a new one is private and signs leaves; a CA folder written by the old http-mitm-proxy code still works.
import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Proxy as MitmProxy } from 'http-mitm-proxy';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { openCaStore } from '../../src/proxy/ca-store.js';
import { LeafCertificates } from '../../src/proxy/leaf-certificates.js';
import { tempDir } from './harness.js';

/**
 * A CA folder as the code before node-forge was used directly wrote it: made at test time by
 * http-mitm-proxy's own public Proxy (its listen creates the CA in `sslCaDir`), so no key is committed.
 */
async function legacyCaFolder(dir: string): Promise<void> {
  const proxy = new MitmProxy();
  proxy.onError(() => undefined);
  await new Promise<void>((resolve, reject) => proxy.listen({ host: '127.0.0.1', port: 0, sslCaDir: dir }, (error) => (error ? reject(error) : resolve())));
  proxy.close();
}

const mode = (path: string): number => statSync(path).mode & 0o777;

async function leafFor(dir: string, host: string): Promise<X509Certificate> {
  const ca = await openCaStore(dir);
  const leaves = await LeafCertificates.create(ca);
  return new X509Certificate(leaves.certificatePem(host));
}

describe('openCaStore', () => {
  it('creates a CA certificate, 0600 key files in 0700 folders, and signs leaves with it', async () => {
    const dir = join(tempDir(), 'ca');
    const ca = await openCaStore(dir);
    for (const folder of [dir, join(dir, 'certs'), join(dir, 'keys')]) expect(mode(folder), folder).toBe(0o700);
    expect(mode(ca.keyPath)).toBe(0o600);
    expect(mode(join(dir, 'keys', 'ca.public.key'))).toBe(0o600);
    expect(readFileSync(ca.keyPath, 'utf8')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const caCert = new X509Certificate(ca.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toContain('CN=oauth-inspect proxy CA');
    expect(caCert.verify(caCert.publicKey)).toBe(true);

    const leaf = await leafFor(dir, 'exchange.test');
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkHost('exchange.test')).toBe('exchange.test');
  });

  it('keeps the CA it made: a second open reads the same certificate', async () => {
    const dir = join(tempDir(), 'ca');
    const first = await openCaStore(dir);
    const second = await openCaStore(dir);
    expect(second.certPem).toBe(first.certPem);
  });

  it('opens a CA folder made by http-mitm-proxy, tightens its permissions and signs leaves that chain to it', async () => {
    const dir = join(tempDir(), 'ca');
    await legacyCaFolder(dir);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'keys', 'ca.private.key'), 0o644);
    const legacyPem = readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8');

    const ca = await openCaStore(dir);
    expect(ca.certPem).toBe(legacyPem);
    expect(mode(dir)).toBe(0o700);
    expect(mode(ca.keyPath)).toBe(0o600);

    const caCert = new X509Certificate(legacyPem);
    expect(caCert.subject).toContain('CN=NodeMITMProxyCA');
    const leaf = await leafFor(dir, '127.0.0.1');
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('a file where the CA folder should be is an input error naming it (exit 2), not an internal error', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const error = await openCaStore(file).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).oneLine()).toBe(`${file}: cannot use as the CA folder (EEXIST)`);
  });
});
