// Rule table for cleartext-credential.
import { cleartextCredential } from '../../../src/rules/pack/cleartext-credential.js';
import {
  ACS_HOST,
  TENANT,
  actorToken,
  assertionExchange,
  bearerExchange,
  clientAssertion,
  decodedExchange,
  fieldTokenExchange,
  testExchange,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const plain = (host?: string) => testExchange({ scheme: 'http', ...(host !== undefined && { host }) });
const tokenEndpoint = () => testExchange({ scheme: 'http', host: ACS_HOST, uri: `/${TENANT}/tokens/OAuth/2` });
const cleartext = (kind: string, where: string, direction = 'request', host = 'mail.contoso.test') => ({
  messageId: 'cleartext',
  data: { kind, direction, host, where },
});

runRuleTester(cleartextCredential, {
  valid: [
    { name: 'a token over https', decoded: () => bearerExchange(actorToken()) },
    { name: 'http decrypted from TLS (tls details present)', decoded: () => bearerExchange(actorToken(), testExchange({ scheme: 'http', tls: { version: 'TLS 1.2' } })) },
    {
      name: 'an empty Bearer probe over http',
      decoded: () => decodedExchange({ exchange: plain(), credentials: [{ schemeName: 'Bearer', value: '', decoded: { type: 'empty' } }] }),
    },
    { name: 'a client assertion posted over https', decoded: () => assertionExchange(clientAssertion()) },
  ],
  invalid: [
    {
      name: 'a Bearer token over plain http',
      decoded: () => bearerExchange(actorToken(), plain()),
      errors: [cleartext('Bearer token', 'Authorization header')],
    },
    {
      name: 'the whole message names what and where',
      decoded: () => bearerExchange(actorToken(), plain()),
      errors: [
        {
          ...cleartext('Bearer token', 'Authorization header'),
          severity: 'warning',
          message: 'Bearer token in the request over plain HTTP to mail.contoso.test (Authorization header)',
        },
      ],
    },
    {
      name: 'a token handed out in a plain-http response',
      decoded: () =>
        decodedExchange({
          exchange: plain(),
          credentials: [
            { direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: actorToken() } },
          ],
        }),
      errors: [cleartext('Bearer token', 'JSON field access_token', 'response')],
    },
    {
      name: 'a client assertion posted to the token endpoint over plain http',
      decoded: () => assertionExchange(clientAssertion(), { exchange: tokenEndpoint() }),
      errors: [cleartext('client assertion', 'form field client_assertion', 'request', ACS_HOST)],
    },
    {
      name: 'the jwt-bearer grant\'s assertion in a JSON body over plain http',
      decoded: () => assertionExchange(clientAssertion(), { field: 'assertion', type: 'json', exchange: tokenEndpoint() }),
      errors: [cleartext('client assertion', 'JSON field assertion', 'request', ACS_HOST)],
    },
    {
      name: 'a token in the query string over plain http',
      decoded: () => fieldTokenExchange(actorToken(), { type: 'query', name: 'access_token' }, plain()),
      errors: [cleartext('Bearer token', 'query parameter access_token')],
    },
    {
      name: 'a token in a cookie over plain http',
      decoded: () => fieldTokenExchange(actorToken(), { type: 'cookie', name: 'X-OWA-CANARY' }, plain()),
      errors: [cleartext('Bearer token', 'cookie X-OWA-CANARY')],
    },
    {
      name: 'Basic credentials over plain http',
      decoded: () =>
        decodedExchange({
          exchange: plain(),
          credentials: [{ scheme: 'basic', schemeName: 'Basic', value: 'Y29udG9zb1xzdmM6UGFzc3dvcmQx', decoded: { type: 'basic', user: 'contoso\\svc' } }],
        }),
      errors: [cleartext('Basic credentials', 'Authorization header')],
    },
    {
      name: 'an NTLM AUTHENTICATE message over plain http',
      decoded: () =>
        decodedExchange({
          exchange: plain(),
          credentials: [
            {
              scheme: 'ntlm',
              schemeName: 'NTLM',
              value: 'TlRMTVNTUAADAAAAGAAYAEAAAAAYABgAWAAAAA4ADgBwAAAAEAAQAH4AAAAQABAAjgAAAA==',
              decoded: { type: 'ntlm', ntlm: { messageType: 3, domain: 'CONTOSO', user: 'svc-lync' } },
            },
          ],
        }),
      errors: [cleartext('NTLM message', 'Authorization header')],
    },
    {
      name: 'a client secret posted to the token endpoint over plain http',
      decoded: () =>
        decodedExchange({
          exchange: tokenEndpoint(),
          credentials: [
            {
              scheme: 'other',
              schemeName: '',
              value: 'Zk9xN2R6T1ZwUTRqSGx6cWRZbUxrRTNh',
              location: { type: 'form', name: 'client_secret', message: 'request' },
              decoded: { type: 'opaque', hint: 'client-secret' },
            },
          ],
        }),
      errors: [cleartext('client secret', 'form field client_secret', 'request', ACS_HOST)],
    },
  ],
});
