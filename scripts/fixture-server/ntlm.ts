// NTLMSSP NEGOTIATE/CHALLENGE/AUTHENTICATE messages and their SPNEGO wrappers, built byte by byte.
import { createHash, createHmac, randomBytes } from 'node:crypto';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** NEGOTIATE_* flags (MS-NLMP 2.2.2.5). */
const Flag = {
  unicode: 0x00000001,
  oem: 0x00000002,
  requestTarget: 0x00000004,
  sign: 0x00000010,
  ntlm: 0x00000200,
  alwaysSign: 0x00008000,
  targetTypeDomain: 0x00010000,
  extendedSessionSecurity: 0x00080000,
  targetInfo: 0x00800000,
  version: 0x02000000,
  key128: 0x20000000,
  keyExchange: 0x40000000,
  key56: 0x80000000,
} as const;

const CLIENT_FLAGS = Flag.unicode | Flag.oem | Flag.requestTarget | Flag.sign | Flag.ntlm | Flag.alwaysSign |
  Flag.extendedSessionSecurity | Flag.version | Flag.key128 | Flag.keyExchange | Flag.key56;
const SERVER_FLAGS = Flag.unicode | Flag.requestTarget | Flag.sign | Flag.ntlm | Flag.alwaysSign |
  Flag.targetTypeDomain | Flag.extendedSessionSecurity | Flag.targetInfo | Flag.version | Flag.key128 |
  Flag.keyExchange | Flag.key56;

/** Windows 10.0 build 20348, NTLM revision 15. */
const VERSION = Buffer.from([10, 0, 0x1c, 0x4f, 0, 0, 0, 15]);

/** MsvAv* ids (MS-NLMP 2.2.2.1). */
const AvId = { eol: 0, nbComputer: 1, nbDomain: 2, dnsComputer: 3, dnsDomain: 4, dnsTree: 5, timestamp: 7 } as const;

/** Identity the fixture Exchange server announces in its CHALLENGE. */
const SERVER_IDENTITY = {
  nbDomain: 'CONTOSO',
  nbComputer: 'EXCH01',
  dnsDomain: 'contoso.test',
  dnsComputer: 'exch01.contoso.test',
} as const;

function utf16(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

/** Windows FILETIME (100 ns ticks since 1601) for a Unix time in milliseconds. */
function fileTime(unixMs: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE((BigInt(unixMs) + 11_644_473_600_000n) * 10_000n);
  return out;
}

function avPair(id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function targetInfo(nowMs: number): Buffer {
  return Buffer.concat([
    avPair(AvId.nbDomain, utf16(SERVER_IDENTITY.nbDomain)),
    avPair(AvId.nbComputer, utf16(SERVER_IDENTITY.nbComputer)),
    avPair(AvId.dnsDomain, utf16(SERVER_IDENTITY.dnsDomain)),
    avPair(AvId.dnsComputer, utf16(SERVER_IDENTITY.dnsComputer)),
    avPair(AvId.dnsTree, utf16(SERVER_IDENTITY.dnsDomain)),
    avPair(AvId.timestamp, fileTime(nowMs)),
    avPair(AvId.eol, Buffer.alloc(0)),
  ]);
}

/**
 * Lays out a message: fixed header of `headerLength` bytes, then the payload fields in order; writes
 * each field's (length, maxLength, offset) security buffer at its header offset.
 */
function layout(header: Buffer, fields: ReadonlyArray<readonly [headerOffset: number, value: Buffer]>): Buffer {
  let offset = header.length;
  for (const [at, value] of fields) {
    header.writeUInt16LE(value.length, at);
    header.writeUInt16LE(value.length, at + 2);
    header.writeUInt32LE(offset, at + 4);
    offset += value.length;
  }
  return Buffer.concat([header, ...fields.map(([, value]) => value)]);
}

function messageHeader(length: number, type: 1 | 2 | 3): Buffer {
  const header = Buffer.alloc(length);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(type, 8);
  return header;
}

/** NEGOTIATE (type 1) as a Windows client sends it: no domain or workstation supplied. */
export function negotiateMessage(): Buffer {
  const header = messageHeader(40, 1);
  header.writeUInt32LE(CLIENT_FLAGS >>> 0, 12);
  VERSION.copy(header, 32);
  return layout(header, [[16, Buffer.alloc(0)], [24, Buffer.alloc(0)]]);
}

/** CHALLENGE (type 2): target name, flags, a fresh 8-byte server challenge and target-info AV pairs. */
export function challengeMessage(nowMs: number): Buffer {
  const header = messageHeader(56, 2);
  header.writeUInt32LE(SERVER_FLAGS >>> 0, 20);
  randomBytes(8).copy(header, 24);
  VERSION.copy(header, 48);
  return layout(header, [[12, utf16(SERVER_IDENTITY.nbDomain)], [40, targetInfo(nowMs)]]);
}

/** The server challenge and target info of a CHALLENGE message, for the AUTHENTICATE that answers it. */
function readChallenge(challenge: Buffer): { serverChallenge: Buffer; targetInfo: Buffer } {
  const infoLength = challenge.readUInt16LE(40);
  const infoOffset = challenge.readUInt32LE(44);
  return {
    serverChallenge: challenge.subarray(24, 32),
    targetInfo: challenge.subarray(infoOffset, infoOffset + infoLength),
  };
}

/**
 * AUTHENTICATE (type 3) with an NTLMv2-shaped response. The proof is keyed by a stand-in for the NT
 * hash (MD4 is not available in OpenSSL 3 by default): the shape is real, the proof is not checkable.
 */
export function authenticateMessage(challenge: Buffer, who: {
  domain: string; user: string; workstation: string; password: string;
}, nowMs: number): Buffer {
  const { serverChallenge, targetInfo: info } = readChallenge(challenge);
  const blob = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), fileTime(nowMs), randomBytes(8), Buffer.alloc(4), info, Buffer.alloc(4),
  ]);
  const key = createHmac('md5', createHash('sha256').update(who.password, 'utf16le').digest().subarray(0, 16))
    .update(utf16(who.user.toUpperCase() + who.domain)).digest();
  const proof = createHmac('md5', key).update(Buffer.concat([serverChallenge, blob])).digest();
  const header = messageHeader(88, 3);
  header.writeUInt32LE(SERVER_FLAGS >>> 0, 60);
  VERSION.copy(header, 64);
  // MIC (offset 72, 16 bytes) left zero: the fixture does not compute the session key.
  return layout(header, [
    [28, utf16(who.domain)],
    [36, utf16(who.user)],
    [44, utf16(who.workstation)],
    [12, Buffer.alloc(24)],
    [20, Buffer.concat([proof, blob])],
    [52, randomBytes(16)],
  ]);
}

/** The NTLMSSP message type at the start of `bytes`, or undefined. */
export function ntlmMessageType(bytes: Buffer): number | undefined {
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return bytes.readUInt32LE(8);
}

/** The NTLMSSP message somewhere inside a SPNEGO token (or the token itself), or undefined. */
export function findNtlmMessage(token: Buffer): Buffer | undefined {
  const at = token.indexOf(SIGNATURE);
  return at < 0 ? undefined : token.subarray(at);
}

// --- SPNEGO (RFC 4178) DER wrappers ---

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

/** OID 1.3.6.1.5.5.2 (SPNEGO) and 1.3.6.1.4.1.311.2.2.10 (NTLMSSP), DER-encoded. */
const SPNEGO_OID = Buffer.from([0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02]);
const NTLMSSP_OID = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a]);

/** GSS-API InitialContextToken holding a NegTokenInit that offers NTLMSSP with `mechToken`. */
export function spnegoInit(mechToken: Buffer): Buffer {
  const negTokenInit = der(0x30,
    der(0xa0, der(0x30, NTLMSSP_OID)),
    der(0xa2, der(0x04, mechToken)));
  return der(0x60, SPNEGO_OID, der(0xa0, negTokenInit));
}

/** NegTokenResp; negState 0 accept-completed, 1 accept-incomplete; supportedMech only in the first reply. */
export function spnegoResponse(opts: { negState?: 0 | 1; supportedMech?: boolean; responseToken?: Buffer }): Buffer {
  const parts: Buffer[] = [];
  if (opts.negState !== undefined) parts.push(der(0xa0, der(0x0a, Buffer.from([opts.negState]))));
  if (opts.supportedMech) parts.push(der(0xa1, NTLMSSP_OID));
  if (opts.responseToken) parts.push(der(0xa2, der(0x04, opts.responseToken)));
  return der(0xa1, der(0x30, ...parts));
}
