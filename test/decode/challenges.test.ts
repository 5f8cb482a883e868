// WWW-Authenticate / Proxy-Authenticate parsing: every verbatim challenge of the reference doc §7
// (copied exactly, tool arrows included), plus token68 NTLM blobs and RFC 7235 corner cases.
import { describe, expect, it } from 'vitest';
import { parseChallengeHeaders } from '../../src/decode/challenges.js';
import type { HttpHeaders } from '../../src/model/index.js';
import { NTLM_UNICODE, OID, headerLine, negTokenResp, ntlmChallenge } from './builders.js';

const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const BOTH_TOKEN_TYPES = ['app_asserted_user_v1', 'service_asserted_app_v1'];

const docExamples: ReadonlyArray<{ section: string; headers: HttpHeaders; expected: unknown[] }> = [
  {
    section: '§7.1 MS-XOAUTH 401 (two headers)',
    headers: [
      headerLine(String.raw`WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0001-0000-c000-000000000000@*"`),
      headerLine(String.raw`WWW-Authenticate: Basic Realm=""`),
    ],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: { client_id: EXCHANGE, trusted_issuers: '00000001-0001-0000-c000-000000000000@*' },
        trustedIssuers: ['00000001-0001-0000-c000-000000000000@*'],
      },
      { scheme: 'Basic', header: 'WWW-Authenticate', params: { realm: '' } },
    ],
  },
  {
    section: '§7.3 Exchange HMA 401 (tool arrows, Www- casing)',
    headers: [
      headerLine(String.raw`WWW-Authenticate →Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d,00000004-0000-0ff1-ce00-000000000000@contoso.com", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.windows.net/common/oauth2/authorize"`),
      headerLine(String.raw`Www-Authenticate →Basic realm="mail.contoso.com"`),
    ],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: {
          client_id: EXCHANGE,
          trusted_issuers:
            '00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d,00000004-0000-0ff1-ce00-000000000000@contoso.com',
          token_types: 'app_asserted_user_v1 service_asserted_app_v1',
          authorization_uri: 'https://login.windows.net/common/oauth2/authorize',
        },
        trustedIssuers: [
          '00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d',
          '00000004-0000-0ff1-ce00-000000000000@contoso.com',
        ],
        tokenTypes: BOTH_TOKEN_TYPES,
      },
      { scheme: 'Basic', header: 'Www-Authenticate', params: { realm: 'mail.contoso.com' } },
    ],
  },
  {
    section: '§7.4 SfB -> Autodiscover (comma-joined schemes, missing space in token_types)',
    headers: [headerLine(String.raw`WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000004-0000-0ff1-ce00-000000000000@contoso.com", token_types="app_asserted_user_v1service_asserted_app_v1", error="invalid_token",Negotiate,NTLM,Basic realm="autodiscover.contoso.com"`)],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: {
          client_id: EXCHANGE,
          trusted_issuers: '00000004-0000-0ff1-ce00-000000000000@contoso.com',
          token_types: 'app_asserted_user_v1service_asserted_app_v1',
          error: 'invalid_token',
        },
        trustedIssuers: ['00000004-0000-0ff1-ce00-000000000000@contoso.com'],
        tokenTypes: ['app_asserted_user_v1service_asserted_app_v1'],
      },
      { scheme: 'Negotiate', header: 'WWW-Authenticate', params: {} },
      { scheme: 'NTLM', header: 'WWW-Authenticate', params: {} },
      { scheme: 'Basic', header: 'WWW-Authenticate', params: { realm: 'autodiscover.contoso.com' } },
    ],
  },
  {
    section: '§7.5 Exchange Online 401 (error then Basic Realm="")',
    headers: [headerLine(String.raw`WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.windows.net/common/oauth2/authorize", error="invalid_token",Basic Realm=""`)],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: {
          client_id: EXCHANGE,
          trusted_issuers: '00000001-0000-0000-c000-000000000000@*',
          token_types: 'app_asserted_user_v1 service_asserted_app_v1',
          authorization_uri: 'https://login.windows.net/common/oauth2/authorize',
          error: 'invalid_token',
        },
        trustedIssuers: ['00000001-0000-0000-c000-000000000000@*'],
        tokenTypes: BOTH_TOKEN_TYPES,
      },
      { scheme: 'Basic', header: 'WWW-Authenticate', params: { realm: '' } },
    ],
  },
  {
    section: '§7.6 EXO challenge seen by Test-OAuthConnectivity (value only)',
    headers: [['WWW-Authenticate', String.raw`Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",Basic Realm=""`]],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: {
          client_id: EXCHANGE,
          trusted_issuers: '00000001-0000-0000-c000-000000000000@*',
          token_types: 'app_asserted_user_v1 service_asserted_app_v1',
          authorization_uri: 'https://login.microsoftonline.com/common/oauth2/authorize',
        },
        trustedIssuers: ['00000001-0000-0000-c000-000000000000@*'],
        tokenTypes: BOTH_TOKEN_TYPES,
      },
      { scheme: 'Basic', header: 'WWW-Authenticate', params: { realm: '' } },
    ],
  },
  {
    section: '§7.8 SharePoint Online 401 (no spaces after commas)',
    headers: [headerLine(String.raw`WWW-Authenticate: Bearer realm="<tenant-guid>",client_id="00000003-0000-0ff1-ce00-000000000000",trusted_issuers="00000001-0000-0000-c000-000000000000@*,D3776938-3DBA-481F-A652-4BEDFCAB7CD8@*,https://sts.windows.net/*/,00000003-0000-0ff1-ce00-000000000000@90140122-8516-11e1-8eff-49304924019b",authorization_uri="https://login.windows.net/common/oauth2/authorize"`)],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: {
          realm: '<tenant-guid>',
          client_id: '00000003-0000-0ff1-ce00-000000000000',
          trusted_issuers:
            '00000001-0000-0000-c000-000000000000@*,D3776938-3DBA-481F-A652-4BEDFCAB7CD8@*,https://sts.windows.net/*/,00000003-0000-0ff1-ce00-000000000000@90140122-8516-11e1-8eff-49304924019b',
          authorization_uri: 'https://login.windows.net/common/oauth2/authorize',
        },
        trustedIssuers: [
          '00000001-0000-0000-c000-000000000000@*',
          'D3776938-3DBA-481F-A652-4BEDFCAB7CD8@*',
          'https://sts.windows.net/*/',
          '00000003-0000-0ff1-ce00-000000000000@90140122-8516-11e1-8eff-49304924019b',
        ],
      },
    ],
  },
  {
    section: '§7.9 SfB UCWA 401 (Bearer and MsRtcOAuth)',
    headers: [
      headerLine(String.raw`WWW-Authenticate: Bearer trusted_issuers="00000002-0000-0ff1-ce00-000000000000@contoso.com", client_id="00000004-0000-0ff1-ce00-000000000000"`),
      headerLine(String.raw`WWW-Authenticate: MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`),
    ],
    expected: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: { trusted_issuers: '00000002-0000-0ff1-ce00-000000000000@contoso.com', client_id: '00000004-0000-0ff1-ce00-000000000000' },
        trustedIssuers: ['00000002-0000-0ff1-ce00-000000000000@contoso.com'],
      },
      {
        scheme: 'MsRtcOAuth',
        header: 'WWW-Authenticate',
        params: {
          href: 'https://lyncweb.contoso.com/WebTicket/oauthtoken',
          grant_type: 'urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password',
        },
      },
    ],
  },
];

describe('parseChallengeHeaders on the reference doc §7 examples', () => {
  it.each(docExamples)('$section', ({ headers, expected }) => {
    expect(parseChallengeHeaders(headers)).toEqual(expected);
  });

  it('ignores the x-ms-diagnostics lines that sit beside the challenges', () => {
    const headers: HttpHeaders = [
      headerLine(String.raw`x-ms-diagnostics: 2000004;reason="The tenant for tenant guid 'contoso.com' does not exist.";error_category="invalid_tenant"`),
      headerLine(String.raw`x-ms-diagnostics →2000003;reason="The hostname component of the audience claim value is invalid. Expected 'https://mail.contoso.com'. Actual 'http://mail.contoso.com'.";error_category="invalid_resource"`),
    ];
    expect(parseChallengeHeaders(headers)).toEqual([]);
  });
});

describe('parseChallengeHeaders: token68 and NTLM', () => {
  const type2 = ntlmChallenge({ targetName: 'CONTOSO', unicode: true });

  it('decodes an NTLM CHALLENGE blob', () => {
    const blob = type2.toString('base64');
    const [challenge] = parseChallengeHeaders([['WWW-Authenticate', `NTLM ${blob}`]]);
    expect(challenge).toEqual({
      scheme: 'NTLM',
      header: 'WWW-Authenticate',
      params: {},
      token68: blob,
      ntlm: { messageType: 2, targetName: 'CONTOSO', flags: `0x${(0x00028200 | NTLM_UNICODE).toString(16).padStart(8, '0')}` },
    });
  });

  it('decodes an NTLM CHALLENGE inside a Negotiate NegTokenResp, from a Proxy-Authenticate header', () => {
    const blob = negTokenResp({ negState: 1, supportedMech: OID.ntlm, responseToken: type2 }).toString('base64');
    const [challenge] = parseChallengeHeaders([['Proxy-Authenticate', `Negotiate ${blob}`]]);
    expect(challenge).toMatchObject({ scheme: 'Negotiate', header: 'Proxy-Authenticate', token68: blob, ntlm: { messageType: 2 } });
  });

  it('keeps a token68 that is not NTLM without an ntlm field', () => {
    const [challenge] = parseChallengeHeaders([['WWW-Authenticate', 'Negotiate oYG3MIG0oAMKAQA=']]);
    expect(challenge).toEqual({ scheme: 'Negotiate', header: 'WWW-Authenticate', params: {}, token68: 'oYG3MIG0oAMKAQA=' });
  });
});

describe('parseChallengeHeaders: Bearer list params', () => {
  it('splits trusted_issuers on commas and token_types on any whitespace', () => {
    const [challenge] = parseChallengeHeaders([['WWW-Authenticate', 'Bearer trusted_issuers=" a@* , b@c ,", token_types="x\ty  z"']]);
    expect(challenge?.trustedIssuers).toEqual(['a@*', 'b@c']);
    expect(challenge?.tokenTypes).toEqual(['x', 'y', 'z']);
  });
});
