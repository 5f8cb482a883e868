// Rule table for token-unknown-signer (results come from verifySignatures; see test/rules/signature).
import { tokenUnknownSigner } from '../../../src/rules/pack/token-unknown-signer.js';
import { createTrustStore } from '../../../src/config/trust-store.js';
import { actorToken, bearerExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const signer = { subject: 'CN=oauth-test', thumbprint: 'AA', origin: 'x' };

runRuleTester(tokenUnknownSigner, {
  valid: [
    { name: 'a known signer', decoded: () => bearerExchange(actorToken()), signatures: [{ status: 'valid', token: 'token', signer }] },
    { name: 'not verified (no trust store)', decoded: () => bearerExchange(actorToken()) },
  ],
  invalid: [
    {
      name: 'x5t matches no configured certificate',
      decoded: () => bearerExchange(actorToken()),
      config: { trustStore: createTrustStore([]) },
      signatures: [{ status: 'unknown-signer', token: 'token', keyIds: 'x5t=XqrnFEfsS55_vMBpHvF0pTnqeaM' }],
      errors: [{ messageId: 'unknown', data: { role: 'token', keyIds: 'x5t=XqrnFEfsS55_vMBpHvF0pTnqeaM', count: 0 } }],
    },
  ],
});
