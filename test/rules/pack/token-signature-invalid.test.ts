// Rule table for token-signature-invalid (results come from verifySignatures; see test/rules/signature).
import { tokenSignatureInvalid } from '../../../src/rules/pack/token-signature-invalid.js';
import { actorToken, assertionExchange, bearerExchange, clientAssertion, decodedExchange, outerToken, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const signer = { subject: 'CN=oauth-test', thumbprint: '5EAAE71447EC4B9E7FBCC0691EF174A539EA79A3', origin: 'rules.yaml:9' };
const reason = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed';
const invalidMessage = (token: string) => `signature of the ${token} does not verify with certificate ${signer.thumbprint} (CN=oauth-test): ${reason}`;

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
            token: 'actor token',
            thumbprint: signer.thumbprint,
            subject: 'CN=oauth-test',
            reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed',
          },
        },
      ],
    },
    {
      name: 'a lone token whose signature fails',
      decoded: () => bearerExchange(actorToken()),
      signatures: [{ status: 'invalid', token: 'token', signer, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed' }],
      errors: [
        {
          messageId: 'invalid',
          data: { token: 'token', thumbprint: signer.thumbprint, subject: 'CN=oauth-test', reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed' },
          severity: 'error',
          message: `signature of the token does not verify with certificate ${signer.thumbprint} (CN=oauth-test): ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed`,
        },
      ],
    },
    {
      name: 'a client assertion whose signature fails: named as a client assertion',
      decoded: () => assertionExchange(clientAssertion()),
      signatures: [{ status: 'invalid', token: 'token', signer, reason }],
      errors: [
        {
          messageId: 'invalid',
          data: { token: 'client assertion', thumbprint: signer.thumbprint, subject: 'CN=oauth-test', reason },
          severity: 'error',
          message: invalidMessage('client assertion'),
        },
      ],
    },
    {
      name: 'a token handed out in a response whose signature fails: named as such',
      decoded: () =>
        decodedExchange({
          exchange: testExchange({ status: 200 }),
          credentials: [
            { direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: actorToken() } },
          ],
        }),
      signatures: [{ status: 'invalid', token: 'token', signer, reason }],
      errors: [
        {
          messageId: 'invalid',
          data: { token: 'token handed out in the response', thumbprint: signer.thumbprint, subject: 'CN=oauth-test', reason },
          severity: 'error',
          message: invalidMessage('token handed out in the response'),
        },
      ],
    },
  ],
});
