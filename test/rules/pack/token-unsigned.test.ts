// Rule table for token-unsigned.
import { tokenUnsigned } from '../../../src/rules/pack/token-unsigned.js';
import { EXCHANGE, HOST, SKYPE, TENANT, actorToken, bearerExchange, fieldTokenExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

/** An S2S outer token (iss <principal>@<realm>) sent without its actortoken claim. */
const outerWithoutActor = () =>
  makeJwt({ header: { typ: 'JWT', alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}`, aud: `${EXCHANGE}/${HOST}@${TENANT}`, nameid: 'user@contoso.test' } });

runRuleTester(tokenUnsigned, {
  valid: [
    { name: 'a signed token', decoded: () => bearerExchange(actorToken()) },
    { name: 'the unsigned outer token carrying a signed actor', decoded: () => bearerExchange(outerToken()) },
    {
      name: 'an unsigned token whose actortoken does not decode (token-malformed reports it)',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { actortoken: 'x' } })),
    },
  ],
  invalid: [
    {
      name: 'an S2S outer token without actortoken',
      decoded: () => bearerExchange(outerWithoutActor()),
      errors: [
        {
          messageId: 'outerWithoutActor',
          data: { iss: `${SKYPE}@${TENANT}`, alg: 'none' },
          severity: 'error',
          message: `S2S outer token from ${SKYPE}@${TENANT} is unsigned (alg "none") and carries no actortoken claim: MS-XOAUTH requires a signed actor token inside it, so nothing vouches for it`,
        },
      ],
    },
    {
      name: 'the <principal>/<host>@<realm> issuer is a principal name too',
      decoded: () => bearerExchange(makeJwt({ header: { typ: 'JWT', alg: 'none' }, claims: { iss: `${SKYPE}/lync.contoso.test@${TENANT}` } })),
      errors: [{ messageId: 'outerWithoutActor', data: { iss: `${SKYPE}/lync.contoso.test@${TENANT}`, alg: 'none' } }],
    },
    {
      name: 'an unsigned token whose iss is not a principal name',
      decoded: () => bearerExchange(makeJwt({ header: { typ: 'JWT', alg: 'none' }, claims: { iss: 'https://idp.contoso.test/' } })),
      errors: [
        {
          messageId: 'unsigned',
          data: { iss: 'https://idp.contoso.test/', alg: 'none' },
          message: 'token from https://idp.contoso.test/ is unsigned (alg "none") and carries no actor token, so nothing signed vouches for it',
        },
      ],
    },
    {
      name: 'alg "None" with a signature segment still counts',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'None' }, signature: 'abc', claims: {} })),
      errors: [{ messageId: 'unsigned', data: { iss: '(no iss)', alg: 'None' } }],
    },
    {
      name: 'an unsigned token in a cookie',
      decoded: () => fieldTokenExchange(outerWithoutActor(), { type: 'cookie', name: 'access_token' }),
      errors: [{ messageId: 'outerWithoutActor', data: { iss: `${SKYPE}@${TENANT}`, alg: 'none' } }],
    },
  ],
});
