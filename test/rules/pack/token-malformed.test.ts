// Rule table for token-malformed.
import { tokenMalformed } from '../../../src/rules/pack/token-malformed.js';
import { bearerExchange, decodedExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

runRuleTester(tokenMalformed, {
  valid: [
    { name: 'a decoded JWT', decoded: () => bearerExchange(outerToken()) },
    {
      name: 'an opaque Skype for Business cwt= token',
      decoded: () => decodedExchange({ credentials: [{ value: 'cwt=AAEBHAEFAAAAAAAFFQAAAMZ', decoded: { type: 'opaque', hint: 'cwt' } }] }),
    },
    { name: 'an empty Bearer probe', decoded: () => decodedExchange({ credentials: [{ value: '', decoded: { type: 'empty' } }] }) },
  ],
  invalid: [
    {
      name: 'JWT shape whose header is not JSON',
      decoded: () =>
        decodedExchange({ credentials: [{ schemeName: 'Bearer', value: 'eyJhbGciOi.eyJpc3Mi.c2ln', decoded: { type: 'jwt-malformed', error: 'header is not JSON' } }] }),
      errors: [{ messageId: 'malformed', data: { schemeName: 'Bearer', error: 'header is not JSON' } }],
    },
    {
      name: 'an actortoken claim that does not decode',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { actortoken: 'garbage' } })),
      errors: [{ messageId: 'actor', data: { error: 'header segment is not UTF-8 text; payload segment is empty; signature segment missing (1 segments, a JWS has 3)' } }],
    },
  ],
});
