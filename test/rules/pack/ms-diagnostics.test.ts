// Rule table for ms-diagnostics.
import type { MsDiagnostic } from '../../../src/model/index.js';
import { msDiagnostics } from '../../../src/rules/pack/ms-diagnostics.js';
import type { SightingInput } from '../factories.js';
import { ACS, bearerChallenge, decodedExchange, outerToken, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const host = 'mail.contoso.test';
const TOKEN_ABSENT = 'The token should be present in the Authorization header.';

/** An x-ms-diagnostics header as decode/ reads it: `<code>;reason="…";error_category="…"`. */
function diagnostic(code: string, reason?: string, errorCategory?: string): MsDiagnostic {
  const raw = [code, ...(reason !== undefined ? [`reason="${reason}"`] : []), ...(errorCategory !== undefined ? [`error_category="${errorCategory}"`] : [])].join(';');
  return { code, raw, ...(reason !== undefined && { reason }), ...(errorCategory !== undefined && { errorCategory }) };
}

const presented: SightingInput = { decoded: { type: 'jwt', jwt: outerToken() } };
const emptyProbe: SightingInput = { value: '', decoded: { type: 'empty' } };

/** Exchange's 401 to a request carrying `credentials`, with one x-ms-diagnostics header. */
const answered = (credentials: SightingInput[], code: string, reason?: string, errorCategory?: string) => () =>
  decodedExchange({
    exchange: testExchange({ status: 401 }),
    credentials,
    challenges: [bearerChallenge([`${ACS}@*`], { error: 'invalid_token' })],
    diagnostics: [diagnostic(code, reason, errorCategory)],
  });
/** The 401 to a request that presented a token. */
const rejected = (code: string, reason?: string, errorCategory?: string) => answered([presented], code, reason, errorCategory);

const expected = (messageId: string, code: string, reason: string, category: string) => ({ messageId, data: { host, code, reason, category } });

runRuleTester(msDiagnostics, {
  valid: [
    { name: 'no x-ms-diagnostics header', decoded: () => decodedExchange({ exchange: testExchange({ status: 401 }), credentials: [presented] }) },
    { name: 'discovery: a request without Authorization', decoded: answered([], '2000000', TOKEN_ABSENT, 'invalid_token') },
    { name: 'discovery: the empty Bearer probe', decoded: answered([emptyProbe], '2000000', TOKEN_ABSENT, 'invalid_token') },
    {
      name: 'a request with Basic credentials carried no token',
      decoded: answered(
        [{ scheme: 'basic', schemeName: 'Basic', value: 'Y29udG9zb1xzdmM6UGFzc3dvcmQx', decoded: { type: 'basic', user: 'contoso\\svc' } }],
        '2000000',
        TOKEN_ABSENT,
        'invalid_token',
      ),
    },
  ],
  invalid: [
    {
      name: '2000000 invalid_signature',
      decoded: rejected('2000000', 'The token has an invalid signature.', 'invalid_signature'),
      errors: [
        {
          ...expected('invalidSignature', '2000000', 'The token has an invalid signature.', 'invalid_signature'),
          severity: 'error',
          message: `${host} rejected the token signature: x-ms-diagnostics 2000000 invalid_signature "The token has an invalid signature."`,
        },
      ],
    },
    {
      name: '2000003 invalid_resource',
      decoded: rejected('2000003', "The audience claim value is invalid 'aud'.", 'invalid_resource'),
      errors: [expected('invalidResource', '2000003', "The audience claim value is invalid 'aud'.", 'invalid_resource')],
    },
    {
      name: '2000004 invalid_tenant',
      decoded: rejected('2000004', "The tenant for tenant guid 'contoso.com' does not exist.", 'invalid_tenant'),
      errors: [expected('invalidTenant', '2000004', "The tenant for tenant guid 'contoso.com' does not exist.", 'invalid_tenant')],
    },
    {
      name: '2000005 invalid_user',
      decoded: rejected('2000005', 'The user specified by the user-context in the token is ambiguous.', 'invalid_user'),
      errors: [expected('invalidUser', '2000005', 'The user specified by the user-context in the token is ambiguous.', 'invalid_user')],
    },
    {
      name: 'invalid_token with the server\'s reason',
      decoded: rejected('2000001', 'The token has expired.', 'invalid_token'),
      errors: [expected('invalidToken', '2000001', 'The token has expired.', 'invalid_token')],
    },
    {
      name: 'the category is read case-insensitively, and a category without reason keeps its explanation',
      decoded: rejected('2000003', undefined, 'Invalid_Resource'),
      errors: [expected('invalidResource', '2000003', '(no reason given)', 'Invalid_Resource')],
    },
    {
      name: 'the discovery text answering a token sent in a form field (RFC 6750 §2.2): the token was rejected',
      decoded: answered(
        [{ location: { type: 'form', name: 'access_token', message: 'request' }, schemeName: '', decoded: { type: 'jwt', jwt: outerToken() } }],
        '2000000',
        TOKEN_ABSENT,
        'invalid_token',
      ),
      errors: [expected('invalidToken', '2000000', TOKEN_ABSENT, 'invalid_token')],
    },
    {
      name: 'a token in the query string counts as carried',
      decoded: answered(
        [{ location: { type: 'query', name: 'access_token' }, schemeName: '', decoded: { type: 'jwt', jwt: outerToken() } }],
        '2000004',
        "The tenant for tenant guid 'contoso.com' does not exist.",
        'invalid_tenant',
      ),
      errors: [expected('invalidTenant', '2000004', "The tenant for tenant guid 'contoso.com' does not exist.", 'invalid_tenant')],
    },
    {
      name: 'a reason that contradicts its category is shown unexplained',
      decoded: rejected('2000000', TOKEN_ABSENT, 'invalid_signature'),
      errors: [
        {
          ...expected('unknown', '2000000', TOKEN_ABSENT, 'invalid_signature'),
          message: `${host} rejected the token with x-ms-diagnostics 2000000 (invalid_signature): "${TOKEN_ABSENT}"`,
        },
      ],
    },
    {
      name: 'an unknown code without reason or category',
      decoded: rejected('2000099'),
      errors: [expected('unknown', '2000099', '(no reason given)', 'no error_category')],
    },
    {
      name: 'a category oauth-inspect does not know',
      decoded: rejected('2000010', 'The application is not allowed to act as the user.', 'invalid_grant'),
      errors: [expected('unknown', '2000010', 'The application is not allowed to act as the user.', 'invalid_grant')],
    },
    {
      name: 'one finding per header',
      decoded: () =>
        decodedExchange({
          exchange: testExchange({ status: 401 }),
          credentials: [presented],
          diagnostics: [diagnostic('2000003', "The audience claim value is invalid 'aud'.", 'invalid_resource'), diagnostic('2000099')],
        }),
      errors: [
        expected('invalidResource', '2000003', "The audience claim value is invalid 'aud'.", 'invalid_resource'),
        expected('unknown', '2000099', '(no reason given)', 'no error_category'),
      ],
    },
  ],
});
