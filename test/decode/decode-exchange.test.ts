// decodeExchange end to end: S2S calls, token endpoint traffic, NTLM handshakes, ids and locations,
// bounds, and the promise that no decoded output shows a raw secret.
import fc from 'fast-check';
import { SignJWT, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import type { DecodedExchange } from '../../src/model/index.js';
import { fingerprintOf } from '../../src/model/index.js';
import { makeExchange } from '../factories.js';
import { ntlmAuthenticate, unsignedJwt } from './builders.js';

const TENANT = 'b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8';
let actorToken: string;
let outerToken: string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256');
  const actorClaims: Record<string, unknown> = {
    aud: `00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@${TENANT}`,
    iss: `00000001-0000-0000-c000-000000000000@${TENANT}`,
    nameid: `00000004-0000-0ff1-ce00-000000000000@${TENANT}`,
    trustedfordelegation: 'true',
    nbf: '1753216653',
    exp: '1753303353',
  };
  actorToken = await new SignJWT(actorClaims)
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' })
    .sign(privateKey);
  outerToken = unsignedJwt({
    aud: `00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@${TENANT}`,
    iss: `00000004-0000-0ff1-ce00-000000000000@${TENANT}`,
    nbf: '1753216953',
    exp: '1753245753',
    smtp: 'alice@contoso.com',
    actortoken: actorToken,
  });
});

/** The decoded output without the exchange it came from (which holds the raw input). */
function decodedOnly(decoded: DecodedExchange): string {
  return JSON.stringify({
    credentials: decoded.credentials,
    challenges: decoded.challenges,
    diagnostics: decoded.diagnostics,
  });
}

describe('decodeExchange on an S2S call rejected with 401', () => {
  it('finds the bearer token, its actor, the challenges and the diagnostics', () => {
    const ex = makeExchange({
      method: 'POST',
      uri: '/EWS/Exchange.asmx',
      stream: 7,
      indexInStream: 2,
      requestHeaders: { Host: 'mail.contoso.com', Authorization: `Bearer ${outerToken}` },
      status: 401,
      responseHeaders: [
        ['x-ms-diagnostics', '2000004;reason="The tenant for tenant guid \'contoso.com\' does not exist.";error_category="invalid_tenant"'],
        ['WWW-Authenticate', 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", error="invalid_token",Negotiate,NTLM'],
      ],
    });
    const decoded = decodeExchange(ex, 4);
    expect(decoded.exchange).toBe(ex);
    expect(decoded.exchangeId).toBe(4);
    expect(decoded.credentials).toHaveLength(1);
    const [sighting] = decoded.credentials;
    expect(sighting).toMatchObject({
      kind: 'credential',
      id: '7:2:0',
      direction: 'request',
      location: { type: 'header', name: 'Authorization', index: 0 },
      scheme: 'bearer',
      schemeName: 'Bearer',
      decoded: { type: 'jwt', jwt: { unsigned: true, nbf: 1753216953, actor: { x5tThumbprint: '5EAAE71447EC4B9E7FBCC0691EF174A539EA79A3' } } },
    });
    expect(sighting?.exchangeId).toBe(4);
    expect(sighting?.value.reveal()).toBe(outerToken);
    expect(sighting?.value.fingerprint).toBe(fingerprintOf(outerToken));
    expect(decoded.challenges.map((c) => c.scheme)).toEqual(['Bearer', 'Negotiate', 'NTLM']);
    expect(decoded.diagnostics).toMatchObject([{ code: '2000004', errorCategory: 'invalid_tenant' }]);
  });

  it('sees the empty Bearer discovery probe (MS-XOAUTH §4.6)', () => {
    const decoded = decodeExchange(
      makeExchange({ method: 'POST', uri: 'https://contoso.com/autodiscover/autodiscover.svc', requestHeaders: { Authorization: 'Bearer' } }),
      1,
    );
    expect(decoded.credentials).toMatchObject([{ scheme: 'bearer', decoded: { type: 'empty' } }]);
    expect(decoded.credentials[0]?.value.reveal()).toBe('');
    expect(decoded.challenges).toEqual([]);
  });
});

describe('decodeExchange on token endpoint traffic (reference doc §4.3)', () => {
  it('finds the assertion and client secret in the form, and the token with its expiry in the JSON response', () => {
    const assertion = unsignedJwt({ iss: `00000002-0000-0ff1-ce00-000000000000@${TENANT}`, nbf: '1660544098', exp: '1660544398' });
    const accessToken = unsignedJwt({ aud: 'x' });
    const ex = makeExchange({
      method: 'POST',
      uri: `/${TENANT}/tokens/OAuth/2`,
      requestHeaders: { 'Content-Type': 'application/x-www-form-urlencoded' },
      requestBody: `grant_type=http%3A%2F%2Foauth.net%2Fgrant_type%2Fjwt%2F1.0%2Fbearer&assertion=${assertion}&client_secret=s3cr3t%2Bvalue&resource=00000002-0000-0ff1-ce00-000000000000%2Foutlook.office365.com%40${TENANT}`,
      status: 200,
      responseHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
      responseBody: JSON.stringify({
        token_type: 'Bearer',
        expires_in: '86399',
        not_before: '1660544398',
        expires_on: '1660631098',
        resource: `00000002-0000-0ff1-ce00-000000000000/outlook.office365.com@${TENANT}`,
        access_token: accessToken,
      }),
    });
    const { credentials } = decodeExchange(ex, 1);
    expect(credentials.map((c) => [c.id, c.direction, c.location, c.scheme, c.decoded.type])).toEqual([
      ['0:0:0', 'request', { type: 'form', name: 'assertion', message: 'request' }, 'bearer', 'jwt'],
      ['0:0:1', 'request', { type: 'form', name: 'client_secret', message: 'request' }, 'other', 'opaque'],
      ['0:0:2', 'response', { type: 'json', name: 'access_token', message: 'response' }, 'bearer', 'jwt'],
    ]);
    expect(credentials[1]?.value.reveal()).toBe('s3cr3t+value');
    expect(credentials[1]?.related).toEqual({ resource: `00000002-0000-0ff1-ce00-000000000000/outlook.office365.com@${TENANT}` });
    expect(credentials[2]?.related).toEqual({
      token_type: 'Bearer',
      expires_in: '86399',
      not_before: '1660544398',
      expires_on: '1660631098',
      resource: `00000002-0000-0ff1-ce00-000000000000/outlook.office365.com@${TENANT}`,
    });
  });

  it('finds tokens in the query string and in cookies', () => {
    const token = unsignedJwt({ sub: 'q' });
    const { credentials } = decodeExchange(
      makeExchange({
        uri: `/owa/?access_token=${token}&state=abc`,
        requestHeaders: { Cookie: `theme=dark; auth=${token}` },
        responseHeaders: { 'Set-Cookie': `refreshed=${token}; Secure; HttpOnly` },
      }),
      1,
    );
    expect(credentials.map((c) => [c.direction, c.location])).toEqual([
      ['request', { type: 'query', name: 'access_token' }],
      ['request', { type: 'cookie', name: 'auth' }],
      ['response', { type: 'cookie', name: 'refreshed' }],
    ]);
    expect(credentials.every((c) => c.decoded.type === 'jwt')).toBe(true);
  });
});

describe('decodeExchange on several Authorization headers', () => {
  it('numbers each header name separately and keeps wire order', () => {
    const type3 = ntlmAuthenticate({ domain: 'D', user: 'u', workstation: 'w', unicode: true, ntResponse: Buffer.alloc(24, 1) });
    const { credentials } = decodeExchange(
      makeExchange({
        requestHeaders: [
          ['Proxy-Authorization', `NTLM ${type3.toString('base64')}`],
          ['Authorization', 'Bearer cwt=AAEB'],
          ['authorization', 'Basic YTpi'],
        ],
      }),
      1,
    );
    expect(credentials.map((c) => [c.location, c.scheme])).toEqual([
      [{ type: 'header', name: 'Proxy-Authorization', index: 0 }, 'ntlm'],
      [{ type: 'header', name: 'Authorization', index: 0 }, 'bearer'],
      [{ type: 'header', name: 'authorization', index: 1 }, 'basic'],
    ]);
  });

  it('looks at no more than 512 headers per message', () => {
    const headers = Array.from({ length: 600 }, () => ['Authorization', 'Bearer x'] as const);
    expect(decodeExchange(makeExchange({ requestHeaders: headers }), 1).credentials).toHaveLength(512);
  });
});

describe('decodeExchange never shows a raw secret', () => {
  it('keeps tokens, actor signatures, Basic passwords, NTLM responses and form secrets out of its output', () => {
    const ntResponse = Buffer.from('0123456789abcdef0123456789abcdef0101000000000000', 'hex');
    const type3 = ntlmAuthenticate({ domain: 'CONTOSO', user: 'alice', workstation: 'WS01', unicode: true, ntResponse });
    const basicPassword = 'Correct-Horse-Battery';
    const basicValue = Buffer.from(`alice:${basicPassword}`).toString('base64');
    const ex = makeExchange({
      method: 'POST',
      uri: `/api?access_token=${outerToken}`,
      requestHeaders: [
        ['Authorization', `Bearer ${outerToken}`],
        ['Authorization', `Basic ${basicValue}`],
        ['Authorization', `NTLM ${type3.toString('base64')}`],
        ['Authorization', 'Digest username="u", response="6629fae49393a05397450978507c4ef1"'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      requestBody: `client_secret=VerySecretValue42&password=AnotherSecret99&assertion=${actorToken}`,
      responseHeaders: { 'Content-Type': 'application/json' },
      responseBody: JSON.stringify({ access_token: actorToken, refresh_token: 'RefreshTokenValue123456' }),
    });
    const decoded = decodeExchange(ex, 1);
    expect(decoded.credentials.length).toBeGreaterThanOrEqual(9);
    const output = decodedOnly(decoded);
    for (const secret of [
      outerToken,
      actorToken,
      actorToken.split('.')[2]!,
      outerToken.split('.')[1]!,
      basicValue,
      basicPassword,
      type3.toString('base64'),
      ntResponse.toString('hex'),
      ntResponse.toString('base64'),
      '6629fae49393a05397450978507c4ef1',
      'VerySecretValue42',
      'AnotherSecret99',
      'RefreshTokenValue123456',
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('decodeExchange on hostile input', () => {
  it('never throws on arbitrary header values, URIs and bodies', () => {
    const text = fc.string({ maxLength: 120 });
    fc.assert(
      fc.property(
        fc.constantFrom('Authorization', 'WWW-Authenticate', 'x-ms-diagnostics', 'Cookie', 'Set-Cookie', 'Proxy-Authenticate'),
        fc.constantFrom('', 'Bearer ', 'Basic ', 'NTLM ', 'Negotiate ', 'Digest ', 'Bearer eyJ'),
        text,
        text,
        fc.uint8Array({ maxLength: 200 }),
        (name, prefix, value, uri, body) => {
          const ex = makeExchange({
            uri: `/?${uri}`,
            requestHeaders: [[name, prefix + value], ['Content-Type', 'application/x-www-form-urlencoded']],
            requestBody: Buffer.from(body),
            responseHeaders: [[name, prefix + value]],
            responseBody: Buffer.from(body),
          });
          const decoded = decodeExchange(ex, 1);
          expect(decoded.exchange).toBe(ex);
        },
      ),
    );
  });

  it('decodes base64 garbage under every scheme without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom('Basic', 'NTLM', 'Negotiate'), fc.uint8Array({ maxLength: 300 }), (scheme, bytes) => {
        const value = `${scheme} ${Buffer.from(bytes).toString('base64')}`;
        const [sighting] = decodeExchange(makeExchange({ requestHeaders: { Authorization: value } }), 1).credentials;
        expect(sighting?.scheme).toBe(scheme.toLowerCase());
      }),
    );
  });
});
