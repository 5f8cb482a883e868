// Rule table for s2s-issuer-format.
import { s2sIssuerFormat } from '../../../src/rules/pack/s2s-issuer-format.js';
import { ACS, EXCHANGE, SKYPE, TENANT, actorToken, bearerExchange, decodedExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const expectSkype = { expectedIssuerPrincipals: [SKYPE] };
const entra = () =>
  makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: 'https://mail.contoso.test', appid: 'x' } });

runRuleTester(s2sIssuerFormat, {
  valid: [
    { name: 'outer/actor pattern from the expected caller', decoded: () => bearerExchange(outerToken()), config: expectSkype },
    {
      name: 'the <principal>/<host>@<realm> variant',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${SKYPE}/lync.contoso.test@${TENANT}` }), { iss: `${SKYPE}/lync.contoso.test@${TENANT}` })),
    },
    { name: 'a DNS-name realm (on-premises SfB)', decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com` } })) },
    {
      name: 'ACS app-only token: the caller is nameid, not the ACS issuer',
      decoded: () => bearerExchange(actorToken()),
      config: expectSkype,
    },
    { name: 'an Entra ID token (not S2S) by default', decoded: () => bearerExchange(entra()) },
    { name: 'no expectation configured: any caller', decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${EXCHANGE}@${TENANT}` }), { iss: `${EXCHANGE}@${TENANT}` })) },
    {
      name: 'a token handed out in a response is not a presented credential',
      decoded: () => decodedExchange({ credentials: [{ direction: 'response', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: makeJwt({ claims: { iss: 'nonsense' } }) } }] }),
    },
  ],
  invalid: [
    {
      name: 'no iss',
      decoded: () => bearerExchange(makeJwt({ claims: { aud: 'x' } })),
      errors: [{ messageId: 'missing', data: { role: 'token' } }],
    },
    {
      name: 'iss is not a principal name',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: 'lync.contoso.test' } })),
      errors: [{ messageId: 'malformed', data: { role: 'token', iss: 'lync.contoso.test' } }],
    },
    {
      name: 'principal is not a GUID',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `skype@${TENANT}` } })),
      errors: [{ messageId: 'malformed', data: { role: 'token', iss: `skype@${TENANT}` } }],
    },
    {
      name: 'the <principal>/@<realm> variant is tolerated with its own message',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${SKYPE}/@${TENANT}` }), { iss: `${SKYPE}/@${TENANT}` })),
      errors: [{ messageId: 'emptyHost', data: { role: 'outer', iss: `${SKYPE}/@${TENANT}` } }],
    },
    {
      name: 'realm neither GUID nor DNS name',
      decoded: () => bearerExchange(actorToken({ iss: `${ACS}@contoso_com` })),
      errors: [{ messageId: 'badRealm', data: { role: 'token', iss: `${ACS}@contoso_com`, realm: 'contoso_com' } }],
    },
    {
      name: 'outer/actor pattern from an unexpected caller (Exchange, not Skype)',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${EXCHANGE}@${TENANT}` }), { iss: `${EXCHANGE}@${TENANT}` })),
      config: expectSkype,
      errors: [{ messageId: 'unexpectedCaller', data: { caller: EXCHANGE, expected: SKYPE } }],
    },
    {
      name: 'ACS app-only token for an unexpected caller',
      decoded: () => bearerExchange(actorToken({ nameid: `${EXCHANGE}@${TENANT}` })),
      config: expectSkype,
      errors: [{ messageId: 'unexpectedCaller', data: { caller: EXCHANGE, expected: SKYPE } }],
    },
    {
      name: 'a self-issued token from an unexpected issuer',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${EXCHANGE}@${TENANT}` } })),
      config: expectSkype,
      errors: [{ messageId: 'unexpectedCaller', data: { caller: EXCHANGE, expected: SKYPE } }],
    },
    {
      name: 'an Entra ID token with s2sOnly',
      decoded: () => bearerExchange(entra()),
      config: { s2sOnly: true },
      errors: [{ messageId: 'entraIssuer', data: { iss: `https://sts.windows.net/${TENANT}/` } }],
    },
  ],
});
