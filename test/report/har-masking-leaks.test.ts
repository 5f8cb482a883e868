// A masked HAR entry holds no marker of a crafted secret, wherever it is placed and however the body is encoded; masking is linear.
import { expectLinear } from '../helpers/linear-time.js';
import { describe, expect, it } from 'vitest';
import { harEntryOf } from '../../src/report/har-writer.js';
import { maskExchange } from '../../src/pipeline/mask-exchange.js';
import { maskJwtSignatures } from '../../src/pipeline/secret-masking.js';
import { makeExchange, type ExchangeInput } from '../factories.js';

const MARKER = 'Zq7SecretMarker9Wv';
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT whose signature carries the marker. */
const JWT = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ aud: 'api', sub: 'alice' })}.${Buffer.from(`sig-${MARKER}-sig`).toString('base64url')}`;
const SIGNATURE = JWT.split('.')[2]!;

/** The masked entry as recorded: JSON text, and base64 bodies decoded so that the check sees their bytes. */
function recorded(input: ExchangeInput): string {
  const entry = harEntryOf(maskExchange(makeExchange({ host: 'api.test', status: 200, ...input })), true) as {
    request: { postData?: { text: string; encoding?: string } };
    response: { content: { text?: string; encoding?: string } };
  };
  const bodies = [entry.request.postData, entry.response.content].filter((body) => body?.encoding === 'base64').map((body) => Buffer.from(body!.text!, 'base64').toString('latin1'));
  return [JSON.stringify(entry), ...bodies].join('\n');
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(MARKER);
  expect(text).not.toContain(SIGNATURE);
  expect(text).not.toContain(SIGNATURE.slice(6));
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('masked HAR entries hold no crafted secret', () => {
  const cases: Array<[string, ExchangeInput]> = [
    ['a JSON body with one Latin-1 byte: JWT and refresh token', { method: 'POST', requestBody: latin1(`{"note":"caf\xe9","access_token":"${JWT}","refresh_token":"${MARKER}"}`) }],
    ['a form body with a byte that is not UTF-8', { method: 'POST', requestBody: latin1(`grant_type=client_credentials&client_secret=${MARKER}\xff`) }],
    ['a UTF-8 response body cut in the middle of a character', { responseBody: Buffer.concat([Buffer.from(`{"id_token":"${JWT}","password":"${MARKER}","x":"`), Buffer.from('é').subarray(0, 1)]) }],
    ['Authorization: Bearer with = and ;', { requestHeaders: { Authorization: `Bearer a=b;${MARKER}==` } }],
    ['Authorization: Bearer JWT after other text', { requestHeaders: { Authorization: `Bearer x;${JWT}` } }],
    ['Authorization: SharedKey', { requestHeaders: { Authorization: `SharedKey acct:${MARKER}=` } }],
    ['Authorization: AWS4-HMAC-SHA256', { requestHeaders: { Authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${MARKER}` } }],
    ['Proxy-Authorization: an unknown scheme', { requestHeaders: { 'Proxy-Authorization': `Custom k=v, secret=${MARKER}` } }],
    ['X-Api-Key', { requestHeaders: { 'X-Api-Key': MARKER } }],
    ['X-Token', { requestHeaders: { 'X-Token': MARKER } }],
    ['Api-Key', { requestHeaders: { 'Api-Key': MARKER } }],
    ['X-Auth-Token', { requestHeaders: { 'X-Auth-Token': MARKER } }],
    ['Ocp-Apim-Subscription-Key', { requestHeaders: { 'Ocp-Apim-Subscription-Key': MARKER } }],
    ['X-Amz-Security-Token', { requestHeaders: { 'X-Amz-Security-Token': MARKER } }],
    ['a query parameter in another case', { uri: `/cb?Access_Token=${MARKER}` }],
    ['a percent-encoded query parameter name', { uri: `/cb?access%5Ftoken=${MARKER}` }],
    ['a SAS signature', { uri: `/blob?sv=2022-11-02&sig=${MARKER}%3D` }],
    ['a URL fragment', { uri: `/cb#access_token=${MARKER}&token_type=bearer` }],
    ['a form field in another case', { method: 'POST', requestBody: `Client_Secret=${MARKER}` }],
    ['a percent-encoded form field name', { method: 'POST', requestBody: `client%5Fsecret=${MARKER}` }],
    ['a JSON field in another case', { method: 'POST', requestBody: `{"Refresh_Token": "${MARKER}"}` }],
    ['a JSON api key', { method: 'POST', requestBody: `{"apiKey":"${MARKER}"}` }],
    ['a multipart password field', { method: 'POST', requestBody: `--b\r\nContent-Disposition: form-data; name="user"\r\n\r\nalice\r\n--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n${MARKER}\r\n--b--\r\n` }],
    ['a JWT padded with =', { uri: `/cb?jwt=${JWT}==` }],
  ];
  for (const [name, input] of cases) {
    it(name, () => expectNoSecret(recorded(input)));
  }

  it('a JWT in a JSON body is still recognisable (header and payload kept, signature masked)', () => {
    const text = recorded({ method: 'POST', requestBody: `{"access_token":"${JWT}"}` });
    expect(text).toContain(JWT.split('.').slice(0, 2).join('.'));
  });

  it('a body that is UTF-8 stays text, one that is not is base64 of the masked bytes', () => {
    const entry = harEntryOf(maskExchange(makeExchange({ method: 'POST', requestBody: latin1(`caf\xe9&password=${MARKER}`) })), true) as { request: { postData: { text: string; encoding?: string } } };
    expect(entry.request.postData.encoding).toBe('base64');
    expect(Buffer.from(entry.request.postData.text, 'base64').toString('latin1')).toBe(`caf\xe9&password=Zq7Sec${'x'.repeat(MARKER.length - 6)}`);
  });
});

describe('masking time is linear', () => {
  it('a run of eyJ… (the ReDoS body) masks in linear time, unchanged', () => {
    expect(maskJwtSignatures('eyJ'.repeat(200_000))).toBe('eyJ'.repeat(200_000));
    expectLinear((n) => maskJwtSignatures('eyJ'.repeat(n)), 100_000);
  });

  it('eyJ….eyJ… with dots, and an entry built from it, mask in linear time', () => {
    expectLinear((n) => {
      const body = 'eyJ.'.repeat(n) + 'eyJa-'.repeat(n);
      harEntryOf(maskExchange(makeExchange({ method: 'POST', requestBody: `{"access_token":"${body}"}`, status: 200, responseBody: body })), true);
    }, 32_000);
  });
});
