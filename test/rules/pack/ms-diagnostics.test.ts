// Rule table for ms-diagnostics.
import { msDiagnostics } from '../../../src/rules/pack/ms-diagnostics.js';
import { decodedExchange, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const host = 'mail.contoso.test';
const rejected = (code: string, reason?: string, errorCategory?: string) => () =>
  decodedExchange({
    exchange: testExchange({ status: 401 }),
    diagnostics: [{ code, raw: `${code};...`, ...(reason ? { reason } : {}), ...(errorCategory ? { errorCategory } : {}) }],
  });

runRuleTester(msDiagnostics, {
  valid: [{ name: 'no x-ms-diagnostics header', decoded: () => decodedExchange({ exchange: testExchange({ status: 401 }) }) }],
  invalid: [
    {
      name: '2000000 invalid_signature',
      decoded: rejected('2000000', 'The token has an invalid signature.', 'invalid_signature'),
      errors: [{ messageId: 'invalidSignature', data: { host, code: '2000000', reason: 'The token has an invalid signature.', category: 'invalid_signature' } }],
    },
    {
      name: '2000003 invalid_resource',
      decoded: rejected('2000003', "The audience claim value is invalid 'aud'.", 'invalid_resource'),
      errors: [{ messageId: 'invalidResource', data: { host, code: '2000003', reason: "The audience claim value is invalid 'aud'.", category: 'invalid_resource' } }],
    },
    {
      name: '2000004 invalid_tenant',
      decoded: rejected('2000004', "The tenant for tenant guid 'contoso.com' does not exist.", 'invalid_tenant'),
      errors: [
        { messageId: 'invalidTenant', data: { host, code: '2000004', reason: "The tenant for tenant guid 'contoso.com' does not exist.", category: 'invalid_tenant' } },
      ],
    },
    {
      name: '2000005 invalid_user',
      decoded: rejected('2000005', 'The user specified by the user-context in the token is ambiguous.', 'invalid_user'),
      errors: [
        {
          messageId: 'invalidUser',
          data: { host, code: '2000005', reason: 'The user specified by the user-context in the token is ambiguous.', category: 'invalid_user' },
        },
      ],
    },
    {
      name: 'an unknown code without reason',
      decoded: rejected('2000099'),
      errors: [{ messageId: 'unknown', data: { host, code: '2000099', reason: '(no reason given)', category: 'no category' } }],
    },
  ],
});
