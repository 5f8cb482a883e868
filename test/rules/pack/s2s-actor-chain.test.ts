// Rule table for s2s-actor-chain.
import { s2sActorChain } from '../../../src/rules/pack/s2s-actor-chain.js';
import { SKYPE, TENANT, actorToken, bearerExchange, makeJwt, outerToken } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const unsignedActor = () => makeJwt({ header: { alg: 'none' }, claims: { iss: 'x', nameid: `${SKYPE}@${TENANT}` } });

runRuleTester(s2sActorChain, {
  valid: [
    { name: 'outer iss equals actor nameid', decoded: () => bearerExchange(outerToken()) },
    { name: 'a signed app-only token', decoded: () => bearerExchange(actorToken()) },
    { name: 'a generic alg-none token (token-unsigned reports it)', decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { sub: 'x' } })) },
    {
      name: 'an actortoken that does not decode (token-malformed reports it)',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}` }, actorError: 'bad' })),
    },
  ],
  invalid: [
    {
      name: 'unsigned S2S token without actortoken',
      decoded: () => bearerExchange(makeJwt({ header: { alg: 'none' }, claims: { iss: `${SKYPE}@${TENANT}` } })),
      errors: [{ messageId: 'missingActor', data: { iss: `${SKYPE}@${TENANT}` } }],
    },
    {
      name: 'unsigned actor token',
      decoded: () => bearerExchange(outerToken(unsignedActor())),
      errors: [{ messageId: 'unsignedActor', data: { alg: 'none' } }],
    },
    {
      name: 'outer iss differs from actor nameid',
      decoded: () => bearerExchange(outerToken(actorToken(), { iss: `00000002-0000-0ff1-ce00-000000000000@${TENANT}` })),
      errors: [
        { messageId: 'issNameidMismatch', data: { outerIss: `00000002-0000-0ff1-ce00-000000000000@${TENANT}`, actorNameid: `${SKYPE}@${TENANT}` } },
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
  ],
});
