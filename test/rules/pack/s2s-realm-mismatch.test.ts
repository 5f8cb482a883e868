// Rule table for s2s-realm-mismatch.
import { s2sRealmMismatch } from '../../../src/rules/pack/s2s-realm-mismatch.js';
import {
  ACCEPTED,
  ACS,
  ACS_HOST,
  EXCHANGE,
  HOST,
  REJECTED,
  SKYPE,
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
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const OTHER = 'b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8';
const UPPER = TENANT.toUpperCase();
/** A user-context token whose actor token comes from another tenant. */
const foreignActor = () => outerToken(actorToken({}, OTHER));
const foreignRealms = `outer token iss "${TENANT}", outer token aud "${TENANT}", actor token iss "${OTHER}", actor token aud "${OTHER}", actor token nameid "${OTHER}"`;
const foreignMessage = `realms in the token disagree: ${foreignRealms}`;

runRuleTester(s2sRealmMismatch, {
  valid: [
    { name: 'one realm everywhere', decoded: () => bearerExchange(outerToken()), options: { expectedRealms: [TENANT] } },
    { name: 'a user nameid (UPN) is not a realm', decoded: () => bearerExchange(outerToken(actorToken(), { nameid: 'someone@fabrikam.test' })) },
    {
      name: 'an Entra ID token',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${OTHER}/`, aud: `https://${HOST}` } })),
      options: { expectedRealms: [TENANT] },
    },
    {
      name: 'a DNS realm on premises',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com`, aud: `${EXCHANGE}/${HOST}@contoso.com` } })),
      options: { expectedRealms: ['contoso.com'] },
    },
    { name: 'a client assertion whose aud names the token service in its own realm', decoded: () => assertionExchange(clientAssertion()), options: { expectedRealms: [TENANT] } },
    {
      name: 'a token handed out in a response is not presented',
      decoded: () =>
        decodedExchange({
          credentials: [
            { direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: foreignActor() } },
          ],
        }),
    },
  ],
  invalid: [
    {
      name: 'actor token from another tenant',
      decoded: () => bearerExchange(foreignActor()),
      errors: [{ messageId: 'tokenRealms', data: { realms: foreignRealms, details: '' }, severity: 'error', message: foreignMessage }],
    },
    {
      name: 'realms that differ only in case',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${ACS}@${TENANT}`, aud: `${EXCHANGE}/${HOST}@${UPPER}` } })),
      errors: [{ messageId: 'caseOnly', data: { realms: `token iss "${TENANT}", token aud "${UPPER}"`, details: '' } }],
    },
    {
      name: 'an empty realm is shown as such',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@`, aud: `${EXCHANGE}/${HOST}@${TENANT}` } })),
      errors: [{ messageId: 'tokenRealms', data: { realms: `token iss (empty), token aud "${TENANT}"`, details: '' } }],
    },
    {
      name: 'a domain realm where the tenant GUID is configured',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com`, aud: `${EXCHANGE}/${HOST}@contoso.com` } })),
      options: { expectedRealms: [TENANT] },
      errors: [
        {
          messageId: 'unexpectedRealm',
          data: { realm: '"contoso.com"', where: 'token iss, token aud', expected: TENANT, details: '' },
          message: `realm "contoso.com" (token iss, token aud) is not a configured realm (${TENANT})`,
        },
      ],
    },
    {
      name: 'a wildcard realm inside a token',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@*`, aud: `${EXCHANGE}/${HOST}@${TENANT}` } })),
      errors: [{ messageId: 'wildcard', data: { where: 'token iss', details: '' } }],
    },
    {
      name: 'one finding per token: an unconfigured realm comes first, the disagreement follows in its details',
      decoded: () => bearerExchange(foreignActor()),
      options: { expectedRealms: [TENANT] },
      errors: [
        {
          messageId: 'unexpectedRealm',
          data: {
            realm: `"${OTHER}"`,
            where: 'actor token iss, actor token aud, actor token nameid',
            expected: TENANT,
            details: `; also realms disagree: ${foreignRealms}`,
          },
          message: `realm "${OTHER}" (actor token iss, actor token aud, actor token nameid) is not a configured realm (${TENANT}); also realms disagree: ${foreignRealms}`,
        },
      ],
    },
    {
      name: 'two unconfigured realms and a wildcard: the first realm is the message, the rest its details',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com`, aud: `${EXCHANGE}/${HOST}@fabrikam.com`, nameid: `${SKYPE}@*` } })),
      options: { expectedRealms: [TENANT] },
      errors: [
        {
          messageId: 'unexpectedRealm',
          data: {
            realm: '"contoso.com"',
            where: 'token iss',
            expected: TENANT,
            details:
              '; also realm "fabrikam.com" (token aud) is not a configured realm; realms disagree: token iss "contoso.com", token aud "fabrikam.com"; realm "*" in token nameid',
          },
        },
      ],
    },
    {
      name: 'a case-only difference comes before a wildcard',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${SKYPE}@*` }), { aud: `${EXCHANGE}/${HOST}@${UPPER}` })),
      errors: [
        {
          messageId: 'caseOnly',
          data: {
            realms: `outer token iss "${TENANT}", outer token aud "${UPPER}", actor token iss "${TENANT}", actor token aud "${TENANT}"`,
            details: '; also realm "*" in actor token nameid',
          },
        },
      ],
    },
    {
      name: 'a client assertion whose aud names the token service in another realm',
      decoded: () => assertionExchange(clientAssertion({ aud: `${ACS}/${ACS_HOST}@${OTHER}` })),
      errors: [{ messageId: 'tokenRealms', data: { realms: `client assertion iss "${TENANT}", client assertion aud "${OTHER}"`, details: '' } }],
    },
    {
      name: 'a token in the query string is judged like one in the Authorization header',
      decoded: () => fieldTokenExchange(foreignActor(), { type: 'query', name: 'access_token' }),
      errors: [{ messageId: 'tokenRealms', data: { realms: foreignRealms, details: '' } }],
    },
    {
      name: 'realms disagree, answered 200: a note, the server took it',
      decoded: () => acceptedExchange(foreignActor()),
      errors: [{ messageId: 'tokenRealms', data: { realms: foreignRealms, details: '', answer: ACCEPTED }, severity: 'note', message: `${foreignMessage}${acceptedSuffix}` }],
    },
    {
      name: 'realms disagree, answered 401 invalid_token: an error, and a likely cause',
      decoded: () => rejectedExchange(foreignActor()),
      errors: [{ messageId: 'tokenRealms', data: { realms: foreignRealms, details: '', answer: REJECTED }, severity: 'error', message: `${foreignMessage}${rejectedSuffix}` }],
    },
  ],
});
