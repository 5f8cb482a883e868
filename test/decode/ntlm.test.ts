// NTLMSSP parsing, checked against tshark's NTLMSSP dissector on the same messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNtlmBytes, isNtlmssp, parseNtlm } from '../../src/decode/ntlm.js';
import type { NtlmMessage } from '../../src/model/index.js';
import {
  NTLM_OEM_DOMAIN_SUPPLIED,
  NTLM_OEM_WORKSTATION_SUPPLIED,
  ntlmAuthenticate,
  ntlmChallenge,
  ntlmNegotiate,
} from './builders.js';
import { tsharkFields, type OracleMessage } from './tshark-oracle.js';

/** The NEGOTIATE example of the reference doc §5. */
const REFERENCE_TYPE1 = 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKALpHAAAADw==';

const cases: ReadonlyArray<{ name: string; message: Buffer; direction: OracleMessage['direction'] }> = [
  { name: 'reference doc type 1 (nothing supplied)', message: Buffer.from(REFERENCE_TYPE1, 'base64'), direction: 'request' },
  {
    name: 'type 1 with OEM domain and workstation',
    message: ntlmNegotiate({
      flags: 0xa2088207 | NTLM_OEM_DOMAIN_SUPPLIED | NTLM_OEM_WORKSTATION_SUPPLIED,
      domain: 'CONTOSO',
      workstation: 'WS01',
    }),
    direction: 'request',
  },
  { name: 'type 2 Unicode target', message: ntlmChallenge({ targetName: 'CONTOSO', unicode: true }), direction: 'response' },
  { name: 'type 2 OEM target', message: ntlmChallenge({ targetName: 'LITWARE', unicode: false }), direction: 'response' },
  {
    name: 'type 3 Unicode',
    message: ntlmAuthenticate({ domain: 'CONTOSO', user: 'alice', workstation: 'WS01', unicode: true, ntResponse: Buffer.alloc(48, 7) }),
    direction: 'request',
  },
  {
    name: 'type 3 OEM',
    message: ntlmAuthenticate({ domain: 'FABRIKAM', user: 'bob', workstation: 'PC-7', unicode: false, ntResponse: Buffer.alloc(24, 9) }),
    direction: 'request',
  },
  {
    name: 'type 3 Unicode, non-ASCII user, no domain',
    message: ntlmAuthenticate({ domain: '', user: 'jürgen', workstation: 'KÖLN', unicode: true, ntResponse: Buffer.alloc(48, 1) }),
    direction: 'request',
  },
];

const FIELDS = [
  'ntlmssp.messagetype',
  'ntlmssp.negotiateflags',
  'ntlmssp.negotiate.domain',
  'ntlmssp.negotiate.callingworkstation',
  'ntlmssp.challenge.target_name',
  'ntlmssp.auth.domain',
  'ntlmssp.auth.username',
  'ntlmssp.auth.hostname',
] as const;

/** tshark's row as an NtlmMessage (it prints `NULL` for empty names). */
function expectedFromTshark(row: readonly string[]): NtlmMessage {
  const [type, flags, negDomain, negWorkstation, target, domain, user, host] = row.map((v) => (v === 'NULL' ? '' : v));
  const present = (entries: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== ''));
  return {
    messageType: Number(type) as 1 | 2 | 3,
    flags: flags!,
    ...present({ domain: negDomain || domain, workstation: negWorkstation || host, targetName: target, user }),
  };
}

describe('parseNtlm against tshark', () => {
  const messages = cases.map(({ message, direction }) => {
    const header = direction === 'request' ? 'GET / HTTP/1.1\r\nHost: h\r\nAuthorization' : 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate';
    return { direction, text: `${header}: NTLM ${message.toString('base64')}\r\n\r\n` };
  });
  const rows = tsharkFields(messages, FIELDS);

  it('tshark dissected one row per message', () => {
    expect(rows).toHaveLength(cases.length);
  });

  cases.forEach(({ name, message }, i) => {
    it(name, () => {
      expect(parseNtlm(message)).toEqual(expectedFromTshark(rows[i]!));
    });
  });
});

describe('parseNtlm on bad input', () => {
  const good = ntlmAuthenticate({ domain: 'D', user: 'u', workstation: 'w', unicode: true, ntResponse: Buffer.alloc(24) });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['signature only', Buffer.from('NTLMSSP\0', 'latin1')],
    ['unknown message type 4', Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from([4, 0, 0, 0])])],
    ['wrong signature', Buffer.from('NTLMSSX\0\x01\0\0\0\0\0\0\0', 'latin1')],
    ['type 3 cut before the field table ends', good.subarray(0, 40)],
  ])('%s -> undefined', (_name, bytes) => {
    expect(parseNtlm(bytes)).toBeUndefined();
  });

  it('drops a name whose offset points past the end', () => {
    const broken = Buffer.from(good);
    broken.writeUInt32LE(10_000, 36 + 4);
    expect(parseNtlm(broken)).toEqual({ messageType: 3, flags: '0x00088201', domain: 'D', workstation: 'w' });
  });

  it('never throws on any byte string after the signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from(tail)]);
        const parsed = parseNtlm(bytes);
        expect(parsed === undefined || [1, 2, 3].includes(parsed.messageType)).toBe(true);
      }),
    );
  });
});

describe('decodeNtlmBytes', () => {
  it('recognises the signature', () => {
    expect(isNtlmssp(Buffer.from(REFERENCE_TYPE1, 'base64'))).toBe(true);
    expect(isNtlmssp(Buffer.from('NTLM', 'latin1'))).toBe(false);
  });

  it('wraps a parsed message, marking SPNEGO wrapping when asked', () => {
    const type1 = Buffer.from(REFERENCE_TYPE1, 'base64');
    expect(decodeNtlmBytes(type1)).toEqual({ type: 'ntlm', ntlm: { messageType: 1, flags: '0xa2088207' } });
    expect(decodeNtlmBytes(type1, 'spnego')).toMatchObject({ type: 'ntlm', wrapped: 'spnego' });
  });

  it('reports non-NTLMSSP bytes as undecodable', () => {
    expect(decodeNtlmBytes(Buffer.from('hello'))).toEqual({ type: 'undecodable', error: 'not a complete NTLMSSP message' });
  });
});
