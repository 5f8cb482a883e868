// Negotiate (RFC 4559) tokens: finds the mechanism token inside SPNEGO and says what it carries.
import type { DecodedCredential } from '../model/index.js';
import { derChildren, derOid, readDer, type DerElement } from './der.js';
import { decodeNtlmBytes, isNtlmssp } from './ntlm.js';

const SPNEGO_OID = '1.3.6.1.5.5.2';
const KERBEROS_OIDS = new Set(['1.2.840.113554.1.2.2', '1.2.840.48018.1.2.2']);
const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';
/** GSS-API InitialContextToken: [APPLICATION 0] IMPLICIT SEQUENCE. */
const TAG_GSS_INITIAL = 0x60;
const TAG_NEG_TOKEN_INIT = 0xa0;
const TAG_NEG_TOKEN_RESP = 0xa1;
/** Kerberos AP-REQ / AP-REP sent without the GSS wrapper. */
const TAG_KRB_AP_REQ = 0x6e;
const TAG_KRB_AP_REP = 0x6f;

/** Decodes the bytes of a Negotiate credential (or challenge token): SPNEGO, Kerberos or raw NTLMSSP. */
export function decodeNegotiateBytes(bytes: Buffer): DecodedCredential {
  if (isNtlmssp(bytes)) return decodeNtlmBytes(bytes);
  const outer = readDer(bytes, 0);
  if (!outer) return undecodable('not a DER token');
  if (outer.tag === TAG_GSS_INITIAL) return decodeGssInitial(bytes, outer);
  if (outer.tag === TAG_NEG_TOKEN_RESP) return decodeNegTokenResp(bytes, outer);
  return undecodable(`unexpected outer tag 0x${outer.tag.toString(16)}`);
}

function decodeGssInitial(bytes: Buffer, outer: DerElement): DecodedCredential {
  const [mechOid, inner] = derChildren(bytes, outer, 2);
  const mech = mechOid && derOid(bytes, mechOid);
  if (mech !== undefined && KERBEROS_OIDS.has(mech)) return { type: 'kerberos' };
  if (mech !== SPNEGO_OID) return undecodable(`unknown GSS mechanism ${mech ?? '(none)'}`);
  if (!inner || inner.tag !== TAG_NEG_TOKEN_INIT) return undecodable('SPNEGO without NegTokenInit');
  const fields = sequenceFields(bytes, inner);
  const mechToken = octetString(bytes, fields.get(2));
  if (mechToken) return decodeMechToken(mechToken);
  const mechTypes = fields.get(0);
  const firstMechSequence = mechTypes && readDer(bytes, mechTypes.start, mechTypes.end);
  const firstMech = firstMechSequence && derChildren(bytes, firstMechSequence, 1)[0];
  const firstMechOid = firstMech && derOid(bytes, firstMech);
  if (firstMechOid !== undefined && KERBEROS_OIDS.has(firstMechOid)) return { type: 'kerberos' };
  return undecodable('SPNEGO NegTokenInit without a mechToken');
}

function decodeNegTokenResp(bytes: Buffer, outer: DerElement): DecodedCredential {
  const fields = sequenceFields(bytes, outer);
  const responseToken = octetString(bytes, fields.get(2));
  if (responseToken) return decodeMechToken(responseToken);
  const supportedMech = fields.get(1);
  const supportedOid = supportedMech && readDer(bytes, supportedMech.start, supportedMech.end);
  const mech = supportedOid && derOid(bytes, supportedOid);
  if (mech !== undefined && KERBEROS_OIDS.has(mech)) return { type: 'kerberos' };
  if (mech === NTLMSSP_OID) return undecodable('SPNEGO NegTokenResp (NTLM) without a responseToken');
  return undecodable('SPNEGO NegTokenResp without a responseToken');
}

function decodeMechToken(token: Buffer): DecodedCredential {
  if (isNtlmssp(token)) return decodeNtlmBytes(token, 'spnego');
  const element = readDer(token, 0);
  if (element?.tag === TAG_KRB_AP_REQ || element?.tag === TAG_KRB_AP_REP) return { type: 'kerberos' };
  if (element?.tag === TAG_GSS_INITIAL) {
    const mechOid = derChildren(token, element, 1)[0];
    const mech = mechOid && derOid(token, mechOid);
    if (mech !== undefined && KERBEROS_OIDS.has(mech)) return { type: 'kerberos' };
  }
  return undecodable('unknown SPNEGO mechanism token');
}

/**
 * The context-tagged fields [n] of a NegTokenInit / NegTokenResp, which wraps a SEQUENCE of them.
 * Maps n to the explicit-tag element (its content is the field's value).
 */
function sequenceFields(bytes: Buffer, wrapper: DerElement): Map<number, DerElement> {
  const fields = new Map<number, DerElement>();
  const sequence = readDer(bytes, wrapper.start, wrapper.end);
  if (!sequence || sequence.tag !== 0x30) return fields;
  for (const field of derChildren(bytes, sequence, 8)) {
    if ((field.tag & 0xe0) === 0xa0) fields.set(field.tag & 0x1f, field);
  }
  return fields;
}

/** The bytes of an OCTET STRING held inside an explicit-tag field. */
function octetString(bytes: Buffer, field: DerElement | undefined): Buffer | undefined {
  const inner = field && readDer(bytes, field.start, field.end);
  if (!inner || inner.tag !== 0x04 || inner.end === inner.start) return undefined;
  return bytes.subarray(inner.start, inner.end);
}

function undecodable(error: string): DecodedCredential {
  return { type: 'undecodable', error };
}
