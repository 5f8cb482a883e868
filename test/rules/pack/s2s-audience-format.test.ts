// Rule table for s2s-audience-format.
import { s2sAudienceFormat } from '../../../src/rules/pack/s2s-audience-format.js';
import {
  ACCEPTED,
  ACS,
  ACS_HOST,
  EXCHANGE,
  HOST,
  REJECTED,
  TENANT,
  acceptedExchange,
  acceptedSuffix,
  actorToken,
  assertionExchange,
  bearerExchange,
  clientAssertion,
  decodedExchange,
  fieldTokenExchange,
  makeJwt,
  outerToken,
  rejectedExchange,
  rejectedSuffix,
  testExchange,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const aud = `${EXCHANGE}/${HOST}@${TENANT}`;
const OTHER_HOST = 'autodiscover.contoso.test';
const otherAud = `${EXCHANGE}/${OTHER_HOST}@${TENANT}`;
/** The outer token of an SSL-offloading or host-rewriting path: aud names another host than the Host header. */
const rewritten = () => outerToken(actorToken(), { aud: otherAud });
const mismatch = { token: 'outer token', aud: otherAud, audHost: OTHER_HOST, host: HOST, details: '' };
const hostMismatchMessage = `outer token aud "${otherAud}" names host ${OTHER_HOST}, but the request went to ${HOST} (Host header)`;
/** A request addressed by IP (curl http://127.0.0.1:18080/…): Host is the address. */
const byAddress = (host: string) => testExchange({ requestHeaders: { Host: host } });
const entraEndpoint = `https://login.microsoftonline.com/${TENANT}/oauth2/token`;

runRuleTester(s2sAudienceFormat, {
  valid: [
    { name: 'aud names the request host', decoded: () => bearerExchange(outerToken()) },
    {
      name: 'host compared case-insensitively, port stripped',
      decoded: () => bearerExchange(outerToken(), testExchange({ requestHeaders: { Host: 'MAIL.Contoso.Test:443' } })),
    },
    {
      name: 'the actor token may name another host of the service',
      decoded: () => bearerExchange(outerToken(actorToken({ aud: `${EXCHANGE}/outlook.office.com@${TENANT}` }))),
      options: { audienceHosts: [HOST] },
    },
    { name: 'aud as an array', decoded: () => bearerExchange(makeJwt({ claims: { aud: [aud] } })) },
    {
      name: 'an Entra ID token (aud https://host) by default',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: `https://${HOST}` } })),
    },
    { name: 'a configured audience host', decoded: () => bearerExchange(outerToken()), options: { audienceHosts: ['Mail.Contoso.Test'] } },
    { name: 'a request addressed to an IPv4 literal cannot be compared', decoded: () => bearerExchange(rewritten(), byAddress('127.0.0.1:18080')) },
    { name: 'a request addressed to an IPv6 literal cannot be compared', decoded: () => bearerExchange(rewritten(), byAddress('[fe80::1]:443')) },
    { name: 'a request without a Host header cannot be compared', decoded: () => bearerExchange(rewritten(), testExchange({ requestHeaders: {} })) },
    {
      name: 'the socket address is not the host: only the Host header counts',
      decoded: () => bearerExchange(outerToken(), testExchange({ server: { ip: '10.0.0.25', port: 443 } })),
    },
    { name: 'a client assertion naming ACS, posted to ACS', decoded: () => assertionExchange(clientAssertion()) },
    {
      name: 'a client assertion naming ACS, posted to a relay reached by address',
      decoded: () =>
        assertionExchange(clientAssertion(), { exchange: testExchange({ requestHeaders: { Host: '127.0.0.1:18080' }, uri: `/${TENANT}/tokens/OAuth/2` }) }),
    },
    { name: 'a client assertion for the jwt-bearer grant (assertion field)', decoded: () => assertionExchange(clientAssertion(), { field: 'assertion' }) },
    {
      name: 'a client assertion naming an Entra ID token endpoint',
      decoded: () => assertionExchange(clientAssertion({ aud: entraEndpoint }), { exchange: testExchange({ host: 'login.microsoftonline.com' }) }),
    },
    {
      name: 'a client assertion naming the v2.0 Entra ID token endpoint, in a JSON body',
      decoded: () => assertionExchange(clientAssertion({ aud: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token` }), { type: 'json' }),
    },
    {
      name: 'a token handed out in a response is not presented',
      decoded: () =>
        decodedExchange({
          exchange: testExchange({ host: ACS_HOST, status: 200 }),
          credentials: [
            { direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: rewritten() } },
          ],
        }),
    },
  ],
  invalid: [
    {
      name: 'no aud',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${EXCHANGE}@${TENANT}` } })),
      errors: [{ messageId: 'missing', data: { token: 'token' } }],
    },
    {
      name: 'two-part aud (no host)',
      decoded: () => bearerExchange(makeJwt({ claims: { aud: `${EXCHANGE}@${TENANT}` } })),
      errors: [{ messageId: 'malformed', data: { token: 'token', aud: `${EXCHANGE}@${TENANT}` } }],
    },
    {
      name: 'actor aud malformed too',
      decoded: () => bearerExchange(outerToken(actorToken({ aud: 'https://mail.contoso.test' }))),
      errors: [{ messageId: 'malformed', data: { token: 'actor token', aud: 'https://mail.contoso.test' } }],
    },
    {
      name: 'aud names another host (SSL offload, rewritten host)',
      decoded: () => bearerExchange(rewritten()),
      errors: [{ messageId: 'hostMismatch', data: mismatch, severity: 'error', message: hostMismatchMessage }],
    },
    {
      name: 'aud names another host that is not configured either: one finding, the configuration in its details',
      decoded: () => bearerExchange(rewritten()),
      options: { audienceHosts: [HOST] },
      errors: [
        {
          messageId: 'hostMismatch',
          data: { ...mismatch, details: `; it is not a configured audience host either (${HOST})` },
          message: `${hostMismatchMessage}; it is not a configured audience host either (${HOST})`,
        },
      ],
    },
    {
      name: 'an absolute-form request line names the host when there is no Host header',
      decoded: () => bearerExchange(rewritten(), testExchange({ uri: `https://${HOST}/EWS/Exchange.asmx`, requestHeaders: {} })),
      errors: [{ messageId: 'hostMismatch', data: mismatch }],
    },
    {
      name: 'aud host is the request host but not a configured audience host',
      decoded: () => bearerExchange(outerToken()),
      options: { audienceHosts: ['exchange.contoso.test'] },
      errors: [{ messageId: 'unexpectedHost', data: { token: 'outer token', audHost: HOST, expected: 'exchange.contoso.test' } }],
    },
    {
      name: 'addressed by IP: only the configuration can be compared',
      decoded: () => bearerExchange(rewritten(), byAddress('127.0.0.1:18080')),
      options: { audienceHosts: [HOST] },
      errors: [{ messageId: 'unexpectedHost', data: { token: 'outer token', audHost: OTHER_HOST, expected: HOST } }],
    },
    {
      name: 'a token in a JSON body is judged like one in the Authorization header',
      decoded: () => fieldTokenExchange(actorToken({ aud: `${EXCHANGE}/mail.fabrikam.test@${TENANT}` }), { type: 'json', name: 'access_token', message: 'request' }),
      errors: [
        {
          messageId: 'hostMismatch',
          data: { token: 'token', aud: `${EXCHANGE}/mail.fabrikam.test@${TENANT}`, audHost: 'mail.fabrikam.test', host: HOST, details: '' },
        },
      ],
    },
    {
      name: 'an Entra ID token with s2sOnly',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: `https://${HOST}` } })),
      options: { s2sOnly: true },
      errors: [{ messageId: 'malformed', data: { token: 'token', aud: `https://${HOST}` } }],
    },
    {
      name: 'a client assertion whose aud names Exchange instead of the token service (AADSTS50013)',
      decoded: () => assertionExchange(clientAssertion({ aud })),
      errors: [
        {
          messageId: 'assertionAudience',
          data: { aud },
          message: `client assertion aud "${aud}" does not name a token service: expected ${ACS}/${ACS_HOST}@<realm> or an Entra ID token endpoint`,
        },
      ],
    },
    {
      name: 'a client assertion whose aud names ACS\'s host under another principal',
      decoded: () => assertionExchange(clientAssertion({ aud: `${EXCHANGE}/${ACS_HOST}@${TENANT}` }), { field: 'assertion' }),
      errors: [{ messageId: 'assertionAudience', data: { aud: `${EXCHANGE}/${ACS_HOST}@${TENANT}` } }],
    },
    {
      name: 'a client assertion without aud',
      decoded: () => assertionExchange(clientAssertion({ aud: undefined })),
      errors: [{ messageId: 'missing', data: { token: 'client assertion' } }],
    },
    {
      name: 'aud names another host, answered 200: a note, the server took it',
      decoded: () => acceptedExchange(rewritten()),
      errors: [{ messageId: 'hostMismatch', data: { ...mismatch, answer: ACCEPTED }, severity: 'note', message: `${hostMismatchMessage}${acceptedSuffix}` }],
    },
    {
      name: 'aud names another host, answered 401 invalid_token: an error, and a likely cause',
      decoded: () => rejectedExchange(rewritten()),
      errors: [{ messageId: 'hostMismatch', data: { ...mismatch, answer: REJECTED }, severity: 'error', message: `${hostMismatchMessage}${rejectedSuffix}` }],
    },
    {
      name: 'an answer that says nothing about the token (HTTP 500) adds nothing',
      decoded: () => bearerExchange(rewritten(), testExchange({ status: 500 })),
      errors: [{ messageId: 'hostMismatch', data: mismatch, severity: 'error', message: hostMismatchMessage }],
    },
  ],
});
