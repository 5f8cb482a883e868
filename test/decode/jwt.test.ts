// JWT decoding: signed and unsigned tokens, string NumericDates, thumbprints, nested actor tokens,
// and a precise diagnosis (plus what did decode) for tokens that do not decode.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCompactJwt, isJwtShaped, looksLikeJwt, thumbprintOf } from '../../src/decode/jwt.js';
import type { DecodedCredential, DecodedJwt } from '../../src/model/index.js';
import { base64url, unsignedJwt } from './builders.js';

function jwtOf(decoded: DecodedCredential): DecodedJwt {
  if (decoded.type !== 'jwt') throw new Error(`expected a jwt, got ${JSON.stringify(decoded)}`);
  return decoded.jwt;
}

let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
beforeAll(async () => {
  ({ privateKey } = await generateKeyPair('RS256'));
});

function signActor(claims: Record<string, unknown>, x5t: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t, kid: x5t }).sign(privateKey);
}

/** MS-XOAUTH example actor token (reference doc §7.2), claims as strings as Microsoft sends them. */
const XOAUTH_ACTOR_CLAIMS = {
  aud: '00000003-0000-0ff1-ce00-000000000000/contoso.com@b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8',
  iss: '00000001-0000-0000-c000-000000000000@b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8',
  nbf: '1323380070',
  exp: '1323383670',
  nameid: '00000002-0000-0ff1-ce00-000000000000@b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8',
};

describe('decodeCompactJwt on S2S tokens', () => {
  it('decodes a signed actor token: header, claims, string NumericDates, x5t thumbprint', async () => {
    const compact = await signActor(XOAUTH_ACTOR_CLAIMS, 'XqrnFEfsS55_vMBpHvF0pTnqeaM');
    const jwt = jwtOf(decodeCompactJwt(compact));
    expect(jwt.header).toEqual({ typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM', kid: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' });
    expect(jwt.claims).toEqual(XOAUTH_ACTOR_CLAIMS);
    expect(jwt.unsigned).toBe(false);
    expect(jwt.nbf).toBe(1323380070);
    expect(jwt.exp).toBe(1323383670);
    expect(jwt.iat).toBeUndefined();
    expect(jwt.x5tThumbprint).toBe('5EAAE71447EC4B9E7FBCC0691EF174A539EA79A3');
    expect(jwt.kidThumbprint).toBe('5EAAE71447EC4B9E7FBCC0691EF174A539EA79A3');
    expect(jwt.compact.reveal()).toBe(compact);
    expect(jwt.notes).toBeUndefined();
  });

  it('decodes the unsigned outer token and its actor token, masking the actortoken claim', async () => {
    const actor = await signActor(XOAUTH_ACTOR_CLAIMS, 'XqrnFEfsS55_vMBpHvF0pTnqeaM');
    const outer = unsignedJwt({
      aud: '00000002-0000-0ff1-ce00-000000000000/outlook.office365.com@b84c5afe-7ced-4ce8-aa0b-df0e2869d3c8',
      iss: XOAUTH_ACTOR_CLAIMS.nameid,
      nbf: '1323380370',
      exp: '1323409170',
      nameid: 'alice@contoso.com',
      actortoken: actor,
    });
    const jwt = jwtOf(decodeCompactJwt(outer));
    expect(jwt.unsigned).toBe(true);
    expect(jwt.header).toEqual({ typ: 'JWT', alg: 'none' });
    expect(jwt.nbf).toBe(1323380370);
    expect(jwt.actor?.claims).toEqual(XOAUTH_ACTOR_CLAIMS);
    expect(jwt.actor?.compact.reveal()).toBe(actor);
    expect(jwt.actorError).toBeUndefined();
    expect(jwt.claims['actortoken']).toBe(`${actor.slice(0, 6)}…(${actor.length} chars)`);
    expect(JSON.stringify(jwt)).not.toContain(actor.split('.')[2]);
  });

  it('accepts NumericDates sent as numbers and notes ones that are not numbers', () => {
    const jwt = jwtOf(decodeCompactJwt(unsignedJwt({ nbf: 1700000000, exp: 'tomorrow', iat: '1700000000.5' })));
    expect(jwt.nbf).toBe(1700000000);
    expect(jwt.exp).toBeUndefined();
    expect(jwt.iat).toBe(1700000000.5);
    expect(jwt.notes).toEqual(['exp is not a NumericDate']);
  });

  it('reports an actor token that does not decode, and one that is not a string', () => {
    expect(jwtOf(decodeCompactJwt(unsignedJwt({ actortoken: 'eyJhbGciOi.x.y' }))).actorError).toBe(
      'header segment is not JSON (unexpected end of input at position 7 of the decoded text); ' +
        'payload segment has 1 character, a length no base64url text has (4n+1); ' +
        'signature segment has 1 character, a length no base64url text has (4n+1)',
    );
    expect(jwtOf(decodeCompactJwt(unsignedJwt({ actortoken: 42 }))).actorError).toBe('actortoken is not a string');
  });

  it('follows nested actor tokens three levels deep and no further', () => {
    const level3 = unsignedJwt({ actortoken: unsignedJwt({ level: 4 }) });
    const level2 = unsignedJwt({ actortoken: level3 });
    const outer = jwtOf(decodeCompactJwt(unsignedJwt({ actortoken: level2 })));
    expect(outer.actor?.actor).toBeDefined();
    expect(outer.actor?.actor?.actor).toBeUndefined();
    expect(outer.actor?.actor?.actorError).toBe('actortoken nested deeper than 3 levels');
  });

  it('leaves kidThumbprint unset when kid is not a 20-byte base64url value', () => {
    const jwt = jwtOf(decodeCompactJwt(unsignedJwt({}, { alg: 'none', kid: 'signing-key-1', x5t: 'abc' })));
    expect(jwt.kidThumbprint).toBeUndefined();
    expect(jwt.x5tThumbprint).toBeUndefined();
    expect(jwt.notes).toEqual(['x5t is not base64url of 20 bytes']);
  });
});

describe('thumbprintOf against a real certificate', () => {
  let certificate: X509Certificate;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'decode-x5t-'));
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Microsoft Exchange Server Auth Certificate',
        '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ], { stdio: 'ignore', timeout: 60_000 });
      certificate = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps x5t (base64url SHA-1 of the DER) to the thumbprint the certificate store shows', () => {
    const x5t = createHash('sha1').update(certificate.raw).digest('base64url');
    expect(x5t).toHaveLength(27);
    expect(thumbprintOf(x5t)).toBe(certificate.fingerprint.replaceAll(':', ''));
    expect(thumbprintOf(`${x5t}=`)).toBe(certificate.fingerprint.replaceAll(':', ''));
  });

  it.each([[undefined], [42], [''], ['XqrnFEfsS55_vMBpHvF0pTnqea'], ['XqrnFEfsS55/vMBpHvF0pTnqeaM']])('%s -> undefined', (value) => {
    expect(thumbprintOf(value)).toBeUndefined();
  });
});

describe('decodeCompactJwt on tokens that do not decode', () => {
  // Each case mutates one segment of a good unsigned token; positions of characters are offsets in the token.
  const header = base64url({ alg: 'none' });
  const payload = base64url({ sub: 'x' });
  const both = { header: { alg: 'none' }, claims: { sub: 'x' } };
  it.each([
    ['header not JSON', `eyJub3QganNvbg.${payload}.`, 'header segment is not JSON (unexpected end of input inside a string at position 10 of the decoded text)', { failed: 'header', claims: { sub: 'x' }, signature: 'empty' }],
    ['payload not JSON', `${header}.bm90IGpzb24.`, "payload segment is not JSON (unexpected character 'o' at position 1 of the decoded text)", { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
    ['payload a JSON array', `${header}.${base64url([1, 2])}.`, 'payload segment is JSON but not an object (an array)', { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
    ['payload not UTF-8', `${header}.__57.`, 'payload segment is not UTF-8 text', { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
    ['empty payload', `${header}..`, 'payload segment is empty', { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
    ['two segments', `${header}.${payload}`, 'signature segment missing (2 segments, a JWS has 3)', { failed: 'signature', ...both, signature: 'missing' }],
    ['% in the payload', `${header}.${payload.slice(0, 5)}%${payload.slice(6)}.`, "payload segment contains characters outside base64url (position 25: '%')", { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
    ['standard-base64 characters', `${header}.${payload}+/.`, "payload segment contains characters outside base64url (position 35: '+', a standard-base64 character; 1 more after it)", { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
    ['padded signature', `${header}.${payload}.c2ln=`, "signature segment contains characters outside base64url (position 40: '=', padding, which a JWS leaves out)", { failed: 'signature', ...both, signature: 'present' }],
    ['impossible length', `${header}.${payload}AA.`, 'payload segment has 17 characters, a length no base64url text has (4n+1)', { failed: 'payload', header: { alg: 'none' }, signature: 'empty' }],
  ])('%s', (_name, compact, error, partial) => {
    expect(decodeCompactJwt(compact)).toEqual({ type: 'jwt-malformed', error, partial });
  });

  it.each([
    ['four segments', `${header}.${payload}.a.b`, '4 segments, a JWS has 3'],
    ['five segments', `${header}.${payload}.a.b.c`, '5 segments, a JWS has 3 (5 is the shape of a JWE, an encrypted token)'],
  ])('%s: nothing to show', (_name, compact, error) => {
    expect(decodeCompactJwt(compact)).toEqual({ type: 'jwt-malformed', error });
  });

  it('masks an actortoken claim in the claims it shows', () => {
    const decoded = decodeCompactJwt(`${header}.${base64url({ actortoken: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl' })}`);
    expect(decoded.type === 'jwt-malformed' && decoded.partial?.claims?.['actortoken']).toMatch(/^eyJhbG…\(\d+ chars\)$/);
  });
});

describe('JWT shape', () => {
  it.each([
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', true, true],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln', true, true],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0', false, true],
    ['eyJhbGciOiJub25lIn0', false, false],
    ['cwt=AAEBHAEFAAAAAAAFFQAAAA', false, false],
    ['abc.def.ghi', false, false],
  ])('%s: jwt-shaped %s, looks like a JWT %s', (value, shaped, looksLike) => {
    expect(isJwtShaped(value)).toBe(shaped);
    expect(looksLikeJwt(value)).toBe(looksLike);
  });
});
