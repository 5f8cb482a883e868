// Rule table for token-signature-unverified.
import { tokenSignatureUnverified } from '../../../src/rules/pack/token-signature-unverified.js';
import {
  MASKED_SIGNATURE,
  SKYPE,
  TENANT,
  actorToken,
  assertionExchange,
  bearerExchange,
  clientAssertion,
  decodedExchange,
  makeJwt,
  outerToken,
  testExchange,
  testTrustStore,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

/** `--cert OAuthCert.cer`: a certificate is configured, so signatures are checked (or named unknown). */
const withCert = { trustStore: testTrustStore(1) };
/** An ACS actor token as a masked recording (HAR written with masking) keeps it: the signature all `A`s. */
const maskedActor = () => makeJwt({ claims: actorToken().claims, signature: MASKED_SIGNATURE });
const noCertificateMessage = (token: string) => `signature of the ${token} was not verified: no certificate or metadata document was given`;
const ISSUED = 'token handed out in the response';
/** A token endpoint's 200 answer handing out `jwt` as `access_token` in its JSON body. */
const issuedExchange = (jwt = actorToken()) =>
  decodedExchange({
    exchange: testExchange({ status: 200 }),
    credentials: [{ direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt } }],
  });

runRuleTester(tokenSignatureUnverified, {
  valid: [
    { name: 'a certificate is configured: the signature is checked', decoded: () => bearerExchange(outerToken()), config: withCert },
    { name: 'a certificate is configured: a token handed out in a response is checked too', decoded: () => issuedExchange(), config: withCert },
    {
      name: 'an unsigned token without actor (token-unsigned reports it)',
      decoded: () => bearerExchange(makeJwt({ header: { typ: 'JWT', alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}` } })),
    },
    {
      name: 'an unsigned outer token with an unsigned actor: nothing signed to verify (s2s-actor-chain reports it)',
      decoded: () => bearerExchange(outerToken(makeJwt({ header: { alg: 'none' }, claims: { iss: 'x', nameid: `${SKYPE}@${TENANT}` } }))),
    },
    {
      name: 'credentials that are not JWTs',
      decoded: () =>
        decodedExchange({
          credentials: [
            { scheme: 'basic', schemeName: 'Basic', value: 'Y29udG9zb1xzdmM6UGFzc3dvcmQx', decoded: { type: 'basic', user: 'contoso\\svc' } },
            { value: 'cwt=AAEBHAEFAAAAAAAFFQAAAMZ', decoded: { type: 'opaque', hint: 'cwt' } },
          ],
        }),
    },
    { name: 'an empty Bearer probe', decoded: () => decodedExchange({ credentials: [{ value: '', decoded: { type: 'empty' } }] }) },
  ],
  invalid: [
    {
      name: 'a signed app-only token, no certificate given',
      decoded: () => bearerExchange(actorToken()),
      errors: [{ messageId: 'noCertificate', data: { token: 'token' }, severity: 'warning', message: noCertificateMessage('token') }],
    },
    {
      name: 'the outer/actor pattern: the actor token is the signed one',
      decoded: () => bearerExchange(outerToken()),
      errors: [{ messageId: 'noCertificate', data: { token: 'actor token' }, message: noCertificateMessage('actor token') }],
    },
    {
      name: 'a client assertion posted to the token service, no certificate given: named as a client assertion',
      decoded: () => assertionExchange(clientAssertion()),
      errors: [
        { messageId: 'noCertificate', data: { token: 'client assertion' }, severity: 'warning', message: noCertificateMessage('client assertion') },
      ],
    },
    {
      name: 'a token a token endpoint hands out, no certificate given: a note that names the token service\'s keys',
      decoded: () => issuedExchange(),
      errors: [
        {
          messageId: 'issuedNoCertificate',
          data: { token: ISSUED },
          severity: 'note',
          message: `signature of the ${ISSUED} was not verified: no certificate or metadata document of the token service was given`,
        },
      ],
    },
    {
      name: 'a configured severity outweighs the note of a token handed out in a response',
      decoded: () => issuedExchange(),
      config: { rules: { 'token-signature-unverified': 'warning' } },
      errors: [{ messageId: 'issuedNoCertificate', data: { token: ISSUED }, severity: 'warning' }],
    },
    {
      name: 'a masked actor token in a recording, even with a certificate configured',
      decoded: () => bearerExchange(outerToken(maskedActor())),
      config: withCert,
      errors: [
        {
          messageId: 'masked',
          data: { token: 'actor token' },
          severity: 'warning',
          message: 'signature of the actor token is not checkable: it was masked in the recording',
        },
      ],
    },
    {
      name: 'a masked token without a certificate: one finding, masked',
      decoded: () => bearerExchange(makeJwt({ claims: actorToken().claims, signature: MASKED_SIGNATURE })),
      errors: [{ messageId: 'masked', data: { token: 'token' } }],
    },
    {
      name: 'a masked token handed out in a recorded response: masked, at the rule severity',
      decoded: () => issuedExchange(makeJwt({ claims: actorToken().claims, signature: MASKED_SIGNATURE })),
      errors: [
        {
          messageId: 'masked',
          data: { token: ISSUED },
          severity: 'warning',
          message: `signature of the ${ISSUED} is not checkable: it was masked in the recording`,
        },
      ],
    },
    {
      name: 'the server\'s answer does not weigh an unverified signature',
      decoded: () => bearerExchange(actorToken(), testExchange({ status: 200 })),
      errors: [{ messageId: 'noCertificate', data: { token: 'token' }, severity: 'warning', message: noCertificateMessage('token') }],
    },
  ],
});
