// Masked recordings: JWT signatures (also a nested actor token's) are hidden and recognised as masked.
import { describe, expect, it } from 'vitest';
import { decodeCompactJwt } from '../../src/decode/jwt.js';
import { maskJwtSignatures } from '../../src/pipeline/secret-masking.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const realm = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
const actorSignature = Buffer.from('an actor signature that must never be recorded').toString('base64url');
const actor = `${b64({ typ: 'JWT', alg: 'RS256', x5t: 'XqrnFEfsS55_vMBpHvF0pTnqeaM' })}.${b64({ iss: `00000001-0000-0000-c000-000000000000@${realm}`, nameid: `00000004-0000-0ff1-ce00-000000000000@${realm}` })}.${actorSignature}`;
const outer = `${b64({ typ: 'JWT', alg: 'none' })}.${b64({ iss: `00000004-0000-0ff1-ce00-000000000000@${realm}`, actortoken: actor })}.`;

describe('maskJwtSignatures', () => {
  it('masks the signature of a signed token and keeps header and payload', () => {
    const masked = maskJwtSignatures(`Bearer ${actor}`);
    expect(masked).not.toContain(actorSignature);
    expect(masked.startsWith(`Bearer ${actor.split('.').slice(0, 2).join('.')}.A`)).toBe(true);
    const decoded = decodeCompactJwt(masked.slice('Bearer '.length));
    expect(decoded.type === 'jwt' && decoded.jwt.signatureMasked).toBe(true);
  });

  it('masks the actor token nested in an unsigned outer token', () => {
    const masked = maskJwtSignatures(outer);
    const payload = Buffer.from(masked.split('.')[1]!, 'base64url').toString('utf8');
    expect(payload).not.toContain(actorSignature);
    expect(masked.endsWith('.')).toBe(true);
    const decoded = decodeCompactJwt(masked);
    expect(decoded.type).toBe('jwt');
    if (decoded.type !== 'jwt') return;
    expect(decoded.jwt.claims['iss']).toBe(`00000004-0000-0ff1-ce00-000000000000@${realm}`);
    expect(decoded.jwt.actor?.signatureMasked).toBe(true);
    expect(decoded.jwt.actor?.claims['nameid']).toBe(`00000004-0000-0ff1-ce00-000000000000@${realm}`);
  });

  it('a real signature is not taken for a masked one', () => {
    const decoded = decodeCompactJwt(actor);
    expect(decoded.type === 'jwt' && decoded.jwt.signatureMasked).toBeFalsy();
  });
});
