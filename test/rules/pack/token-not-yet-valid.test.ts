// Rule table for token-not-yet-valid.
import { tokenNotYetValid } from '../../../src/rules/pack/token-not-yet-valid.js';
import { CAPTURE_SEC, actorToken, bearerExchange, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const captured = '2023-11-14T22:13:20.000000Z';

runRuleTester(tokenNotYetValid, {
  valid: [
    { name: 'nbf in the past', decoded: () => bearerExchange(outerToken()) },
    { name: 'nbf ahead within the skew', decoded: () => bearerExchange(actorToken({ nbf: String(CAPTURE_SEC + 300) })) },
    { name: 'no nbf claim', decoded: () => bearerExchange(actorToken({ nbf: undefined })) },
  ],
  invalid: [
    {
      name: 'nbf ahead beyond the skew',
      decoded: () => bearerExchange(actorToken({ nbf: String(CAPTURE_SEC + 900) })),
      errors: [{ messageId: 'notYetValid', data: { role: 'token', nbf: '2023-11-14T22:28:20.000000Z', ahead: 900, captured, skew: 300 } }],
    },
    {
      name: 'the outer token not yet valid, with a larger configured skew',
      decoded: () => bearerExchange(outerToken(actorToken(), { nbf: String(CAPTURE_SEC + 700) })),
      config: { clockSkewSeconds: 600 },
      errors: [{ messageId: 'notYetValid', data: { role: 'outer', nbf: '2023-11-14T22:25:00.000000Z', ahead: 700, captured, skew: 600 } }],
    },
  ],
});
