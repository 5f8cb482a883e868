// Rule table for token-not-yet-valid.
import { tokenNotYetValid } from '../../../src/rules/pack/token-not-yet-valid.js';
import {
  ACCEPTED,
  CAPTURE_SEC,
  REJECTED,
  acceptedExchange,
  acceptedSuffix,
  actorToken,
  assertionExchange,
  bearerExchange,
  clientAssertion,
  outerToken,
  rejectedExchange,
  rejectedSuffix,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const captured = '2023-11-14T22:13:20.000000Z';
const clock = 'the capture time';
/** A token from an issuer whose clock runs 15 minutes ahead. */
const fromTheFuture = () => actorToken({ nbf: String(CAPTURE_SEC + 900) });
const ahead = { token: 'token', nbf: '2023-11-14T22:28:20.000000Z', ahead: '15 minutes', clock, captured, skew: '5 minutes' };
const aheadMessage = `token is valid only from 2023-11-14T22:28:20.000000Z, 15 minutes after the capture time (${captured}; clock skew allowed: 5 minutes)`;

runRuleTester(tokenNotYetValid, {
  valid: [
    { name: 'nbf in the past', decoded: () => bearerExchange(outerToken()) },
    { name: 'nbf ahead within the skew', decoded: () => bearerExchange(actorToken({ nbf: String(CAPTURE_SEC + 300) })) },
    { name: 'no nbf claim', decoded: () => bearerExchange(actorToken({ nbf: undefined })) },
  ],
  invalid: [
    {
      name: 'nbf ahead beyond the skew',
      decoded: () => bearerExchange(fromTheFuture()),
      errors: [{ messageId: 'notYetValid', data: ahead, severity: 'error', message: aheadMessage }],
    },
    {
      name: 'the outer token not yet valid, with a larger configured skew',
      decoded: () => bearerExchange(outerToken(actorToken(), { nbf: String(CAPTURE_SEC + 700) })),
      options: { clockSkewSeconds: 600 },
      errors: [
        {
          messageId: 'notYetValid',
          data: { token: 'outer token', nbf: '2023-11-14T22:25:00.000000Z', ahead: '11 minutes 40 seconds', clock, captured, skew: '10 minutes' },
        },
      ],
    },
    {
      name: 'live traffic is judged against now',
      decoded: () => bearerExchange(fromTheFuture()),
      clockLabel: 'now',
      errors: [{ messageId: 'notYetValid', data: { ...ahead, clock: 'now' } }],
    },
    {
      name: 'a client assertion from a clock running ahead',
      decoded: () => assertionExchange(clientAssertion({ nbf: String(CAPTURE_SEC + 900), exp: String(CAPTURE_SEC + 1500) })),
      errors: [{ messageId: 'notYetValid', data: { ...ahead, token: 'client assertion' } }],
    },
    {
      name: 'not yet valid, answered 200: only the clocks differ, a note',
      decoded: () => acceptedExchange(fromTheFuture()),
      errors: [{ messageId: 'notYetValid', data: { ...ahead, answer: ACCEPTED }, severity: 'note', message: `${aheadMessage}${acceptedSuffix}` }],
    },
    {
      name: 'not yet valid, answered 401 invalid_token: an error, and a likely cause',
      decoded: () => rejectedExchange(fromTheFuture()),
      errors: [{ messageId: 'notYetValid', data: { ...ahead, answer: REJECTED }, severity: 'error', message: `${aheadMessage}${rejectedSuffix}` }],
    },
  ],
});
