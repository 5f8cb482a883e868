// Rule table for token-expired.
import { tokenExpired } from '../../../src/rules/pack/token-expired.js';
import { CAPTURE_SEC, actorToken, bearerExchange, outerToken, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const captured = '2023-11-14T22:13:20.000000Z';

runRuleTester(tokenExpired, {
  valid: [
    { name: 'valid for another hour', decoded: () => bearerExchange(outerToken()) },
    { name: 'expired within the default skew (300 s)', decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC - 300) })) },
    { name: 'no exp claim', decoded: () => bearerExchange(actorToken({ exp: undefined })) },
    {
      name: 'captured before expiry',
      decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC) }), testExchange({ timeSec: CAPTURE_SEC - 10 })),
    },
  ],
  invalid: [
    {
      name: 'expired beyond the skew',
      decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC - 301) })),
      errors: [{ messageId: 'expired', data: { role: 'token', exp: '2023-11-14T22:08:19.000000Z', ago: 301, captured, skew: 300 } }],
    },
    {
      name: 'the actor token expired (numeric exp)',
      decoded: () => bearerExchange(outerToken(actorToken({ exp: CAPTURE_SEC - 3600 }))),
      errors: [{ messageId: 'expired', data: { role: 'actor', exp: '2023-11-14T21:13:20.000000Z', ago: 3600, captured, skew: 300 } }],
    },
    {
      name: 'a configured skew of 0',
      decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC - 1) })),
      config: { clockSkewSeconds: 0 },
      errors: [{ messageId: 'expired', data: { role: 'token', exp: '2023-11-14T22:13:19.000000Z', ago: 1, captured, skew: 0 } }],
    },
  ],
});
