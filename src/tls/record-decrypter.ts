// Record decryption for one direction: TLS 1.2 AEAD (GCM, CCM, ChaCha20) and CBC with its MAC, and TLS 1.3.
import { createDecipheriv, createHmac, timingSafeEqual, type CipherCCMTypes, type CipherGCMTypes } from 'node:crypto';
import { macLength, type AeadProtection, type CipherSuite, type PrfHash, type RecordProtection } from './cipher-suites.js';
import { hkdfExpandLabel } from './key-schedule.js';

export const ContentType = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
} as const;

export interface DecryptedRecord {
  readonly contentType: number;
  readonly plaintext: Buffer;
}

/** Decrypts the records of one direction in order; undefined when a record does not authenticate. */
export interface RecordDecrypter {
  /** `header` is the 5-byte record header; `fragment` the protected bytes after it. */
  decrypt(header: Buffer, fragment: Buffer): DecryptedRecord | undefined;
}

/** The 8-byte big-endian sequence number, written into `into` at `offset`. */
function writeSequence(into: Buffer, offset: number, sequence: number): void {
  into.writeUInt32BE(Math.floor(sequence / 0x1_0000_0000), offset);
  into.writeUInt32BE(sequence >>> 0, offset + 4);
}

/** `iv` XOR the sequence number, right-aligned, into `nonce` (TLS 1.3 and RFC 7905 ChaCha20 nonces). */
function xorNonce(nonce: Buffer, iv: Buffer, sequence: number): Buffer {
  iv.copy(nonce);
  const high = Math.floor(sequence / 0x1_0000_0000);
  const low = sequence >>> 0;
  const end = nonce.length;
  nonce.writeUInt32BE((nonce.readUInt32BE(end - 8) ^ high) >>> 0, end - 8);
  nonce.writeUInt32BE((nonce.readUInt32BE(end - 4) ^ low) >>> 0, end - 4);
  return nonce;
}

/** AEAD-opens `ciphertext` with `tag`; undefined when authentication fails. */
function aeadOpen(protection: RecordProtection, key: Buffer, nonce: Buffer, aad: Buffer, ciphertext: Buffer, tag: Buffer): Buffer | undefined {
  try {
    if (protection.kind === 'ccm') {
      const decipher = createDecipheriv(protection.node as CipherCCMTypes, key, nonce, { authTagLength: protection.tagLength });
      decipher.setAuthTag(tag);
      decipher.setAAD(aad, { plaintextLength: ciphertext.length });
      const plaintext = decipher.update(ciphertext);
      decipher.final();
      return plaintext;
    }
    const decipher = createDecipheriv(protection.node as CipherGCMTypes, key, nonce, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}

/** TLS 1.2 (and 1.0/1.1) keys of one side, cut from the key block. */
export interface Tls12SideKeys {
  readonly macKey: Buffer;
  readonly key: Buffer;
  readonly iv: Buffer;
}

/** TLS 1.0–1.2 records under an AEAD suite (RFC 5288 GCM, RFC 6655 CCM, RFC 7905 ChaCha20-Poly1305). */
class Tls12AeadDecrypter implements RecordDecrypter {
  #sequence = 0;
  readonly #aad = Buffer.alloc(13);
  /** Reused per record: createDecipheriv copies the nonce. */
  readonly #nonce = Buffer.alloc(12);

  constructor(
    private readonly protection: AeadProtection,
    private readonly keys: Tls12SideKeys,
  ) {}

  decrypt(header: Buffer, fragment: Buffer): DecryptedRecord | undefined {
    const { protection } = this;
    const explicit = protection.kind === 'chacha20' ? 0 : 8;
    const plaintextLength = fragment.length - explicit - protection.tagLength;
    if (plaintextLength < 0) return undefined;
    const nonce = this.#nonce;
    if (protection.kind === 'chacha20') xorNonce(nonce, this.keys.iv, this.#sequence);
    else {
      this.keys.iv.copy(nonce, 0, 0, 4);
      fragment.copy(nonce, 4, 0, 8);
    }
    const aad = this.#aad;
    writeSequence(aad, 0, this.#sequence);
    aad[8] = header[0]!;
    aad[9] = header[1]!;
    aad[10] = header[2]!;
    aad.writeUInt16BE(plaintextLength, 11);
    const tagStart = fragment.length - protection.tagLength;
    const plaintext = aeadOpen(protection, this.keys.key, nonce, aad, fragment.subarray(explicit, tagStart), fragment.subarray(tagStart));
    if (plaintext === undefined) return undefined;
    this.#sequence++;
    return { contentType: header[0]!, plaintext };
  }
}

/** TLS 1.0–1.2 records under a CBC suite, MAC-then-encrypt or encrypt-then-MAC (RFC 7366). */
class Tls12CbcDecrypter implements RecordDecrypter {
  #sequence = 0;
  /** TLS 1.0 chains the IV from the previous record's last ciphertext block. */
  #chainedIv: Buffer;
  readonly #macLength: number;

  constructor(
    private readonly protection: Extract<RecordProtection, { kind: 'cbc' }>,
    private readonly keys: Tls12SideKeys,
    private readonly explicitIv: boolean,
    private readonly encryptThenMac: boolean,
  ) {
    this.#chainedIv = keys.iv;
    this.#macLength = macLength(protection.mac);
  }

  decrypt(header: Buffer, fragment: Buffer): DecryptedRecord | undefined {
    const { blockLength } = this.protection;
    const macLen = this.#macLength;
    if (this.encryptThenMac && fragment.length <= macLen) return undefined;
    const encrypted = this.encryptThenMac ? fragment.subarray(0, fragment.length - macLen) : fragment;
    const ivLength = this.explicitIv ? blockLength : 0;
    const ciphertext = encrypted.subarray(ivLength);
    if (encrypted.length <= ivLength || ciphertext.length % blockLength !== 0) return undefined;
    if (this.encryptThenMac && !this.#macMatches(header[0]!, header, encrypted, fragment.subarray(encrypted.length))) return undefined;
    const iv = this.explicitIv ? encrypted.subarray(0, blockLength) : this.#chainedIv;
    let padded: Buffer;
    try {
      const decipher = createDecipheriv(this.protection.node, this.keys.key, iv).setAutoPadding(false);
      padded = decipher.update(ciphertext);
      decipher.final();
    } catch {
      return undefined;
    }
    if (!this.explicitIv) this.#chainedIv = Buffer.from(ciphertext.subarray(ciphertext.length - blockLength));
    const padding = padded[padded.length - 1]! + 1;
    const contentEnd = padded.length - padding - (this.encryptThenMac ? 0 : macLen);
    if (contentEnd < 0) return undefined;
    const plaintext = padded.subarray(0, contentEnd);
    if (!this.encryptThenMac && !this.#macMatches(header[0]!, header, plaintext, padded.subarray(contentEnd, contentEnd + macLen))) {
      return undefined;
    }
    this.#sequence++;
    return { contentType: header[0]!, plaintext };
  }

  #macMatches(contentType: number, header: Buffer, data: Buffer, mac: Buffer): boolean {
    const prefix = Buffer.alloc(13);
    writeSequence(prefix, 0, this.#sequence);
    prefix[8] = contentType;
    prefix[9] = header[1]!;
    prefix[10] = header[2]!;
    prefix.writeUInt16BE(data.length, 11);
    const expected = createHmac(this.protection.mac, this.keys.macKey).update(prefix).update(data).digest();
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  }
}

/** Builds the decrypter for one side of a TLS 1.0–1.2 connection. */
export function tls12Decrypter(suite: CipherSuite, version: number, keys: Tls12SideKeys, encryptThenMac: boolean): RecordDecrypter | undefined {
  const { protection } = suite;
  if (protection === undefined) return undefined;
  if (protection.kind === 'cbc') return new Tls12CbcDecrypter(protection, keys, version >= 0x0302, encryptThenMac);
  return new Tls12AeadDecrypter(protection, keys);
}

/** Lengths of the key block parts for a TLS 1.0–1.2 suite: MAC key, cipher key, IV (each per side). */
export function keyBlockLayout(suite: CipherSuite): { macKey: number; key: number; iv: number } | undefined {
  const { protection } = suite;
  if (protection === undefined) return undefined;
  if (protection.kind === 'cbc') return { macKey: macLength(protection.mac), key: protection.keyLength, iv: protection.blockLength };
  return { macKey: 0, key: protection.keyLength, iv: protection.kind === 'chacha20' ? 12 : 4 };
}

/** TLS 1.3 records of one direction under one traffic secret (RFC 8446 §5.2–5.3). */
export class Tls13Decrypter implements RecordDecrypter {
  #sequence = 0;
  readonly #key: Buffer;
  readonly #iv: Buffer;
  readonly #nonce = Buffer.alloc(12);

  constructor(
    private readonly hash: PrfHash,
    private readonly protection: AeadProtection,
    readonly trafficSecret: Buffer,
  ) {
    this.#key = hkdfExpandLabel(hash, trafficSecret, 'key', protection.keyLength);
    this.#iv = hkdfExpandLabel(hash, trafficSecret, 'iv', 12);
  }

  decrypt(header: Buffer, fragment: Buffer): DecryptedRecord | undefined {
    const { protection } = this;
    if (header[0] !== ContentType.APPLICATION_DATA) return undefined;
    const tagStart = fragment.length - protection.tagLength;
    if (tagStart < 1) return undefined;
    const inner = aeadOpen(protection, this.#key, xorNonce(this.#nonce, this.#iv, this.#sequence), header, fragment.subarray(0, tagStart), fragment.subarray(tagStart));
    if (inner === undefined) return undefined;
    this.#sequence++;
    let end = inner.length - 1;
    while (end >= 0 && inner[end] === 0) end--;
    if (end < 0) return undefined;
    return { contentType: inner[end]!, plaintext: inner.subarray(0, end) };
  }

  /** The decrypter after a KeyUpdate: the next traffic secret (RFC 8446 §7.2). */
  next(): Tls13Decrypter {
    const { hash } = this;
    const length = hash === 'sha384' ? 48 : 32;
    return new Tls13Decrypter(hash, this.protection, hkdfExpandLabel(hash, this.trafficSecret, 'traffic upd', length));
  }
}
