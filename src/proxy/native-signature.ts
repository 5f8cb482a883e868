// Native RSA for node-forge certificates: forge lays out the X.509 fields, node:crypto makes the keys and signs.
import { constants, generateKeyPair, privateEncrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs `cert` (sha256WithRSAEncryption) with `key`. node-forge's own RSA signing is pure
 * JavaScript (about 50 ms per signature); here it only hands over the SHA-256 digest it computed.
 * It does not check that `key` matches the issuer set on the certificate.
 */
export function signCertificate(cert: forge.pki.Certificate, key: KeyObject): void {
  const signer = {
    sign: (digest: forge.md.MessageDigest): string => {
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(digest.digest().getBytes(), 'binary')]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

/** An RSA-2048 key pair, generated off the main thread. */
export function rsaKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey })));
  });
}
