// Bearer values: the empty discovery probe, JWTs, and opaque tokens that are never "malformed".
import { describe, expect, it } from 'vitest';
import { decodeBearerToken } from '../../src/decode/bearer.js';
import { unsignedJwt } from './builders.js';

describe('decodeBearerToken', () => {
  it.each([
    ['empty (discovery probe)', '', { type: 'empty' }],
    ['SfB WebTicket token', 'cwt=AAEBHAEFAAAAAAAFFQAAAGzt1n9iU8Hp1d0AAAAAAAAAAAAAAA', { type: 'opaque', hint: 'sfb-cwt' }],
    ['random opaque token', '2YotnFZFEjr1zCsicMWpAA', { type: 'opaque' }],
    ['compact JWE', 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d', { type: 'opaque', hint: 'jwe' }],
    ['eyJ prefix without dots', 'eyJhbGciOiJub25lIn0', { type: 'opaque' }],
  ])('%s', (_name, value, expected) => {
    expect(decodeBearerToken(value)).toEqual(expected);
  });

  it('decodes a JWT', () => {
    expect(decodeBearerToken(unsignedJwt({ iss: 'x' }))).toMatchObject({ type: 'jwt', jwt: { claims: { iss: 'x' } } });
  });

  it('reports a value that starts like a JWT but does not decode as malformed', () => {
    expect(decodeBearerToken('eyJhbGciOi.broken')).toEqual({
      type: 'jwt-malformed',
      error:
        'header segment is not JSON (unexpected end of input at position 7 of the decoded text); ' +
        'payload segment is not UTF-8 text; signature segment missing (2 segments, a JWS has 3)',
      partial: { failed: 'header', signature: 'missing' },
    });
  });
});
