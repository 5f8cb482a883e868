// Rule table for s2s-realm-mismatch.
import { s2sRealmMismatch } from '../../../src/rules/pack/s2s-realm-mismatch.js';
import { ACS, EXCHANGE, HOST, SKYPE, TENANT, actorToken, bearerExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const OTHER = 'b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8';
const UPPER = TENANT.toUpperCase();

runRuleTester(s2sRealmMismatch, {
  valid: [
    { name: 'one realm everywhere', decoded: () => bearerExchange(outerToken()), config: { expectedRealms: [TENANT] } },
    { name: 'a user nameid (UPN) is not a realm', decoded: () => bearerExchange(outerToken(actorToken(), { nameid: 'someone@fabrikam.test' })) },
    {
      name: 'an Entra ID token',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `https://sts.windows.net/${OTHER}/`, aud: `https://${HOST}` } })),
      config: { expectedRealms: [TENANT] },
    },
    {
      name: 'a DNS realm on premises',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com`, aud: `${EXCHANGE}/${HOST}@contoso.com` } })),
      config: { expectedRealms: ['contoso.com'] },
    },
  ],
  invalid: [
    {
      name: 'actor token from another tenant',
      decoded: () => bearerExchange(outerToken(actorToken({}, OTHER))),
      errors: [
        {
          messageId: 'tokenRealms',
          data: { realms: `outer iss ${TENANT}, outer aud ${TENANT}, actor iss ${OTHER}, actor aud ${OTHER}, actor nameid ${OTHER}` },
        },
      ],
    },
    {
      name: 'realms that differ only in case',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${ACS}@${TENANT}`, aud: `${EXCHANGE}/${HOST}@${UPPER}` } })),
      errors: [{ messageId: 'caseOnly', data: { realms: `token iss ${TENANT}, token aud ${UPPER}` } }],
    },
    {
      name: 'a domain realm where the tenant GUID is configured',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com`, aud: `${EXCHANGE}/${HOST}@contoso.com` } })),
      config: { expectedRealms: [TENANT] },
      errors: [{ messageId: 'unexpectedRealm', data: { realm: 'contoso.com', where: 'token iss, token aud', expected: TENANT } }],
    },
    {
      name: 'a wildcard realm inside a token',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@*`, aud: `${EXCHANGE}/${HOST}@${TENANT}` } })),
      errors: [{ messageId: 'wildcard', data: { where: 'token iss' } }],
    },
  ],
});
