// Cipher suites by IANA id: the record protection each one uses, and whether Node's crypto can run it.
import { getCiphers } from 'node:crypto';

export type PrfHash = 'sha256' | 'sha384';
export type MacHash = 'sha1' | 'sha256' | 'sha384';

/** How records are protected; `node` is the cipher name for `crypto.createDecipheriv`. */
export type RecordProtection =
  | { readonly kind: 'gcm' | 'ccm'; readonly node: string; readonly keyLength: number; readonly tagLength: number }
  | { readonly kind: 'chacha20'; readonly node: 'chacha20-poly1305'; readonly keyLength: 32; readonly tagLength: 16 }
  | { readonly kind: 'cbc'; readonly node: string; readonly keyLength: number; readonly blockLength: number; readonly mac: MacHash };

/** The record protections TLS 1.3 can use. */
export type AeadProtection = Exclude<RecordProtection, { kind: 'cbc' }>;

export interface CipherSuite {
  readonly id: number;
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  readonly name: string;
  /** TLS 1.2 PRF hash, or TLS 1.3 HKDF hash. */
  readonly hash: PrfHash;
  readonly tls13: boolean;
  /** Undefined when the suite's cipher is not one this tool decrypts (RC4, DES, IDEA, SEED, export…). */
  readonly protection?: RecordProtection;
}

const MAC_LENGTH: Readonly<Record<MacHash, number>> = { sha1: 20, sha256: 32, sha384: 48 };

export function macLength(mac: MacHash): number {
  return MAC_LENGTH[mac];
}

const gcm = (bits: 128 | 256): RecordProtection => ({ kind: 'gcm', node: `aes-${bits}-gcm`, keyLength: bits / 8, tagLength: 16 });
const ccm = (bits: 128 | 256, tagLength: 8 | 16): RecordProtection => ({ kind: 'ccm', node: `aes-${bits}-ccm`, keyLength: bits / 8, tagLength });
const chacha: RecordProtection = { kind: 'chacha20', node: 'chacha20-poly1305', keyLength: 32, tagLength: 16 };
const cbc = (node: string, keyLength: number, blockLength: number, mac: MacHash): RecordProtection => ({ kind: 'cbc', node, keyLength, blockLength, mac });
const aesCbc = (bits: 128 | 256, mac: MacHash): RecordProtection => cbc(`aes-${bits}-cbc`, bits / 8, 16, mac);
const camelliaCbc = (bits: 128 | 256, mac: MacHash): RecordProtection => cbc(`camellia-${bits}-cbc`, bits / 8, 16, mac);
const tripleDes = cbc('des-ede3-cbc', 24, 8, 'sha1');

/** [id, name, protection (undefined: not decrypted), PRF hash]. */
type Row = readonly [number, string, RecordProtection | undefined, PrfHash?];

const TLS12_ROWS: readonly Row[] = [
  [0x0001, 'TLS_RSA_WITH_NULL_MD5', undefined],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA', undefined],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', undefined],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5', undefined],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA', undefined],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', undefined],
  [0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA', undefined],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', undefined],
  [0x0009, 'TLS_RSA_WITH_DES_CBC_SHA', undefined],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0x0012, 'TLS_DHE_DSS_WITH_DES_CBC_SHA', undefined],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA', undefined],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0x0038, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', aesCbc(128, 'sha256')],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', aesCbc(256, 'sha256')],
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', camelliaCbc(128, 'sha1')],
  [0x0044, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA', camelliaCbc(128, 'sha1')],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA', camelliaCbc(128, 'sha1')],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', aesCbc(128, 'sha256')],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', aesCbc(256, 'sha256')],
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', camelliaCbc(256, 'sha1')],
  [0x0087, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA', camelliaCbc(256, 'sha1')],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', camelliaCbc(256, 'sha1')],
  [0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA', undefined],
  [0x0099, 'TLS_DHE_DSS_WITH_SEED_CBC_SHA', undefined],
  [0x009a, 'TLS_DHE_RSA_WITH_SEED_CBC_SHA', undefined],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', gcm(128)],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', gcm(256), 'sha384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', gcm(128)],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', gcm(256), 'sha384'],
  [0x00ba, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256', camelliaCbc(128, 'sha256')],
  [0x00c0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256', camelliaCbc(256, 'sha256')],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA', undefined],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', undefined],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA', undefined],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', undefined],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', tripleDes],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', aesCbc(128, 'sha1')],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', aesCbc(256, 'sha1')],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', aesCbc(128, 'sha256')],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', aesCbc(256, 'sha384'), 'sha384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', aesCbc(128, 'sha256')],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', aesCbc(256, 'sha384'), 'sha384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', gcm(128)],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', gcm(256), 'sha384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', gcm(128)],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', gcm(256), 'sha384'],
  [0xc09c, 'TLS_RSA_WITH_AES_128_CCM', ccm(128, 16)],
  [0xc09d, 'TLS_RSA_WITH_AES_256_CCM', ccm(256, 16)],
  [0xc09e, 'TLS_DHE_RSA_WITH_AES_128_CCM', ccm(128, 16)],
  [0xc09f, 'TLS_DHE_RSA_WITH_AES_256_CCM', ccm(256, 16)],
  [0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8', ccm(128, 8)],
  [0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8', ccm(256, 8)],
  [0xc0a2, 'TLS_DHE_RSA_WITH_AES_128_CCM_8', ccm(128, 8)],
  [0xc0a3, 'TLS_DHE_RSA_WITH_AES_256_CCM_8', ccm(256, 8)],
  [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', ccm(128, 16)],
  [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM', ccm(256, 16)],
  [0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', ccm(128, 8)],
  [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8', ccm(256, 8)],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', chacha],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', chacha],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', chacha],
];

const TLS13_ROWS: readonly Row[] = [
  [0x1301, 'TLS_AES_128_GCM_SHA256', gcm(128)],
  [0x1302, 'TLS_AES_256_GCM_SHA384', gcm(256), 'sha384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', chacha],
  [0x1304, 'TLS_AES_128_CCM_SHA256', ccm(128, 16)],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256', ccm(128, 8)],
];

const available = new Set(getCiphers());

function toSuite([id, name, protection, hash]: Row, tls13: boolean): CipherSuite {
  const runnable = protection !== undefined && available.has(protection.node);
  return { id, name, hash: hash ?? 'sha256', tls13, ...(runnable ? { protection } : {}) };
}

const SUITES = new Map<number, CipherSuite>([
  ...TLS12_ROWS.map((row) => [row[0], toSuite(row, false)] as const),
  ...TLS13_ROWS.map((row) => [row[0], toSuite(row, true)] as const),
]);

/** The suite with IANA id `id`; unknown ids get a name like `0x1234` and no protection. */
export function cipherSuite(id: number): CipherSuite {
  return SUITES.get(id) ?? { id, name: `0x${id.toString(16).padStart(4, '0')}`, hash: 'sha256', tls13: false };
}
