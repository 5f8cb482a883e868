// Rule table for token-signature-invalid (results come from verifySignatures; see test/rules/signature).
import { tokenSignatureInvalid } from '../../../src/rules/pack/token-signature-invalid.js';
import { actorToken, bearerExchange, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const signer = { subject: 'CN=oauth-test', thumbprint: '5EAAE71447EC4B9E7FBCC0691EF174A539EA79A3', origin: 'rules.yaml:9' };

runRuleTester(tokenSignatureInvalid, {
  valid: [
    { name: 'a verified signature', decoded: () => bearerExchange(outerToken()), signatures: [{ status: 'valid', token: 'actor', signer }] },
    { name: 'not verified (no trust store)', decoded: () => bearerExchange(actorToken()) },
    { name: 'unknown signer is another rule', decoded: () => bearerExchange(actorToken()), signatures: [{ status: 'unknown-signer', token: 'token', keyIds: 'x5t=abc' }] },
  ],
  invalid: [
    {
      name: 'the actor token signature fails',
      decoded: () => bearerExchange(outerToken()),
      signatures: [{ status: 'invalid', token: 'actor', signer, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed' }],
      errors: [
        {
          messageId: 'invalid',
          data: {
            role: 'actor',
            thumbprint: signer.thumbprint,
            subject: 'CN=oauth-test',
            reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed',
          },
        },
      ],
    },
  ],
});
