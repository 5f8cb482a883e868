// Which named fields are credentials, how they decode, and which fields travel beside them.
import { describe, expect, it } from 'vitest';
import { credentialOfField, relatedFieldsOf } from '../../src/decode/field-credentials.js';
import { unsignedJwt } from './builders.js';

const jwt = unsignedJwt({ iss: 'x' });

describe('credentialOfField', () => {
  it.each([
    ['form', 'assertion', jwt, { scheme: 'bearer', decoded: { type: 'jwt' } }],
    ['form', 'client_assertion', jwt, { scheme: 'bearer', decoded: { type: 'jwt' } }],
    ['form', 'refresh_token', 'OAQABAAAAAAD--DLA3VO7QrddgJg7WevrAgAAAAAA', { scheme: 'bearer', decoded: { type: 'opaque' } }],
    ['form', 'client_secret', 'abc~secret', { scheme: 'other', decoded: { type: 'opaque', hint: 'client-secret' } }],
    ['form', 'Password', 'hunter2', { scheme: 'other', decoded: { type: 'opaque', hint: 'password' } }],
    ['query', 'access_token', jwt, { scheme: 'bearer', decoded: { type: 'jwt' } }],
    ['query', 'code', 'OAAABAAAAiL9Kn2Z27UubvWFPbm0gLWQJVzCTE9UkP3pSx1aXxUjq3n8b2JRLk4OxVXr', { scheme: 'bearer', decoded: { type: 'opaque' } }],
    ['query', 'sig', 'Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D', { scheme: 'other', decoded: { type: 'opaque', hint: 'sas-signature' } }],
    ['query', 'state', jwt, { scheme: 'bearer', decoded: { type: 'jwt' } }],
    ['json', 'access_token', jwt, { scheme: 'bearer', decoded: { type: 'jwt' } }],
    ['json', 'id_token', 'eyJ0eXAi.broken', { scheme: 'bearer', decoded: { type: 'jwt-malformed' } }],
  ] as const)('%s %s', (context, name, value, expected) => {
    expect(credentialOfField(context, name, value)).toMatchObject(expected);
  });

  it.each([
    ['query', 'state', 'xyz'],
    ['form', 'grant_type', 'client_credentials'],
    ['form', 'access_token', ''],
    ['json', 'code', 'InvalidAuthenticationToken'],
    ['json', 'token', 'abc'],
  ] as const)('%s %s=%s is no credential', (context, name, value) => {
    expect(credentialOfField(context, name, value)).toBeUndefined();
  });
});

describe('relatedFieldsOf', () => {
  it('takes the token response fields as strings, Microsoft strings and numbers alike', () => {
    const fields = new Map<string, unknown>([
      ['token_type', 'Bearer'],
      ['expires_in', '86399'],
      ['not_before', '1660544398'],
      ['expires_on', 1660631098],
      ['ext_expires_in', 86399],
      ['resource', '00000003-0000-0ff1-ce00-000000000000/contoso.sharepoint.com@b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8'],
      ['access_token', jwt],
      ['scope', { nested: true }],
    ]);
    expect(relatedFieldsOf(fields)).toEqual({
      token_type: 'Bearer',
      expires_in: '86399',
      not_before: '1660544398',
      expires_on: '1660631098',
      ext_expires_in: '86399',
      resource: '00000003-0000-0ff1-ce00-000000000000/contoso.sharepoint.com@b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8',
    });
  });

  it('is undefined when none are present', () => {
    expect(relatedFieldsOf(new Map([['access_token', jwt]]))).toBeUndefined();
  });
});
