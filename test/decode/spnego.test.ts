// Negotiate tokens: SPNEGO NegTokenInit / NegTokenResp, GSS Kerberos, raw NTLMSSP; tshark agrees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNegotiateBytes } from '../../src/decode/spnego.js';
import { OID, der, kerberosApReq, oid, negTokenInit, negTokenResp, ntlmAuthenticate, ntlmChallenge, ntlmNegotiate } from './builders.js';
import { tsharkFields } from './tshark-oracle.js';

const type1 = ntlmNegotiate({ flags: 0xa208b207, domain: 'CONTOSO', workstation: 'WS01' });
const type2 = ntlmChallenge({ targetName: 'CONTOSO', unicode: true });
const type3 = ntlmAuthenticate({ domain: 'CONTOSO', user: 'alice', workstation: 'WS01', unicode: true, ntResponse: Buffer.alloc(48, 3) });

/**
 * Tokens with the mechanism they carry. The NTLM handshake shares one connection, because
 * tshark (like a server) only knows what a NegTokenResp holds from the NegTokenInit before it.
 */
const HANDSHAKE = 1;
const dissectable = [
  { name: 'NegTokenInit with NTLM NEGOTIATE', token: negTokenInit([OID.ntlm], type1), direction: 'request', connection: HANDSHAKE },
  {
    name: 'NegTokenResp with NTLM CHALLENGE',
    token: negTokenResp({ negState: 1, supportedMech: OID.ntlm, responseToken: type2 }),
    direction: 'response',
    connection: HANDSHAKE,
  },
  {
    name: 'NegTokenResp with NTLM AUTHENTICATE',
    token: negTokenResp({ negState: 1, responseToken: type3 }),
    direction: 'request',
    connection: HANDSHAKE,
  },
  { name: 'NegTokenInit with Kerberos AP-REQ', token: negTokenInit([OID.msKerberos, OID.kerberos], kerberosApReq()), direction: 'request', connection: 2 },
  { name: 'bare GSS Kerberos (no SPNEGO)', token: kerberosApReq(), direction: 'request', connection: 3 },
  { name: 'bare GSS Kerberos, MS OID', token: kerberosApReq(OID.msKerberos), direction: 'request', connection: 4 },
  { name: 'raw NTLMSSP sent as Negotiate', token: type3, direction: 'request', connection: 5 },
] as const;

describe('decodeNegotiateBytes against tshark', () => {
  const rows = tsharkFields(
    dissectable.map(({ token, direction, connection }) => ({
      direction,
      connection,
      text:
        direction === 'request'
          ? `GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Negotiate ${token.toString('base64')}\r\n\r\n`
          : `HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate: Negotiate ${token.toString('base64')}\r\n\r\n`,
    })),
    ['ntlmssp.messagetype', 'ntlmssp.auth.username', 'kerberos.msg_type'],
  );

  dissectable.forEach(({ name, token }, i) => {
    it(name, () => {
      const [ntlmType, user, kerberosType] = rows[i]!;
      const decoded = decodeNegotiateBytes(token);
      if (kerberosType) {
        expect(decoded).toEqual({ type: 'kerberos' });
      } else {
        expect(ntlmType).not.toBe('');
        expect(decoded.type).toBe('ntlm');
        if (decoded.type !== 'ntlm') return;
        expect(decoded.ntlm.messageType).toBe(Number(ntlmType));
        expect(decoded.ntlm.user ?? '').toBe(user);
      }
    });
  });

  it('marks NTLM found inside SPNEGO as wrapped, raw NTLMSSP as not', () => {
    expect(decodeNegotiateBytes(negTokenInit([OID.ntlm], type1))).toMatchObject({ type: 'ntlm', wrapped: 'spnego' });
    expect(decodeNegotiateBytes(type3)).not.toHaveProperty('wrapped');
  });
});

describe('decodeNegotiateBytes on tokens without a mechanism token', () => {
  it.each([
    ['NegTokenInit listing Kerberos first, no mechToken', negTokenInit([OID.kerberos, OID.ntlm]), { type: 'kerberos' }],
    [
      'NegTokenInit listing NTLM, no mechToken',
      negTokenInit([OID.ntlm]),
      { type: 'undecodable', error: 'SPNEGO NegTokenInit without a mechToken' },
    ],
    ['NegTokenResp accept-completed for Kerberos', negTokenResp({ negState: 0, supportedMech: OID.kerberos }), { type: 'kerberos' }],
    [
      'NegTokenResp accept-completed, no mech',
      negTokenResp({ negState: 0 }),
      { type: 'undecodable', error: 'SPNEGO NegTokenResp without a responseToken' },
    ],
    ['not DER at all', Buffer.from('hello world'), { type: 'undecodable', error: 'not a DER token' }],
    ['DER, but a bare SEQUENCE', der(0x30, der(0x02, Buffer.from([1]))), { type: 'undecodable', error: 'unexpected outer tag 0x30' }],
    [
      'GSS token of another mechanism',
      der(0x60, oid('1.2.3.4'), Buffer.from([1])),
      { type: 'undecodable', error: 'unknown GSS mechanism 1.2.3.4' },
    ],
    ['empty', Buffer.alloc(0), { type: 'undecodable', error: 'not a DER token' }],
  ])('%s', (_name, token, expected) => {
    expect(decodeNegotiateBytes(token)).toEqual(expected);
  });

  it('never throws on truncations or arbitrary bytes', () => {
    const full = negTokenResp({ negState: 1, supportedMech: OID.ntlm, responseToken: type3 });
    for (let cut = 0; cut < full.length; cut++) expect(() => decodeNegotiateBytes(full.subarray(0, cut))).not.toThrow();
    fc.assert(
      fc.property(fc.constantFrom(0x60, 0xa1, 0x30), fc.uint8Array({ maxLength: 300 }), (tag, rest) => {
        const decoded = decodeNegotiateBytes(Buffer.concat([Buffer.from([tag]), Buffer.from(rest)]));
        expect(['ntlm', 'kerberos', 'undecodable']).toContain(decoded.type);
      }),
    );
  });
});
