// The proxy's certificate authority: created on first use by http-mitm-proxy's CA, kept private (0700/0600).
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CA } from 'http-mitm-proxy/dist/lib/ca.js';
import { configDir } from '../config/config-dir.js';

export interface CaStore {
  readonly dir: string;
  /** The CA certificate (PEM) that clients must trust. */
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  /** The CA's private key, for signing leaf certificates natively. */
  readonly privateKey: KeyObject;
  /** The CA's subject, as node-forge attributes (the issuer of every leaf). */
  readonly subjectAttributes: readonly unknown[];
}

/** `$XDG_CONFIG_HOME/oauth-inspect/ca`, else `~/.config/oauth-inspect/ca`. */
export function defaultCaDir(env: Readonly<Record<string, string | undefined>>): string {
  return join(configDir(env), 'ca');
}

function createCa(dir: string): Promise<CA> {
  return new Promise((resolve, reject) => {
    CA.create(dir, (error: unknown, ca: CA) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(ca)));
  });
}

/**
 * Loads the CA in `dir`, creating it on first use. http-mitm-proxy writes its key files with the
 * process umask (usually world-readable), so the folders are made 0700 before it writes and the
 * private key is set to 0600 after: no other user can reach the key at any moment.
 */
export async function openCaStore(dir: string): Promise<CaStore> {
  for (const folder of [dir, join(dir, 'certs'), join(dir, 'keys')]) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
  }
  const ca = await createCa(dir);
  const certPath = join(dir, 'certs', 'ca.pem');
  const keyPath = join(dir, 'keys', 'ca.private.key');
  await chmod(keyPath, 0o600);
  const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return {
    dir,
    certPath,
    keyPath,
    certPem,
    privateKey: createPrivateKey(keyPem),
    subjectAttributes: (ca.CAcert as { subject: { attributes: unknown[] } }).subject.attributes,
  };
}
