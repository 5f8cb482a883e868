// Rule table for token-in-url.
import { tokenInUrl } from '../../../src/rules/pack/token-in-url.js';
import { actorToken, bearerExchange, decodedExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

runRuleTester(tokenInUrl, {
  valid: [
    { name: 'a token in the Authorization header', decoded: () => bearerExchange(actorToken()) },
    {
      name: 'an empty query parameter',
      decoded: () => decodedExchange({ credentials: [{ location: { type: 'query', name: 'access_token' }, value: '', decoded: { type: 'empty' } }] }),
    },
  ],
  invalid: [
    {
      name: 'access_token in the query string',
      decoded: () =>
        decodedExchange({
          credentials: [{ location: { type: 'query', name: 'access_token' }, decoded: { type: 'jwt', jwt: actorToken() } }],
        }),
      errors: [{ messageId: 'query', data: { name: 'access_token', host: 'mail.contoso.test' } }],
    },
  ],
});
