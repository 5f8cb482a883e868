// Rule table for token-unknown-signer (results come from verifySignatures; see test/rules/signature).
import { tokenUnknownSigner } from '../../../src/rules/pack/token-unknown-signer.js';
import {
  ACCEPTED,
  ACS,
  ACS_HOST,
  REJECTED,
  acceptedExchange,
  acceptedSuffix,
  actorToken,
  assertionExchange,
  bearerChallenge,
  bearerExchange,
  clientAssertion,
  decodedExchange,
  outerToken,
  rejectedExchange,
  rejectedSuffix,
  testExchange,
  testTrustStore,
} from '../factories.js';
import type { VerificationResult } from '../../../src/rules/signature/verification-result.js';
import { runRuleTester } from '../rule-tester.js';

const signer = { subject: 'CN=oauth-test', thumbprint: 'AA', origin: 'x' };
const keyIds = 'x5t=XqrnFEfsS55_vMBpHvF0pTnqeaM';
const unknownSigner = (token: 'token' | 'actor' = 'token'): VerificationResult => ({ status: 'unknown-signer', token, keyIds });
/** One certificate configured (--cert OAuthCert.cer), and it is not the signer's. */
const oneCert = { trustStore: testTrustStore(1) };
const twoCerts = { trustStore: testTrustStore(2) };
const oneCertNoMatch = 'the configured certificate does not match';
const unknown = { token: 'token', keyIds, noMatch: oneCertNoMatch };
const unknownMessage = `token names signing key ${keyIds}, which ${oneCertNoMatch}`;
const ISSUED = 'token handed out in the response';
/** ACS's token endpoint answering 200 with `access_token`: a token handed out, not presented. */
const issuedExchange = () =>
  decodedExchange({
    exchange: testExchange({ host: ACS_HOST, status: 200 }),
    credentials: [{ direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: actorToken() } }],
  });

runRuleTester(tokenUnknownSigner, {
  valid: [
    { name: 'a known signer', decoded: () => bearerExchange(actorToken()), config: oneCert, signatures: [{ status: 'valid', token: 'token', signer }] },
    { name: 'not verified (no trust store)', decoded: () => bearerExchange(actorToken()) },
  ],
  invalid: [
    {
      name: 'x5t does not match the one configured certificate',
      decoded: () => bearerExchange(actorToken()),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [{ messageId: 'unknown', data: unknown, severity: 'warning', message: unknownMessage }],
    },
    {
      name: 'the actor token\'s x5t matches none of two configured certificates',
      decoded: () => bearerExchange(outerToken()),
      config: twoCerts,
      signatures: [unknownSigner('actor')],
      errors: [
        {
          messageId: 'unknown',
          data: { token: 'actor token', keyIds, noMatch: 'none of the 2 configured certificates matches' },
          message: `actor token names signing key ${keyIds}, which none of the 2 configured certificates matches`,
        },
      ],
    },
    {
      name: 'a token a token endpoint hands out, signed by a key the configuration does not hold',
      decoded: () => issuedExchange(),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [{ messageId: 'unknownIssued', data: { ...unknown, token: ISSUED }, severity: 'note' }],
    },
    {
      name: 'a token a token endpoint hands out: the message names it once',
      decoded: () => issuedExchange(),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [
        {
          messageId: 'unknownIssued',
          data: { ...unknown, token: ISSUED },
          severity: 'note',
          message: `${ISSUED} names signing key ${keyIds}, which ${oneCertNoMatch}: its signature was not checked`,
        },
      ],
    },
    {
      name: 'a client assertion signed by a key the configuration does not hold: named as a client assertion',
      decoded: () => assertionExchange(clientAssertion()),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [
        {
          messageId: 'unknown',
          data: { ...unknown, token: 'client assertion' },
          severity: 'warning',
          message: `client assertion names signing key ${keyIds}, which ${oneCertNoMatch}`,
        },
      ],
    },
    {
      name: 'unknown signer, answered 200: a note, the server knows the key',
      decoded: () => acceptedExchange(actorToken()),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [{ messageId: 'unknown', data: { ...unknown, answer: ACCEPTED }, severity: 'note', message: `${unknownMessage}${acceptedSuffix}` }],
    },
    {
      name: 'unknown signer, answered 401 invalid_token: the rule severity, and a likely cause',
      decoded: () => rejectedExchange(actorToken()),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [{ messageId: 'unknown', data: { ...unknown, answer: REJECTED }, severity: 'warning', message: `${unknownMessage}${rejectedSuffix}` }],
    },
    {
      name: 'unknown signer, answered a bare 401 (no Bearer error): the rule severity, and only the answer named',
      decoded: () =>
        decodedExchange({
          exchange: testExchange({ status: 401 }),
          credentials: [{ decoded: { type: 'jwt', jwt: actorToken() } }],
          challenges: [bearerChallenge([`${ACS}@*`])],
        }),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [
        { messageId: 'unknown', data: { ...unknown, answer: 'HTTP 401' }, severity: 'warning', message: `${unknownMessage}; the server answered HTTP 401` },
      ],
    },
    {
      name: 'unknown signer, answered 302: a redirect says nothing, so the rule severity and no suffix',
      decoded: () => bearerExchange(actorToken(), testExchange({ status: 302 })),
      config: oneCert,
      signatures: [unknownSigner()],
      errors: [{ messageId: 'unknown', data: unknown, severity: 'warning', message: unknownMessage }],
    },
  ],
});
