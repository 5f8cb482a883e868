// Rule table for issuer-not-trusted.
import { issuerNotTrusted } from '../../../src/rules/pack/issuer-not-trusted.js';
import {
  ACCEPTED,
  ACS,
  EXCHANGE,
  HOST,
  REJECTED,
  SKYPE,
  TENANT,
  acceptedExchange,
  acceptedSuffix,
  actorToken,
  assertionExchange,
  bearerChallenge,
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

/** The probe: an empty Bearer request answered with a 401 announcing `issuers`. */
const probe = (issuers: string[], host = HOST) => () => [
  decodedExchange({
    exchange: testExchange({ host, status: 401 }),
    credentials: [{ value: '', decoded: { type: 'empty' } }],
    challenges: [bearerChallenge(issuers)],
  }),
];
const CHINA = '00000001-0002-0000-c000-000000000000';
const ENTRA_ISS = `https://sts.windows.net/${TENANT}/`;
/** SfB Server as a partner application: an app-only token it signs itself, its realm the tenant. */
const selfIssued = () => actorToken({ iss: `${SKYPE}@${TENANT}`, nameid: `${SKYPE}@${TENANT}` });
const acsOnly = `${ACS}@*`;

const untrustedActor = { token: 'actor token', iss: `${ACS}@${TENANT}`, host: HOST, trusted: `${CHINA}@` };
const partner = { token: 'token', iss: `${SKYPE}@${TENANT}`, host: HOST, trusted: acsOnly };

runRuleTester(issuerNotTrusted, {
  valid: [
    { name: 'nothing announced: not judged', decoded: () => bearerExchange(outerToken()) },
    { name: 'ACS with any realm', decoded: () => bearerExchange(outerToken()), before: probe([acsOnly]) },
    { name: 'GUIDs compared case-insensitively', decoded: () => bearerExchange(outerToken()), before: probe([`${ACS.toUpperCase()}@${TENANT.toUpperCase()}`]) },
    {
      name: 'an Entra ID token against https://sts.windows.net/*/',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: ENTRA_ISS } })),
      before: probe([acsOnly, 'https://sts.windows.net/*/']),
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
    {
      name: 'an unsigned token with no actor vouches for no issuer (token-unsigned reports it)',
      decoded: () => bearerExchange(makeJwt({ header: { typ: 'JWT', alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}`, aud: `${EXCHANGE}/${HOST}@${TENANT}` } })),
      before: probe([acsOnly]),
    },
    {
      name: 'a client assertion is posted to a token service, not judged by a resource\'s trusted_issuers',
      decoded: () => assertionExchange(clientAssertion(), { exchange: testExchange({ uri: `/${TENANT}/tokens/OAuth/2` }) }),
      before: probe([acsOnly]),
    },
    {
      name: 'a token handed out in a response is not presented',
      decoded: () =>
        decodedExchange({
          credentials: [
            { direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: selfIssued() } },
          ],
        }),
      before: probe([acsOnly]),
    },
  ],
  invalid: [
    {
      name: 'the actor issuer is global ACS, the server trusts the China cloud ACS',
      decoded: () => bearerExchange(outerToken()),
      before: probe([`${CHINA}@`]),
      errors: [
        {
          messageId: 'untrusted',
          data: untrustedActor,
          severity: 'error',
          message: `actor token issued by token service "${ACS}@${TENANT}", which is not among the trusted_issuers ${HOST} announced (${CHINA}@)`,
        },
      ],
    },
    {
      name: 'an Entra ID token where only ACS is trusted',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: ENTRA_ISS, aud: `https://${HOST}` } })),
      before: probe([acsOnly]),
      errors: [{ messageId: 'untrusted', data: { token: 'token', iss: ENTRA_ISS, host: HOST, trusted: acsOnly } }],
    },
    {
      name: 'a partner application\'s self-issued token while the challenge names only ACS',
      decoded: () => bearerExchange(selfIssued()),
      before: probe([acsOnly]),
      errors: [
        {
          messageId: 'partner',
          data: partner,
          severity: 'warning',
          message: `token is self-issued by partner application "${SKYPE}@${TENANT}", which the trusted_issuers ${HOST} announced (${acsOnly}) do not list; Exchange accepts such tokens only through a partner application`,
        },
      ],
    },
    {
      name: 'a self-issued token whose realm is not trusted',
      decoded: () => bearerExchange(actorToken({ iss: `${SKYPE}@contoso.com` })),
      before: probe([acsOnly, `${SKYPE}@fabrikam.com`]),
      errors: [{ messageId: 'partner', data: { token: 'token', iss: `${SKYPE}@contoso.com`, host: HOST, trusted: `${acsOnly}, ${SKYPE}@fabrikam.com` } }],
    },
    {
      name: 'a self-issued actor token inside the outer token',
      decoded: () => bearerExchange(outerToken(actorToken({ iss: `${SKYPE}@${TENANT}` }))),
      before: probe([acsOnly]),
      errors: [{ messageId: 'partner', data: { ...partner, token: 'actor token' } }],
    },
    {
      name: 'a token in a form field is judged like one in the Authorization header',
      decoded: () => fieldTokenExchange(outerToken(), { type: 'form', name: 'access_token', message: 'request' }),
      before: probe([`${CHINA}@`]),
      errors: [{ messageId: 'untrusted', data: untrustedActor }],
    },
    {
      name: 'the untrusted actor answered 200: the server took it, so a note',
      decoded: () => acceptedExchange(outerToken()),
      before: probe([`${CHINA}@`]),
      errors: [
        {
          messageId: 'untrusted',
          data: { ...untrustedActor, answer: ACCEPTED },
          severity: 'note',
          message: `actor token issued by token service "${ACS}@${TENANT}", which is not among the trusted_issuers ${HOST} announced (${CHINA}@)${acceptedSuffix}`,
        },
      ],
    },
    {
      name: 'the untrusted actor answered 401 invalid_token: an error, and a likely cause',
      decoded: () => rejectedExchange(outerToken(), [`${CHINA}@`]),
      errors: [
        {
          messageId: 'untrusted',
          data: { ...untrustedActor, answer: REJECTED },
          severity: 'error',
          message: `actor token issued by token service "${ACS}@${TENANT}", which is not among the trusted_issuers ${HOST} announced (${CHINA}@)${rejectedSuffix}`,
        },
      ],
    },
    {
      name: 'the partner token answered 200 (Exchange knows the partner application): a note',
      decoded: () => acceptedExchange(selfIssued()),
      before: probe([acsOnly]),
      errors: [{ messageId: 'partner', data: { ...partner, answer: ACCEPTED }, severity: 'note' }],
    },
    {
      name: 'the partner token answered 401 invalid_token: the message severity, with the answer',
      decoded: () => rejectedExchange(selfIssued(), [acsOnly]),
      errors: [{ messageId: 'partner', data: { ...partner, answer: REJECTED }, severity: 'warning' }],
    },
    {
      name: 'a configured severity is kept when the server accepted the token',
      decoded: () => acceptedExchange(outerToken()),
      before: probe([`${CHINA}@`]),
      config: { rules: { 'issuer-not-trusted': 'warning' } },
      errors: [{ messageId: 'untrusted', data: { ...untrustedActor, answer: ACCEPTED }, severity: 'warning' }],
    },
  ],
});
