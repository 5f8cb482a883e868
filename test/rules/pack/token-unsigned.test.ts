// Rule table for token-unsigned.
import { tokenUnsigned } from '../../../src/rules/pack/token-unsigned.js';
import { SKYPE, TENANT, actorToken, bearerExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

runRuleTester(tokenUnsigned, {
  valid: [
    { name: 'a signed token', decoded: () => bearerExchange(actorToken()) },
    { name: 'the unsigned outer token carrying a signed actor', decoded: () => bearerExchange(outerToken()) },
    {
      name: 'an unsigned token whose actortoken does not decode (token-malformed reports it)',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { actortoken: 'x' }, actorError: 'bad' })),
    },
  ],
  invalid: [
    {
      name: 'alg none without actor',
      decoded: () => bearerExchange(makeJwt({ header: { typ: 'JWT', alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}` } })),
      errors: [{ messageId: 'unsigned', data: { iss: `${SKYPE}@${TENANT}`, alg: 'none' } }],
    },
    {
      name: 'alg "None" with a signature segment still counts',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'None' }, signature: 'abc', claims: {} })),
      errors: [{ messageId: 'unsigned', data: { iss: '(no iss)', alg: 'None' } }],
    },
  ],
});
