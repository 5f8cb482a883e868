// Rule table for token-expired.
import { tokenExpired } from '../../../src/rules/pack/token-expired.js';
import {
  ACCEPTED,
  ACS_HOST,
  CAPTURE_SEC,
  REJECTED,
  acceptedExchange,
  acceptedSuffix,
  actorToken,
  assertionExchange,
  bearerExchange,
  clientAssertion,
  decodedExchange,
  fieldTokenExchange,
  outerToken,
  rejectedExchange,
  rejectedSuffix,
  testExchange,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const captured = '2023-11-14T22:13:20.000000Z';
const clock = 'the capture time';
/** An app-only token that expired an hour before the capture. */
const expiredHourAgo = () => actorToken({ exp: String(CAPTURE_SEC - 3600) });
const hourAgo = { token: 'token', exp: '2023-11-14T21:13:20.000000Z', ago: '1 hour', clock, captured, skew: '5 minutes' };
const hourAgoMessage = `token expired at 2023-11-14T21:13:20.000000Z, 1 hour before the capture time (${captured}; clock skew allowed: 5 minutes)`;

runRuleTester(tokenExpired, {
  valid: [
    { name: 'valid for another hour', decoded: () => bearerExchange(outerToken()) },
    { name: 'expired within the default skew (300 s)', decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC - 300) })) },
    { name: 'no exp claim', decoded: () => bearerExchange(actorToken({ exp: undefined })) },
    {
      name: 'captured before expiry',
      decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC) }), testExchange({ timeSec: CAPTURE_SEC - 10 })),
    },
    { name: 'a fresh client assertion', decoded: () => assertionExchange(clientAssertion()) },
  ],
  invalid: [
    {
      name: 'expired beyond the skew',
      decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC - 301) })),
      errors: [
        {
          messageId: 'expired',
          data: { token: 'token', exp: '2023-11-14T22:08:19.000000Z', ago: '5 minutes 1 second', clock, captured, skew: '5 minutes' },
          severity: 'error',
          message: `token expired at 2023-11-14T22:08:19.000000Z, 5 minutes 1 second before the capture time (${captured}; clock skew allowed: 5 minutes)`,
        },
      ],
    },
    {
      name: 'the actor token expired (numeric exp)',
      decoded: () => bearerExchange(outerToken(actorToken({ exp: CAPTURE_SEC - 3600 }))),
      errors: [{ messageId: 'expired', data: { ...hourAgo, token: 'actor token' } }],
    },
    {
      name: 'outer and actor token both expired: one finding each',
      decoded: () => bearerExchange(outerToken(actorToken({ exp: String(CAPTURE_SEC - 90_000) }), { exp: String(CAPTURE_SEC - 3600) })),
      errors: [
        { messageId: 'expired', data: { ...hourAgo, token: 'outer token' } },
        { messageId: 'expired', data: { ...hourAgo, token: 'actor token', exp: '2023-11-13T21:13:20.000000Z', ago: '1 day 1 hour' } },
      ],
    },
    {
      name: 'a configured skew of 0',
      decoded: () => bearerExchange(actorToken({ exp: String(CAPTURE_SEC - 1) })),
      options: { clockSkewSeconds: 0 },
      errors: [{ messageId: 'expired', data: { token: 'token', exp: '2023-11-14T22:13:19.000000Z', ago: '1 second', clock, captured, skew: '0 seconds' } }],
    },
    {
      name: 'live traffic is judged against now',
      decoded: () => bearerExchange(expiredHourAgo()),
      clockLabel: 'now',
      errors: [
        {
          messageId: 'expired',
          data: { ...hourAgo, clock: 'now' },
          message: `token expired at 2023-11-14T21:13:20.000000Z, 1 hour before now (${captured}; clock skew allowed: 5 minutes)`,
        },
      ],
    },
    {
      name: 'an expired client assertion',
      decoded: () => assertionExchange(clientAssertion({ exp: String(CAPTURE_SEC - 3600) })),
      errors: [{ messageId: 'expired', data: { ...hourAgo, token: 'client assertion' } }],
    },
    {
      name: 'an expired token in a form field (RFC 6750 §2.2)',
      decoded: () => fieldTokenExchange(expiredHourAgo(), { type: 'form', name: 'access_token', message: 'request' }),
      errors: [{ messageId: 'expired', data: hourAgo }],
    },
    {
      name: 'a token endpoint handing out an expired token (its clock runs behind): no server answer weighs it',
      decoded: () =>
        decodedExchange({
          exchange: testExchange({ host: ACS_HOST, status: 200 }),
          credentials: [
            {
              direction: 'response',
              schemeName: '',
              location: { type: 'json', name: 'access_token', message: 'response' },
              decoded: { type: 'jwt', jwt: expiredHourAgo() },
            },
          ],
        }),
      errors: [{ messageId: 'expired', data: { ...hourAgo, token: 'token handed out in the response' }, severity: 'error' }],
    },
    {
      name: 'expired, answered 200: only the clocks differ, a note',
      decoded: () => acceptedExchange(expiredHourAgo()),
      errors: [{ messageId: 'expired', data: { ...hourAgo, answer: ACCEPTED }, severity: 'note', message: `${hourAgoMessage}${acceptedSuffix}` }],
    },
    {
      name: 'expired, answered 401 invalid_token: an error, and a likely cause',
      decoded: () => rejectedExchange(expiredHourAgo()),
      errors: [{ messageId: 'expired', data: { ...hourAgo, answer: REJECTED }, severity: 'error', message: `${hourAgoMessage}${rejectedSuffix}` }],
    },
  ],
});
