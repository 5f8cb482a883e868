// Test builders: NTLMSSP messages, DER/SPNEGO tokens, unsigned JWTs, header lines from the docs.

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
export const NTLM_UNICODE = 0x00000001;
export const NTLM_OEM = 0x00000002;
export const NTLM_OEM_DOMAIN_SUPPLIED = 0x00001000;
export const NTLM_OEM_WORKSTATION_SUPPLIED = 0x00002000;

function encodeName(text: string, unicode: boolean): Buffer {
  return Buffer.from(text, unicode ? 'utf16le' : 'latin1');
}

/** Lays out (length, maxLength, offset) descriptors at `fieldsAt` with payloads from `payloadAt`. */
function withPayload(fixed: Buffer, fieldsAt: number, payloads: readonly Buffer[]): Buffer {
  let offset = fixed.length;
  payloads.forEach((payload, i) => {
    const at = fieldsAt + i * 8;
    fixed.writeUInt16LE(payload.length, at);
    fixed.writeUInt16LE(payload.length, at + 2);
    fixed.writeUInt32LE(offset, at + 4);
    offset += payload.length;
  });
  return Buffer.concat([fixed, ...payloads]);
}

export function ntlmNegotiate(options: { flags: number; domain?: string; workstation?: string }): Buffer {
  const fixed = Buffer.alloc(32);
  SIGNATURE.copy(fixed);
  fixed.writeUInt32LE(1, 8);
  fixed.writeUInt32LE(options.flags >>> 0, 12);
  return withPayload(fixed, 16, [encodeName(options.domain ?? '', false), encodeName(options.workstation ?? '', false)]);
}

export function ntlmChallenge(options: { targetName: string; unicode: boolean }): Buffer {
  const fixed = Buffer.alloc(48);
  SIGNATURE.copy(fixed);
  fixed.writeUInt32LE(2, 8);
  const flags = (options.unicode ? NTLM_UNICODE : NTLM_OEM) | 0x00028200;
  fixed.writeUInt32LE(flags >>> 0, 20);
  Buffer.from('0123456789abcdef', 'hex').copy(fixed, 24);
  const target = encodeName(options.targetName, options.unicode);
  const withTarget = withPayload(fixed, 12, [target]);
  // TargetInfo: just MsvAvEOL.
  const targetInfo = Buffer.alloc(4);
  withTarget.writeUInt16LE(4, 40);
  withTarget.writeUInt16LE(4, 42);
  withTarget.writeUInt32LE(withTarget.length, 44);
  return Buffer.concat([withTarget, targetInfo]);
}

export interface NtlmAuthenticateInput {
  readonly domain: string;
  readonly user: string;
  readonly workstation: string;
  readonly unicode: boolean;
  /** The NTLMv2 response bytes (a secret that decode must never surface). */
  readonly ntResponse: Buffer;
}

export function ntlmAuthenticate(input: NtlmAuthenticateInput): Buffer {
  const fixed = Buffer.alloc(64);
  SIGNATURE.copy(fixed);
  fixed.writeUInt32LE(3, 8);
  const flags = (input.unicode ? NTLM_UNICODE : NTLM_OEM) | 0x00088200;
  fixed.writeUInt32LE(flags >>> 0, 60);
  return withPayload(fixed, 12, [
    Buffer.alloc(24),
    input.ntResponse,
    encodeName(input.domain, input.unicode),
    encodeName(input.user, input.unicode),
    encodeName(input.workstation, input.unicode),
    Buffer.alloc(0),
  ]);
}

/** One DER element with a definite length. */
export function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length = body.length;
  let lengthBytes: Buffer;
  if (length < 0x80) lengthBytes = Buffer.from([length]);
  else if (length < 0x100) lengthBytes = Buffer.from([0x81, length]);
  else if (length < 0x10000) lengthBytes = Buffer.from([0x82, length >> 8, length & 0xff]);
  else lengthBytes = Buffer.from([0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), lengthBytes, body]);
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    let value = arc;
    do {
      groups.unshift(value & 0x7f);
      value = Math.floor(value / 128);
    } while (value > 0);
    groups.forEach((group, i) => bytes.push(i < groups.length - 1 ? group | 0x80 : group));
  }
  return der(0x06, Buffer.from(bytes));
}

export const OID = {
  spnego: '1.3.6.1.5.5.2',
  kerberos: '1.2.840.113554.1.2.2',
  msKerberos: '1.2.840.48018.1.2.2',
  ntlm: '1.3.6.1.4.1.311.2.2.10',
} as const;

/** GSS InitialContextToken wrapping SPNEGO NegTokenInit with the given mechTypes and mechToken. */
export function negTokenInit(mechTypes: readonly string[], mechToken?: Buffer): Buffer {
  const fields = [der(0xa0, der(0x30, ...mechTypes.map(oid)))];
  if (mechToken) fields.push(der(0xa2, der(0x04, mechToken)));
  return der(0x60, oid(OID.spnego), der(0xa0, der(0x30, ...fields)));
}

/** SPNEGO NegTokenResp with negState, optional supportedMech and responseToken. */
export function negTokenResp(options: { negState: number; supportedMech?: string; responseToken?: Buffer }): Buffer {
  const fields = [der(0xa0, der(0x0a, Buffer.from([options.negState])))];
  if (options.supportedMech) fields.push(der(0xa1, oid(options.supportedMech)));
  if (options.responseToken) fields.push(der(0xa2, der(0x04, options.responseToken)));
  return der(0xa1, der(0x30, ...fields));
}

/** A GSS-wrapped Kerberos AP-REQ (contents are filler: only the framing matters to decode). */
export function kerberosApReq(mechOid: string = OID.kerberos): Buffer {
  const apReq = der(0x6e, der(0x30, der(0xa0, der(0x02, Buffer.from([5]))), der(0xa1, der(0x02, Buffer.from([14])))));
  return der(0x60, oid(mechOid), Buffer.from([0x01, 0x00]), apReq);
}

export function base64url(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/** An unsigned (alg none) compact JWT: header.payload. with an empty signature. */
export function unsignedJwt(payload: unknown, header: unknown = { typ: 'JWT', alg: 'none' }): string {
  return `${base64url(header)}.${base64url(payload)}.`;
}

/** A header line as the doc prints it: `Name: value`, or `Name →value` as a client tool showed it. */
export function headerLine(line: string): readonly [string, string] {
  const match = /^([^:\s→]+)(?::\s*| →)(.*)$/.exec(line);
  if (!match) throw new Error(`not a header line: ${line}`);
  return [match[1]!, match[2]!];
}
