// Rule table for no-basic-auth.
import { noBasicAuth } from '../../../src/rules/pack/no-basic-auth.js';
import { bearerExchange, decodedExchange, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

runRuleTester(noBasicAuth, {
  valid: [
    { name: 'a Bearer token', decoded: () => bearerExchange(outerToken()) },
    {
      name: 'Basic credentials in a response (not a request)',
      decoded: () => decodedExchange({ credentials: [{ scheme: 'basic', direction: 'response', decoded: { type: 'basic', user: 'svc' } }] }),
    },
    {
      name: 'an empty Basic header',
      decoded: () => decodedExchange({ credentials: [{ scheme: 'basic', decoded: { type: 'empty' } }] }),
    },
  ],
  invalid: [
    {
      name: 'Basic credentials, user shown and password not',
      decoded: () =>
        decodedExchange({ credentials: [{ scheme: 'basic', value: 'Y29udG9zb1xzdmM6UGFzc3dvcmQx', decoded: { type: 'basic', user: 'contoso\\svc' } }] }),
      errors: [{ messageId: 'basic', data: { host: 'mail.contoso.test', user: 'contoso\\svc' } }],
    },
    {
      name: 'Basic credentials without a colon',
      decoded: () =>
        decodedExchange({ credentials: [{ scheme: 'basic', decoded: { type: 'basic', user: '', malformed: 'no colon' } }] }),
      errors: [{ messageId: 'malformed', data: { host: 'mail.contoso.test', problem: 'no colon' } }],
    },
    {
      name: 'Basic value that is not base64',
      decoded: () => decodedExchange({ credentials: [{ scheme: 'basic', decoded: { type: 'undecodable', error: 'not base64' } }] }),
      errors: [{ messageId: 'malformed', data: { host: 'mail.contoso.test', problem: 'not base64' } }],
    },
  ],
});
