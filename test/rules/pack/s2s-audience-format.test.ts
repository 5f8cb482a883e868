// Rule table for s2s-audience-format.
import { s2sAudienceFormat } from '../../../src/rules/pack/s2s-audience-format.js';
import { EXCHANGE, HOST, TENANT, actorToken, bearerExchange, makeJwt, outerToken, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const aud = `${EXCHANGE}/${HOST}@${TENANT}`;

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
      config: { audienceHosts: [HOST] },
    },
    { name: 'aud as an array', decoded: () => bearerExchange(makeJwt({ claims: { aud: [aud] } })) },
    {
      name: 'an Entra ID token (aud https://host) by default',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: `https://${HOST}` } })),
    },
    { name: 'a configured audience host', decoded: () => bearerExchange(outerToken()), config: { audienceHosts: ['Mail.Contoso.Test'] } },
  ],
  invalid: [
    {
      name: 'no aud',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${EXCHANGE}@${TENANT}` } })),
      errors: [{ messageId: 'missing', data: { role: 'token' } }],
    },
    {
      name: 'two-part aud (no host)',
      decoded: () => bearerExchange(makeJwt({ claims: { aud: `${EXCHANGE}@${TENANT}` } })),
      errors: [{ messageId: 'malformed', data: { role: 'token', aud: `${EXCHANGE}@${TENANT}` } }],
    },
    {
      name: 'actor aud malformed too',
      decoded: () => bearerExchange(outerToken(actorToken({ aud: 'https://mail.contoso.test' }))),
      errors: [{ messageId: 'malformed', data: { role: 'actor', aud: 'https://mail.contoso.test' } }],
    },
    {
      name: 'aud names another host (SSL offload, rewritten host)',
      decoded: () => bearerExchange(outerToken(actorToken(), { aud: `${EXCHANGE}/autodiscover.contoso.test@${TENANT}` })),
      errors: [
        {
          messageId: 'hostMismatch',
          data: { role: 'outer', aud: `${EXCHANGE}/autodiscover.contoso.test@${TENANT}`, audHost: 'autodiscover.contoso.test', host: HOST },
        },
      ],
    },
    {
      name: 'aud host is not a configured audience host',
      decoded: () => bearerExchange(outerToken()),
      config: { audienceHosts: ['exchange.contoso.test'] },
      errors: [{ messageId: 'unexpectedHost', data: { role: 'outer', audHost: HOST, expected: 'exchange.contoso.test' } }],
    },
    {
      name: 'an Entra ID token with s2sOnly',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: `https://${HOST}` } })),
      config: { s2sOnly: true },
      errors: [{ messageId: 'malformed', data: { role: 'token', aud: `https://${HOST}` } }],
    },
  ],
});
