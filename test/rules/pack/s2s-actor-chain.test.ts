// Rule table for s2s-actor-chain.
import { s2sActorChain } from '../../../src/rules/pack/s2s-actor-chain.js';
import { EXCHANGE, SKYPE, TENANT, actorToken, bearerExchange, decodedExchange, fieldTokenExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const unsignedActor = () => makeJwt({ header: { alg: 'none' }, claims: { iss: 'x', nameid: `${SKYPE}@${TENANT}` } });

runRuleTester(s2sActorChain, {
  valid: [
    { name: 'outer iss equals actor nameid', decoded: () => bearerExchange(outerToken()) },
    { name: 'a signed app-only token', decoded: () => bearerExchange(actorToken()) },
    { name: 'a generic alg-none token (token-unsigned reports it)', decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { sub: 'x' } })) },
    {
      name: 'an unsigned S2S token without actortoken (token-unsigned reports it as outerWithoutActor)',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}` } })),
    },
    {
      name: 'an actortoken that does not decode (token-malformed reports it)',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}`, actortoken: 'bad' } })),
    },
    {
      name: 'a token handed out in a response is not presented',
      decoded: () =>
        decodedExchange({
          credentials: [
            {
              direction: 'response',
              schemeName: '',
              location: { type: 'json', name: 'access_token', message: 'response' },
              decoded: { type: 'jwt', jwt: outerToken(actorToken(), { iss: `${EXCHANGE}@${TENANT}` }) },
            },
          ],
        }),
    },
  ],
  invalid: [
    {
      name: 'unsigned actor token',
      decoded: () => bearerExchange(outerToken(unsignedActor())),
      errors: [{ messageId: 'unsignedActor', data: { alg: 'none' } }],
    },
    {
      name: 'outer iss differs from actor nameid',
      decoded: () => bearerExchange(outerToken(actorToken(), { iss: `${EXCHANGE}@${TENANT}` })),
      errors: [
        { messageId: 'issNameidMismatch', data: { outerIss: `${EXCHANGE}@${TENANT}`, actorNameid: `${SKYPE}@${TENANT}` } },
      ],
    },
    {
      name: 'actor without nameid',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: undefined }))),
      errors: [{ messageId: 'issNameidMismatch', data: { outerIss: `${SKYPE}@${TENANT}`, actorNameid: '(none)' } }],
    },
    {
      name: 'outer iss and actor nameid differ in case only',
      decoded: () => bearerExchange(outerToken(actorToken(), { iss: `${SKYPE}@${TENANT.toUpperCase()}` })),
      errors: [{ messageId: 'issNameidCase', data: { outerIss: `${SKYPE}@${TENANT.toUpperCase()}`, actorNameid: `${SKYPE}@${TENANT}` } }],
    },
    {
      name: 'an outer token in a JSON body is judged like one in the Authorization header',
      decoded: () =>
        fieldTokenExchange(outerToken(actorToken(), { iss: `${EXCHANGE}@${TENANT}` }), { type: 'json', name: 'access_token', message: 'request' }),
      errors: [{ messageId: 'issNameidMismatch', data: { outerIss: `${EXCHANGE}@${TENANT}`, actorNameid: `${SKYPE}@${TENANT}` } }],
    },
  ],
});
