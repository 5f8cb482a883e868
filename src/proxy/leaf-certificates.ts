// Per-host TLS certificates for interception: one pre-generated key, certificates signed natively, cached.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import forge from 'node-forge';
import type { CaStore } from './ca-store.js';
import { rsaKeyPair, signCertificate } from './native-signature.js';

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
  readonly #publicKey: forge.pki.PublicKey;
  readonly #contexts = new Map<string, SecureContext>();

  private constructor(ca: CaStore, keyPem: string, publicKeyPem: string) {
    this.#ca = ca;
    this.#keyPem = keyPem;
    this.#publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  }

  static async create(ca: CaStore): Promise<LeafCertificates> {
    const { privateKey, publicKey } = await rsaKeyPair();
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
    const cert = forge.pki.createCertificate();
    const now = Date.now();
    cert.publicKey = this.#publicKey;
    cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
    cert.validity.notBefore = new Date(now - DAY_MS);
    cert.validity.notAfter = new Date(now + 30 * DAY_MS);
    cert.setSubject([{ name: 'commonName', value: host }, { name: 'organizationName', value: 'oauth-inspect proxy' }]);
    cert.setIssuer([...this.#ca.subjectAttributes]);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }] },
      { name: 'subjectKeyIdentifier' },
    ]);
    signCertificate(cert, this.#ca.privateKey);
    return forge.pki.certificateToPem(cert);
  }
}
