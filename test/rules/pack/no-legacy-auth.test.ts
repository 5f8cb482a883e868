// Rule table for no-legacy-auth.
import { noLegacyAuth } from '../../../src/rules/pack/no-legacy-auth.js';
import { bearerExchange, decodedExchange, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const host = 'mail.contoso.test';

runRuleTester(noLegacyAuth, {
  valid: [
    { name: 'a Bearer token', decoded: () => bearerExchange(outerToken()) },
    {
      name: 'an NTLM CHALLENGE in a response',
      decoded: () =>
        decodedExchange({ credentials: [{ scheme: 'ntlm', direction: 'response', decoded: { type: 'ntlm', ntlm: { messageType: 2 } } }] }),
    },
    { name: 'a bare Negotiate header', decoded: () => decodedExchange({ credentials: [{ scheme: 'negotiate', decoded: { type: 'empty' } }] }) },
  ],
  invalid: [
    {
      name: 'NTLM NEGOTIATE',
      decoded: () => decodedExchange({ credentials: [{ scheme: 'ntlm', schemeName: 'NTLM', decoded: { type: 'ntlm', ntlm: { messageType: 1 } } }] }),
      errors: [{ messageId: 'ntlm', data: { host, stage: 'NEGOTIATE' } }],
    },
    {
      name: 'NTLM AUTHENTICATE names the account',
      decoded: () =>
        decodedExchange({
          credentials: [{ scheme: 'ntlm', schemeName: 'NTLM', decoded: { type: 'ntlm', ntlm: { messageType: 3, domain: 'CONTOSO', user: 'svc-lync' } } }],
        }),
      errors: [{ messageId: 'ntlmAccount', data: { host, account: 'CONTOSO\\svc-lync' } }],
    },
    {
      name: 'NTLM that does not decode',
      decoded: () => decodedExchange({ credentials: [{ scheme: 'ntlm', decoded: { type: 'undecodable', error: 'bad' } }] }),
      errors: [{ messageId: 'ntlm', data: { host, stage: 'undecoded' } }],
    },
    {
      name: 'Negotiate wrapping Kerberos',
      decoded: () => decodedExchange({ credentials: [{ scheme: 'negotiate', decoded: { type: 'kerberos' } }] }),
      errors: [{ messageId: 'negotiate', data: { host, mechanism: 'Kerberos' } }],
    },
    {
      name: 'Negotiate wrapping NTLM',
      decoded: () =>
        decodedExchange({ credentials: [{ scheme: 'negotiate', decoded: { type: 'ntlm', ntlm: { messageType: 1 }, wrapped: 'spnego' } }] }),
      errors: [{ messageId: 'negotiate', data: { host, mechanism: 'NTLM' } }],
    },
    {
      name: 'Digest',
      decoded: () =>
        decodedExchange({ credentials: [{ scheme: 'digest', decoded: { type: 'digest', params: { username: 'svc', realm: 'x' } } }] }),
      errors: [{ messageId: 'digest', data: { host, user: 'svc' } }],
    },
  ],
});
