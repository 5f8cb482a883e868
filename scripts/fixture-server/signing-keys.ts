// Test signing keys: RSA keys and self-signed certificates made with openssl in a temporary directory.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key pair whose private half never leaves the temporary directory (and memory). */
export interface SigningKey {
  /** File stem for the committed certificate, e.g. `oauth-test-cert`. */
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly certPem: string;
  readonly certDer: Buffer;
  /** base64url SHA-1 of the DER certificate: the JOSE `x5t` (and `kid`). */
  readonly x5t: string;
  /** Upper-case hex SHA-1 thumbprint, as Get-AuthConfig shows it. */
  readonly thumbprint: string;
}

export interface FixtureKeys {
  /** Signs every token the server trusts (plays the ACS / Entra signing certificate). */
  readonly trusted: SigningKey;
  /** Signs tokens nobody trusts. */
  readonly other: SigningKey;
}

function makeKey(dir: string, name: string, subject: string): SigningKey {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-subj', subject,
      '-keyout', keyFile, '-out', certFile],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const certPem = readFileSync(certFile, 'utf8');
  const certDer = Buffer.from(new X509Certificate(certPem).raw);
  const sha1 = createHash('sha1').update(certDer).digest();
  return {
    name,
    privateKey: createPrivateKey(readFileSync(keyFile)),
    certPem,
    certDer,
    x5t: sha1.toString('base64url'),
    thumbprint: sha1.toString('hex').toUpperCase(),
  };
}

/** Generates both key pairs; the private key files are deleted before this returns. */
export function generateFixtureKeys(): FixtureKeys {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-keys-'));
  try {
    return {
      trusted: makeKey(dir, 'oauth-test-cert', '/CN=oauth-inspect test token signer/O=Contoso Test'),
      other: makeKey(dir, 'other-signer-cert', '/CN=oauth-inspect untrusted signer/O=Fabrikam Test'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
