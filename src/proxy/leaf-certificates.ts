// Per-host TLS certificates for interception: one pre-generated key, certificates signed natively, cached.
import { constants, generateKeyPair, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { createRequire } from 'node:module';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { CaStore } from './ca-store.js';

/** The part of node-forge (http-mitm-proxy's own dependency) used to lay out X.509 certificates. */
interface ForgeCertificate {
  publicKey: unknown;
  serialNumber: string;
  validity: { notBefore: Date; notAfter: Date };
  setSubject(attributes: readonly unknown[]): void;
  setIssuer(attributes: readonly unknown[]): void;
  setExtensions(extensions: readonly unknown[]): void;
  sign(key: { sign(md: { digest(): { getBytes(): string } }): string }, md: unknown): void;
}
interface Forge {
  pki: {
    createCertificate(): ForgeCertificate;
    publicKeyFromPem(pem: string): unknown;
    certificateToPem(cert: ForgeCertificate): string;
  };
  md: { sha256: { create(): unknown } };
}

const forge = createRequire(createRequire(import.meta.url).resolve('http-mitm-proxy'))('node-forge') as Forge;

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const DAY_MS = 86_400_000;
/** Hosts whose TLS context stays cached; the oldest is dropped beyond this. */
const MAX_CACHED_HOSTS = 1000;

/**
 * Hands out a TLS context per host name. http-mitm-proxy makes a fresh RSA key per host (about
 * 200 ms of blocked event loop) and signs in pure JavaScript (about 50 ms more); here one leaf
 * key is generated off the main thread at start, and node-forge only lays out the certificate
 * while the signature is a native RSA operation (about 1 ms per new host).
 */
export class LeafCertificates {
  readonly #ca: CaStore;
  readonly #keyPem: string;
  readonly #publicKey: unknown;
  readonly #contexts = new Map<string, SecureContext>();

  private constructor(ca: CaStore, keyPem: string, publicKeyPem: string) {
    this.#ca = ca;
    this.#keyPem = keyPem;
    this.#publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  }

  static async create(ca: CaStore): Promise<LeafCertificates> {
    const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey })));
    });
    return new LeafCertificates(
      ca,
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
  }

  /** The TLS server context for `host` (a DNS name or an IP address). */
  contextFor(host: string): SecureContext {
    const name = host.toLowerCase();
    let context = this.#contexts.get(name);
    if (context === undefined) {
      context = createSecureContext({ key: this.#keyPem, cert: `${this.certificatePem(name)}${this.#ca.certPem}` });
      if (this.#contexts.size >= MAX_CACHED_HOSTS) this.#contexts.delete(this.#contexts.keys().next().value!);
      this.#contexts.set(name, context);
    }
    return context;
  }

  /** A certificate for `host`, signed by the CA (PEM). */
  certificatePem(host: string): string {
    const { pki, md } = forge;
    const cert = pki.createCertificate();
    const now = Date.now();
    cert.publicKey = this.#publicKey;
    cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
    cert.validity.notBefore = new Date(now - DAY_MS);
    cert.validity.notAfter = new Date(now + 30 * DAY_MS);
    cert.setSubject([{ name: 'commonName', value: host }, { name: 'organizationName', value: 'oauth-inspect proxy' }]);
    cert.setIssuer(this.#ca.subjectAttributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }] },
      { name: 'subjectKeyIdentifier' },
    ]);
    const caKey = this.#ca.privateKey;
    cert.sign({ sign: (digest) => signSha256Digest(caKey, digest.digest().getBytes()) }, md.sha256.create());
    return pki.certificateToPem(cert);
  }
}

/** RSASSA-PKCS1-v1_5 over an already computed SHA-256 digest (forge's binary-string form). */
function signSha256Digest(key: KeyObject, digest: string): string {
  const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(digest, 'binary')]);
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
}
