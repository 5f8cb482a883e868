// Rule table for issuer-not-trusted.
import { issuerNotTrusted } from '../../../src/rules/pack/issuer-not-trusted.js';
import {
  ACS,
  SKYPE,
  TENANT,
  actorToken,
  bearerChallenge,
  bearerExchange,
  decodedExchange,
  makeJwt,
  outerToken,
  testExchange,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

/** The probe: an empty Bearer request answered with a 401 announcing `issuers`. */
const probe = (issuers: string[], host = 'mail.contoso.test') => () => [
  decodedExchange({
    exchange: testExchange({ host, status: 401 }),
    credentials: [{ value: '', decoded: { type: 'empty' } }],
    challenges: [bearerChallenge(issuers)],
  }),
];
const CHINA = '00000001-0002-0000-c000-000000000000';

runRuleTester(issuerNotTrusted, {
  valid: [
    { name: 'nothing announced: not judged', decoded: () => bearerExchange(outerToken()) },
    { name: 'ACS with any realm', decoded: () => bearerExchange(outerToken()), before: probe([`${ACS}@*`]) },
    { name: 'GUIDs compared case-insensitively', decoded: () => bearerExchange(outerToken()), before: probe([`${ACS.toUpperCase()}@${TENANT.toUpperCase()}`]) },
    {
      name: 'an Entra ID token against https://sts.windows.net/*/',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/` } })),
      before: probe([`${ACS}@*`, 'https://sts.windows.net/*/']),
    },
    { name: 'another host announced the list', decoded: () => bearerExchange(outerToken()), before: probe([`${SKYPE}@contoso.com`], 'lync.contoso.test') },
    {
      name: 'the list in this exchange\'s own 401',
      decoded: () =>
        decodedExchange({
          exchange: testExchange({ status: 401 }),
          credentials: [{ decoded: { type: 'jwt', jwt: outerToken() } }],
          challenges: [bearerChallenge([`${ACS}@${TENANT}`])],
        }),
    },
  ],
  invalid: [
    {
      name: 'the actor issuer is global ACS, the server trusts the China cloud ACS',
      decoded: () => bearerExchange(outerToken()),
      before: probe([`${CHINA}@`]),
      errors: [{ messageId: 'untrusted', data: { role: 'actor', iss: `${ACS}@${TENANT}`, host: 'mail.contoso.test', trusted: `${CHINA}@` } }],
    },
    {
      name: 'a self-issued token whose realm is not trusted',
      decoded: () => bearerExchange(actorToken({ iss: `${SKYPE}@contoso.com` })),
      before: probe([`${ACS}@*`, `${SKYPE}@fabrikam.com`]),
      errors: [
        {
          messageId: 'untrusted',
          data: { role: 'token', iss: `${SKYPE}@contoso.com`, host: 'mail.contoso.test', trusted: `${ACS}@*, ${SKYPE}@fabrikam.com` },
        },
      ],
    },
  ],
});
