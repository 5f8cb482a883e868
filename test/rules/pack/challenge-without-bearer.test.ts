// Rule table for challenge-without-bearer.
import { challengeWithoutBearer } from '../../../src/rules/pack/challenge-without-bearer.js';
import { bearerChallenge, challenge, decodedExchange, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const unauthorized = () => testExchange({ status: 401 });

runRuleTester(challengeWithoutBearer, {
  valid: [
    {
      name: '401 with Bearer next to Basic and NTLM',
      decoded: () => decodedExchange({ exchange: unauthorized(), challenges: [bearerChallenge(['x@*']), challenge('Basic'), challenge('NTLM')] }),
    },
    { name: 'a 200', decoded: () => decodedExchange({ exchange: testExchange({ status: 200 }) }) },
    { name: 'a 407 from a proxy', decoded: () => decodedExchange({ exchange: testExchange({ status: 407 }), challenges: [challenge('NTLM', 'Proxy-Authenticate')] }) },
  ],
  invalid: [
    {
      name: '401 with no challenge at all',
      decoded: () => decodedExchange({ exchange: unauthorized() }),
      errors: [{ messageId: 'noChallenge', data: { host: 'mail.contoso.test' } }],
    },
    {
      name: '401 offering only Windows schemes (pre-auth device)',
      decoded: () => decodedExchange({ exchange: unauthorized(), challenges: [challenge('Negotiate'), challenge('NTLM'), challenge('NTLM')] }),
      errors: [{ messageId: 'noBearer', data: { host: 'mail.contoso.test', schemes: 'Negotiate, NTLM' } }],
    },
  ],
});
