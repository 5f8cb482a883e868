// Authorization values: scheme split, Basic (user only), NTLM, Negotiate, Digest (no response hash),
// Bearer, other schemes and bare tokens.
import { describe, expect, it } from 'vitest';
import { decodeAuthorization } from '../../src/decode/authorization.js';
import { OID, kerberosApReq, negTokenInit, ntlmAuthenticate, unsignedJwt } from './builders.js';

const basic = (userPass: string) => Buffer.from(userPass, 'utf8').toString('base64');
const type3 = ntlmAuthenticate({ domain: 'CONTOSO', user: 'alice', workstation: 'WS01', unicode: true, ntResponse: Buffer.alloc(48, 5) });

describe('decodeAuthorization', () => {
  it.each([
    ['empty Bearer probe (MS-XOAUTH §4.6)', 'Bearer', { scheme: 'bearer', schemeName: 'Bearer', credentials: '', decoded: { type: 'empty' } }],
    ['Bearer with trailing space', 'Bearer ', { scheme: 'bearer', schemeName: 'Bearer', credentials: '', decoded: { type: 'empty' } }],
    ['SfB opaque bearer', 'Bearer cwt=AAEBHAEFAAAAAAAF', { scheme: 'bearer', credentials: 'cwt=AAEBHAEFAAAAAAAF', decoded: { type: 'opaque', hint: 'sfb-cwt' } }],
    ['Basic', `Basic ${basic('CONTOSO\\alice:Pa55word')}`, { scheme: 'basic', schemeName: 'Basic', decoded: { type: 'basic', user: 'CONTOSO\\alice' } }],
    ['Basic, empty password', `basic ${basic('bob:')}`, { scheme: 'basic', schemeName: 'basic', decoded: { type: 'basic', user: 'bob' } }],
    ['Basic, UTF-8 user', `Basic ${basic('jürgen:x')}`, { decoded: { type: 'basic', user: 'jürgen' } }],
    ['Basic, Latin-1 user', `Basic ${Buffer.from('jürgen:x', 'latin1').toString('base64')}`, { decoded: { type: 'basic', user: 'jürgen' } }],
    ['Basic without colon', `Basic ${basic('justapassword')}`, { decoded: { type: 'basic', user: '', malformed: 'no colon between user and password' } }],
    ['Basic not base64', 'Basic not*base64!', { decoded: { type: 'basic', user: '', malformed: 'not base64' } }],
    ['NTLM type 3', `NTLM ${type3.toString('base64')}`, { scheme: 'ntlm', decoded: { type: 'ntlm', ntlm: { messageType: 3, user: 'alice', domain: 'CONTOSO', workstation: 'WS01' } } }],
    ['NTLM not base64', 'NTLM TlRM$$', { scheme: 'ntlm', decoded: { type: 'undecodable', error: 'not base64' } }],
    ['NTLM base64 of something else', `NTLM ${basic('hello world')}`, { decoded: { type: 'undecodable', error: 'not a complete NTLMSSP message' } }],
    ['Negotiate with NTLM inside SPNEGO', `Negotiate ${negTokenInit([OID.ntlm], type3).toString('base64')}`, { scheme: 'negotiate', decoded: { type: 'ntlm', wrapped: 'spnego', ntlm: { messageType: 3 } } }],
    ['Negotiate with raw NTLMSSP', `Negotiate ${type3.toString('base64')}`, { scheme: 'negotiate', decoded: { type: 'ntlm', ntlm: { user: 'alice' } } }],
    ['Negotiate Kerberos', `Negotiate ${negTokenInit([OID.kerberos], kerberosApReq()).toString('base64')}`, { scheme: 'negotiate', decoded: { type: 'kerberos' } }],
    ['MsRtcOAuth', 'MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken"', { scheme: 'other', schemeName: 'MsRtcOAuth', decoded: { type: 'opaque' } }],
    ['AWS SigV4', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, Signature=5d672d79', { scheme: 'other', schemeName: 'AWS4-HMAC-SHA256', decoded: { type: 'opaque' } }],
    ['tabs and extra spaces after the scheme', `Bearer \t  ${'cwt=AAEB'}`, { credentials: 'cwt=AAEB' }],
  ])('%s', (_name, value, expected) => {
    expect(decodeAuthorization(value)).toMatchObject(expected);
  });

  it('keeps the Basic password out of the decoded form', () => {
    const decoded = decodeAuthorization(`Basic ${basic('alice:S3cret-Pa55')}`);
    expect(JSON.stringify(decoded.decoded)).not.toContain('S3cret');
    expect(decoded.credentials).toBe(basic('alice:S3cret-Pa55'));
  });

  it('keeps the Digest response hash out of the decoded params', () => {
    const value =
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const { scheme, decoded } = decodeAuthorization(value);
    expect(scheme).toBe('digest');
    expect(decoded).toEqual({
      type: 'digest',
      params: {
        username: 'Mufasa',
        realm: 'http-auth@example.org',
        uri: '/dir/index.html',
        algorithm: 'SHA-256',
        nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
        nc: '00000001',
        cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
        qop: 'auth',
        opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      },
    });
  });

  it('decodes a JWT sent under another scheme word', () => {
    const token = unsignedJwt({ iss: 'x' });
    expect(decodeAuthorization(`JWT ${token}`)).toMatchObject({ scheme: 'other', schemeName: 'JWT', decoded: { type: 'jwt' } });
  });

  it.each([
    ['a bare JWT', unsignedJwt({ iss: 'x' }), 'jwt'],
    ['a long bare opaque token', 'a3f9c2e17b5d4e8f9a0b1c2d3e4f5a6b', 'opaque'],
    ['a value starting with a non-token character', '=abc def', 'opaque'],
  ])('takes %s as the credentials, never as the scheme word', (_name, value, type) => {
    const decoded = decodeAuthorization(value);
    expect(decoded).toMatchObject({ scheme: 'other', schemeName: '', credentials: value, decoded: { type } });
  });
});
