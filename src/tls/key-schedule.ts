// TLS key derivation: the TLS 1.0–1.2 PRF, the extended master secret, and TLS 1.3's HKDF-Expand-Label.
import { createHash, createHmac } from 'node:crypto';

/** P_hash of RFC 5246 §5: HMAC-`hash` expansion of `secret` over `seed` to `length` bytes. */
function pHash(hash: string, secret: Buffer, seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a = seed;
  let filled = 0;
  while (filled < length) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    filled += block.copy(out, filled);
  }
  return out;
}

/** TLS 1.0/1.1 PRF (RFC 2246 §5): P_MD5 over the first half of the secret XOR P_SHA1 over the second. */
function legacyPrf(secret: Buffer, seed: Buffer, length: number): Buffer {
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash('md5', secret.subarray(0, half), seed, length);
  const sha1 = pHash('sha1', secret.subarray(secret.length - half), seed, length);
  for (let i = 0; i < length; i++) md5[i] = md5[i]! ^ sha1[i]!;
  return md5;
}

/** The PRF for a protocol version: TLS 1.2 uses the suite's hash, TLS 1.0/1.1 the MD5/SHA-1 mix. */
export function prf(version: number, hash: string, secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  const labelled = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  return version >= 0x0303 ? pHash(hash, secret, labelled, length) : legacyPrf(secret, labelled, length);
}

/** master_secret from a premaster: over the randoms, or over the session hash with extended master secret (RFC 7627). */
export function masterSecret(
  version: number,
  hash: string,
  premaster: Buffer,
  clientRandom: Buffer,
  serverRandom: Buffer,
  handshakeTranscript?: Buffer,
): Buffer {
  if (handshakeTranscript !== undefined) {
    const sessionHash =
      version >= 0x0303
        ? createHash(hash).update(handshakeTranscript).digest()
        : Buffer.concat([createHash('md5').update(handshakeTranscript).digest(), createHash('sha1').update(handshakeTranscript).digest()]);
    return prf(version, hash, premaster, 'extended master secret', sessionHash, 48);
  }
  return prf(version, hash, premaster, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
}

/** key_block: MAC keys, cipher keys and IVs of both sides (RFC 5246 §6.3; the seed is server_random + client_random). */
export function keyBlock(version: number, hash: string, master: Buffer, clientRandom: Buffer, serverRandom: Buffer, length: number): Buffer {
  return prf(version, hash, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), length);
}

/** HKDF-Expand (RFC 5869) of `prk` with `info` to `length` bytes. */
function hkdfExpand(hash: string, prk: Buffer, info: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let previous = Buffer.alloc(0);
  let filled = 0;
  for (let counter = 1; filled < length; counter++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Buffer.of(counter)).digest();
    filled += previous.copy(out, filled);
  }
  return out;
}

/** HKDF-Expand-Label of RFC 8446 §7.1 with an empty context unless one is given. */
export function hkdfExpandLabel(hash: string, secret: Buffer, label: string, length: number, context: Buffer = Buffer.alloc(0)): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.of(length >> 8, length & 0xff, fullLabel.length), fullLabel, Buffer.of(context.length), context]);
  return hkdfExpand(hash, secret, info, length);
}
