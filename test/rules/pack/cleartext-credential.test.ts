// Rule table for cleartext-credential.
import { cleartextCredential } from '../../../src/rules/pack/cleartext-credential.js';
import { actorToken, bearerExchange, decodedExchange, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const plain = () => testExchange({ scheme: 'http' });

runRuleTester(cleartextCredential, {
  valid: [
    { name: 'a token over https', decoded: () => bearerExchange(actorToken()) },
    { name: 'http decrypted from TLS (tls details present)', decoded: () => bearerExchange(actorToken(), testExchange({ scheme: 'http', tls: { version: 'TLS 1.2' } })) },
    {
      name: 'an empty Bearer probe over http',
      decoded: () => decodedExchange({ exchange: plain(), credentials: [{ schemeName: 'Bearer', value: '', decoded: { type: 'empty' } }] }),
    },
  ],
  invalid: [
    {
      name: 'a Bearer token over plain http',
      decoded: () => bearerExchange(actorToken(), plain()),
      errors: [{ messageId: 'cleartext', data: { kind: 'Bearer', direction: 'request', host: 'mail.contoso.test', where: 'Authorization header' } }],
    },
    {
      name: 'a token handed out in a plain-http response',
      decoded: () =>
        decodedExchange({
          exchange: plain(),
          credentials: [
            { direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: actorToken() } },
          ],
        }),
      errors: [
        { messageId: 'cleartext', data: { kind: 'bearer', direction: 'response', host: 'mail.contoso.test', where: 'JSON field access_token of the response' } },
      ],
    },
  ],
});
