// NTLMSSP message parsing (MS-NLMP 2.2.1): names and flags only; challenge responses are never read.
import type { DecodedCredential, NtlmMessage } from '../model/index.js';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
const NEGOTIATE_UNICODE = 0x00000001;
const NEGOTIATE_OEM_DOMAIN_SUPPLIED = 0x00001000;
const NEGOTIATE_OEM_WORKSTATION_SUPPLIED = 0x00002000;
/** Longest name kept, in bytes; longer fields are cut. */
const MAX_NAME_BYTES = 512;

/** True when the bytes start with the NTLMSSP signature. */
export function isNtlmssp(bytes: Buffer): boolean {
  return bytes.length >= SIGNATURE.length && bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE);
}

/** Parses a NEGOTIATE (1), CHALLENGE (2) or AUTHENTICATE (3) message; undefined when it is none. */
export function parseNtlm(bytes: Buffer): NtlmMessage | undefined {
  if (!isNtlmssp(bytes) || bytes.length < 12) return undefined;
  const messageType = bytes.readUInt32LE(8);
  if (messageType === 1) return parseNegotiate(bytes);
  if (messageType === 2) return parseChallenge(bytes);
  if (messageType === 3) return parseAuthenticate(bytes);
  return undefined;
}

/** An NTLM credential as decoded, or undecodable when the bytes are no NTLMSSP message. */
export function decodeNtlmBytes(bytes: Buffer, wrapped?: 'spnego'): DecodedCredential {
  const ntlm = parseNtlm(bytes);
  if (!ntlm) return { type: 'undecodable', error: 'not a complete NTLMSSP message' };
  return wrapped ? { type: 'ntlm', ntlm, wrapped } : { type: 'ntlm', ntlm };
}

function parseNegotiate(bytes: Buffer): NtlmMessage | undefined {
  if (bytes.length < 16) return undefined;
  const flags = bytes.readUInt32LE(12);
  const domain =
    flags & NEGOTIATE_OEM_DOMAIN_SUPPLIED ? readField(bytes, 16, false) : undefined;
  const workstation =
    flags & NEGOTIATE_OEM_WORKSTATION_SUPPLIED ? readField(bytes, 24, false) : undefined;
  return withNames({ messageType: 1, flags: flagsHex(flags) }, { domain, workstation });
}

function parseChallenge(bytes: Buffer): NtlmMessage | undefined {
  if (bytes.length < 24) return undefined;
  const flags = bytes.readUInt32LE(20);
  const targetName = readField(bytes, 12, (flags & NEGOTIATE_UNICODE) !== 0);
  return withNames({ messageType: 2, flags: flagsHex(flags) }, { targetName });
}

function parseAuthenticate(bytes: Buffer): NtlmMessage | undefined {
  if (bytes.length < 52) return undefined;
  // NegotiateFlags sit at 60 unless the payload starts before that (very old clients).
  const flags = bytes.length >= 64 && firstPayloadOffset(bytes) >= 64 ? bytes.readUInt32LE(60) : undefined;
  const unicode = flags === undefined || (flags & NEGOTIATE_UNICODE) !== 0;
  const base: NtlmMessage = flags === undefined ? { messageType: 3 } : { messageType: 3, flags: flagsHex(flags) };
  return withNames(base, {
    domain: readField(bytes, 28, unicode),
    user: readField(bytes, 36, unicode),
    workstation: readField(bytes, 44, unicode),
  });
}

/** Smallest non-empty field offset among the AUTHENTICATE message's six fields. */
function firstPayloadOffset(bytes: Buffer): number {
  let smallest = bytes.length;
  for (let field = 12; field <= 52; field += 8) {
    if (bytes.readUInt16LE(field) > 0) smallest = Math.min(smallest, bytes.readUInt32LE(field + 4));
  }
  return smallest;
}

/** Reads a (length, maxLength, offset) field descriptor at `at`; undefined when empty or out of bounds. */
function readField(bytes: Buffer, at: number, unicode: boolean): string | undefined {
  if (at + 8 > bytes.length) return undefined;
  const length = bytes.readUInt16LE(at);
  const offset = bytes.readUInt32LE(at + 4);
  if (length === 0 || offset + length > bytes.length) return undefined;
  const field = bytes.subarray(offset, offset + Math.min(length, MAX_NAME_BYTES));
  return unicode ? field.subarray(0, field.length & ~1).toString('utf16le') : field.toString('latin1');
}

function withNames(base: NtlmMessage, names: Partial<Record<'domain' | 'user' | 'workstation' | 'targetName', string | undefined>>): NtlmMessage {
  const present = Object.entries(names).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { ...base, ...Object.fromEntries(present) };
}

function flagsHex(flags: number): string {
  return `0x${flags.toString(16).padStart(8, '0')}`;
}
