// Rule table for s2s-issuer-format.
import { s2sIssuerFormat } from '../../../src/rules/pack/s2s-issuer-format.js';
import {
  ACCEPTED,
  ACS,
  EXCHANGE,
  REJECTED,
  SKYPE,
  TENANT,
  acceptedExchange,
  acceptedSuffix,
  actorToken,
  assertionExchange,
  bearerExchange,
  clientAssertion,
  decodedExchange,
  fieldTokenExchange,
  makeJwt,
  outerToken,
  rejectedExchange,
  rejectedSuffix,
} from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const expectSkype = { expectedIssuerPrincipals: [SKYPE] };
/** No caller expected: the option emptied (its default expects Skype for Business). */
const anyCaller = { expectedIssuerPrincipals: [] };
const entra = () =>
  makeJwt({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: 'https://mail.contoso.test', appid: 'x' } });
/** An outer token whose iss (and actor nameid) is an FQDN, not a principal GUID (captures/issuer-bad-format). */
const fqdnIssuer = `sfb.contoso.test@${TENANT}`;
const fqdnOuter = () => outerToken(actorToken({ nameid: fqdnIssuer }), { iss: fqdnIssuer });
const malformedOuter = { token: 'outer token', iss: fqdnIssuer };
const malformedMessage = `outer token iss "${fqdnIssuer}" is not <principal GUID>@<realm>`;
/** A SharePoint user-context token sent to an Exchange that expects Skype for Business. */
const sharePoint = '00000003-0000-0ff1-ce00-000000000000';
const sharePointOuter = () => outerToken(actorToken({ nameid: `${sharePoint}@${TENANT}` }), { iss: `${sharePoint}@${TENANT}` });
const unexpected = { messageId: 'unexpectedCaller', data: { caller: sharePoint, expected: SKYPE } };

runRuleTester(s2sIssuerFormat, {
  valid: [
    { name: 'outer/actor pattern from the expected caller', decoded: () => bearerExchange(outerToken()), options: expectSkype },
    {
      name: 'the <principal>/<host>@<realm> variant',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${SKYPE}/lync.contoso.test@${TENANT}` }), { iss: `${SKYPE}/lync.contoso.test@${TENANT}` })),
    },
    {
      name: 'the <principal>/@<realm> variant (the "/ before the @" of SfB traffic)',
      decoded: () => bearerExchange(outerToken(actorToken({ nameid: `${SKYPE}/@${TENANT}` }), { iss: `${SKYPE}/@${TENANT}` })),
      options: expectSkype,
    },
    { name: 'a DNS-name realm (on-premises SfB)', decoded: () => bearerExchange(makeJwt({ claims: { iss: `${SKYPE}@contoso.com` } })) },
    {
      name: 'ACS app-only token: the caller is nameid, not the ACS issuer',
      decoded: () => bearerExchange(actorToken()),
      options: expectSkype,
    },
    { name: 'an Entra ID token (not S2S) by default', decoded: () => bearerExchange(entra()) },
    { name: 'no expectation configured: any caller', decoded: () => bearerExchange(sharePointOuter()), options: anyCaller },
    {
      name: 'a token handed out in a response is not a presented credential',
      decoded: () => decodedExchange({ credentials: [{ direction: 'response', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: makeJwt({ claims: { iss: 'nonsense' } }) } }] }),
    },
    {
      name: 'a client assertion\'s iss is the token service\'s client, not a caller of this resource',
      decoded: () => assertionExchange(clientAssertion({ iss: `${EXCHANGE}@${TENANT}`, sub: `${EXCHANGE}@${TENANT}` })),
      options: expectSkype,
    },
  ],
  invalid: [
    {
      name: 'no iss',
      decoded: () => bearerExchange(makeJwt({ claims: { aud: 'x' } })),
      errors: [{ messageId: 'missing', data: { token: 'token' } }],
    },
    {
      name: 'iss is not a principal name',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: 'lync.contoso.test' } })),
      errors: [{ messageId: 'malformed', data: { token: 'token', iss: 'lync.contoso.test' } }],
    },
    {
      name: 'principal is not a GUID (an FQDN in the outer iss and the actor nameid)',
      options: anyCaller,
      decoded: () => bearerExchange(fqdnOuter()),
      errors: [{ messageId: 'malformed', data: malformedOuter, severity: 'error', message: malformedMessage }],
    },
    {
      name: 'realm neither GUID nor DNS name',
      decoded: () => bearerExchange(actorToken({ iss: `${ACS}@contoso_com` })),
      errors: [{ messageId: 'badRealm', data: { token: 'token', iss: `${ACS}@contoso_com`, realm: 'contoso_com' } }],
    },
    {
      name: 'an empty realm',
      decoded: () => bearerExchange(actorToken({ iss: `${ACS}@` })),
      errors: [{ messageId: 'badRealm', data: { token: 'token', iss: `${ACS}@`, realm: '(empty)' } }],
    },
    {
      name: 'the actor token\'s iss is judged too',
      decoded: () => bearerExchange(outerToken(actorToken({ iss: `${ACS}@contoso_com` }))),
      errors: [{ messageId: 'badRealm', data: { token: 'actor token', iss: `${ACS}@contoso_com`, realm: 'contoso_com' } }],
    },
    {
      name: 'a client assertion whose iss is not a principal name',
      decoded: () => assertionExchange(clientAssertion({ iss: 'sfbpool.contoso.test' })),
      errors: [{ messageId: 'malformed', data: { token: 'client assertion', iss: 'sfbpool.contoso.test' } }],
    },
    {
      name: 'a token in a cookie is judged like one in the Authorization header',
      decoded: () => fieldTokenExchange(makeJwt({ claims: { iss: 'lync.contoso.test' } }), { type: 'cookie', name: 'access_token' }),
      errors: [{ messageId: 'malformed', data: { token: 'token', iss: 'lync.contoso.test' } }],
    },
    {
      name: 'outer/actor pattern from an unexpected caller (SharePoint, not Skype)',
      decoded: () => bearerExchange(sharePointOuter()),
      options: expectSkype,
      errors: [unexpected],
    },
    {
      name: 'ACS app-only token for an unexpected caller',
      decoded: () => bearerExchange(actorToken({ nameid: `${EXCHANGE}@${TENANT}` })),
      options: expectSkype,
      errors: [{ messageId: 'unexpectedCaller', data: { caller: EXCHANGE, expected: SKYPE } }],
    },
    {
      name: 'a self-issued token from an unexpected issuer',
      decoded: () => bearerExchange(makeJwt({ claims: { iss: `${EXCHANGE}@${TENANT}` } })),
      options: expectSkype,
      errors: [{ messageId: 'unexpectedCaller', data: { caller: EXCHANGE, expected: SKYPE } }],
    },
    {
      name: 'an Entra ID token with s2sOnly',
      decoded: () => bearerExchange(entra()),
      options: { s2sOnly: true },
      errors: [{ messageId: 'entraIssuer', data: { iss: `https://sts.windows.net/${TENANT}/` } }],
    },
    {
      name: 'a malformed iss answered 200: a note, the server took it',
      options: anyCaller,
      decoded: () => acceptedExchange(fqdnOuter()),
      errors: [{ messageId: 'malformed', data: { ...malformedOuter, answer: ACCEPTED }, severity: 'note', message: `${malformedMessage}${acceptedSuffix}` }],
    },
    {
      name: 'a malformed iss answered 401 invalid_token: an error, and a likely cause',
      options: anyCaller,
      decoded: () => rejectedExchange(fqdnOuter()),
      errors: [{ messageId: 'malformed', data: { ...malformedOuter, answer: REJECTED }, severity: 'error', message: `${malformedMessage}${rejectedSuffix}` }],
    },
    {
      name: 'an unexpected caller is not weighed by the answer: still an error when answered 200',
      decoded: () => acceptedExchange(sharePointOuter()),
      options: expectSkype,
      errors: [{ ...unexpected, severity: 'error', message: `calling principal ${sharePoint} is not an expected issuer principal (${SKYPE})` }],
    },
    {
      name: 'an unexpected caller answered 401 invalid_token: no answer in its data',
      decoded: () => rejectedExchange(sharePointOuter()),
      options: expectSkype,
      errors: [{ ...unexpected, severity: 'error' }],
    },
  ],
});
