// Trust store: signing certificates from .cer/PEM files and /metadata/json/1 documents, by thumbprint.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { InputError } from '../model/index.js';
import type { ConfigPath } from './resolved-config.js';
import { readSmallFile } from './small-file.js';

export interface TrustedCertificate {
  readonly subject: string;
  /** Upper-case hex SHA-1 of the DER certificate (what `x5t` encodes, as Get-AuthConfig shows it). */
  readonly sha1: string;
  /** Upper-case hex SHA-256 of the DER certificate (what `x5t#S256` encodes). */
  readonly sha256: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly publicKey: KeyObject;
  /** The file the certificate came from, with its config line when there is one. */
  readonly origin: string;
}

export interface TrustStore {
  readonly certificates: readonly TrustedCertificate[];
  /** Finds a certificate by its SHA-1 or SHA-256 thumbprint in hex, any case. */
  byThumbprint(hex: string): TrustedCertificate | undefined;
}

export function createTrustStore(certificates: readonly TrustedCertificate[]): TrustStore {
  const index = new Map<string, TrustedCertificate>();
  for (const cert of certificates) {
    index.set(cert.sha1, cert);
    index.set(cert.sha256, cert);
  }
  return { certificates, byThumbprint: (hex) => index.get(hex.toUpperCase()) };
}

export const emptyTrustStore: TrustStore = createTrustStore([]);

/** Loads every certificate file and metadata document; throws InputError('bad-config') on any problem. */
export async function loadTrustStore(
  certificateFiles: readonly ConfigPath[],
  metadataFiles: readonly ConfigPath[],
): Promise<TrustStore> {
  const certificates: TrustedCertificate[] = [];
  for (const file of certificateFiles) {
    const bytes = await readConfigured(file, 'certificate');
    const ders = derCertificatesIn(bytes);
    if (ders.length === 0) throw new InputError('bad-config', noCertificateMessage(bytes, file), file.origin);
    for (const der of ders) certificates.push(toTrusted(der, file));
  }
  for (const file of metadataFiles) {
    const bytes = await readConfigured(file, 'metadata document');
    for (const der of metadataCertificates(bytes, file)) certificates.push(toTrusted(der, file));
  }
  return createTrustStore(certificates);
}


function readConfigured(file: ConfigPath, what: string): Promise<Buffer> {
  return readSmallFile({
    path: file.path,
    what,
    origin: file.origin,
    named: named(file),
    cannotRead: (reason) => `cannot read ${what} ${named(file)}(${reason})`,
  });
}

/** The path, for messages whose origin is a config line (`rules.yaml:12`); a flag's origin is the path already. */
function named(file: ConfigPath): string {
  return /:\d+$/.test(file.origin) ? `${file.path} ` : '';
}

/** Why a PEM file gave no certificate: most often a private key or a CSR passed by mistake. */
function noCertificateMessage(bytes: Buffer, file: ConfigPath): string {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(bytes.toString('latin1'))?.[1];
  const found = label === undefined ? 'no certificate' : `a ${label.toLowerCase()}, not a certificate`;
  return `${named(file)}holds ${found}: give the public certificate (.cer, as Export-Certificate writes OAuthCert.cer)`;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** A .cer may be DER or PEM; a PEM file may hold several certificates. */
function derCertificatesIn(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN')) return [bytes];
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
  return blocks;
}

/** `keys[].keyvalue.value` (base64 DER) of a metadata document; `keyValue` casing accepted too. */
function metadataCertificates(bytes: Buffer, file: ConfigPath): Buffer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new InputError('bad-config', `metadata document ${named(file)}is not JSON`, file.origin, { cause });
  }
  const keys = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new InputError('bad-config', `metadata document ${named(file)}has no keys[]`, file.origin);
  }
  const ders: Buffer[] = [];
  for (const key of keys as Array<Record<string, unknown>>) {
    const keyValue = (key?.['keyvalue'] ?? key?.['keyValue']) as { value?: unknown } | undefined;
    if (typeof keyValue?.value !== 'string') {
      throw new InputError('bad-config', `metadata document ${named(file)}has a key without keyvalue.value`, file.origin);
    }
    ders.push(Buffer.from(keyValue.value, 'base64'));
  }
  return ders;
}

function toTrusted(der: Buffer, file: ConfigPath): TrustedCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (cause) {
    throw new InputError('bad-config', `${named(file)}holds no readable X.509 certificate`, file.origin, { cause });
  }
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    sha1: cert.fingerprint.replace(/:/g, ''),
    sha256: cert.fingerprint256.replace(/:/g, ''),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    publicKey: cert.publicKey,
    origin: file.origin,
  };
}
