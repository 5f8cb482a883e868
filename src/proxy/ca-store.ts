// The proxy's certificate authority: created on first use with node-forge, kept private (0700 folders, 0600 key).
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { configDir } from '../config/config-dir.js';
import { InputError } from '../model/errors.js';
import { rsaKeyPair, signCertificate } from './native-signature.js';

export interface CaStore {
  readonly dir: string;
  /** The CA certificate (PEM) that clients must trust. */
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  /** The CA's private key, for signing leaf certificates natively. */
  readonly privateKey: KeyObject;
  /** The CA's subject, as node-forge attributes (the issuer of every leaf). */
  readonly subjectAttributes: readonly forge.pki.CertificateField[];
}

/** `$XDG_CONFIG_HOME/oauth-inspect/ca`, else `~/.config/oauth-inspect/ca`. */
export function defaultCaDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(configDir(env), 'ca');
}

const CA_SUBJECT: forge.pki.CertificateField[] = [
  { name: 'commonName', value: 'oauth-inspect proxy CA' },
  { name: 'organizationName', value: 'oauth-inspect' },
  { shortName: 'OU', value: 'interception CA for test machines' },
];
const CA_EXTENSIONS = [
  { name: 'basicConstraints', cA: true, critical: true },
  { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  { name: 'subjectKeyIdentifier' },
];
const DAY_MS = 86_400_000;
const CA_VALIDITY_DAYS = 365;

/**
 * Writes a new self-signed CA into `dir` in the layout http-mitm-proxy used (certs/ca.pem,
 * keys/ca.private.key as PKCS#1 PEM, keys/ca.public.key), so directories made by either read the
 * same. The key files are created 0600; the certificate comes last, because its presence is
 * what says that a CA exists.
 */
async function writeNewCa(certPath: string, keyPath: string, publicKeyPath: string): Promise<void> {
  const { privateKey, publicKey } = await rsaKeyPair();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  const now = Date.now();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + CA_VALIDITY_DAYS * DAY_MS);
  cert.setSubject(CA_SUBJECT);
  cert.setIssuer(CA_SUBJECT);
  cert.setExtensions(CA_EXTENSIONS);
  signCertificate(cert, privateKey);
  await writeFile(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), { mode: 0o600 });
  await writeFile(publicKeyPath, publicKeyPem, { mode: 0o600 });
  await writeFile(certPath, forge.pki.certificateToPem(cert), { mode: 0o644 });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Loads the CA in `dir`, creating it on first use. The folders are made 0700 before any key is
 * written and the private key is set to 0600 on every open: a CA folder written by an older
 * version (http-mitm-proxy wrote with the process umask) is tightened the first time it is used.
 */
export async function openCaStore(dir: string): Promise<CaStore> {
  const certPath = join(dir, 'certs', 'ca.pem');
  const keyPath = join(dir, 'keys', 'ca.private.key');
  let certPem: string;
  let keyPem: string;
  try {
    for (const folder of [dir, join(dir, 'certs'), join(dir, 'keys')]) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await chmod(folder, 0o700);
    }
    if (!(await exists(certPath))) await writeNewCa(certPath, keyPath, join(dir, 'keys', 'ca.public.key'));
    await chmod(keyPath, 0o600);
    [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch (error) {
    // A file where the folder should be, a folder not writable: the admin's to fix, not a crash.
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError('unreadable', `cannot use as the CA folder (${code})`, dir, { cause: error });
  }
  return {
    dir,
    certPath,
    keyPath,
    certPem,
    privateKey: createPrivateKey(keyPem),
    subjectAttributes: forge.pki.certificateFromPem(certPem).subject.attributes,
  };
}
