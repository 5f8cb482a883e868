// Rule table for challenge-without-bearer.
import { challengeWithoutBearer } from '../../../src/rules/pack/challenge-without-bearer.js';
import type { SightingInput } from '../factories.js';
import { bearerChallenge, challenge, decodedExchange, testExchange } from '../factories.js';
import { runRuleTester } from '../rule-tester.js';

const unauthorized = () => testExchange({ status: 401 });

/** A 401 recorded with `tcpdump -s 96`: the status line survived, the headers did not. */
function cutUnauthorized() {
  const exchange = unauthorized();
  if (!exchange.response) throw new Error('no response');
  return { ...exchange, response: { ...exchange.response, incomplete: true, cut: { snapLength: 96 } } };
}

/** NTLM NEGOTIATE (type 1) and the CHALLENGE (type 2) blob the server answers it with. */
const NTLM_NEGOTIATE = 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==';
const NTLM_CHALLENGE =
  'TlRMTVNTUAACAAAADgAOADgAAAAFgomiESIzRFVmd4gAAAAAAAAAAFAAUABGAAAACgBhSgAAAA9DAE8ATgBUAE8AUwBPAAIADgBDAE8ATgBUAE8AUwBPAAAAAAA=';
/** SPNEGO NegTokenInit wrapping NTLM NEGOTIATE, and the NegTokenResp the server answers with. */
const SPNEGO_INIT = 'YEAGBisGAQUFAqA2MDSgDjAMBgorBgEEAYI3AgIKoiIEIE5UTE1TU1AAAQAAAJeCCOIAAAAAAAAAAAAAAAAAAAAA';
const SPNEGO_RESPONSE = 'oYIBCzCCAQegAwoBAaEMBgorBgEEAYI3AgIKooHxBIHuTlRMTVNTUAACAAAADgAOADgAAAAVgoni';

const ntlmNegotiate: SightingInput = {
  scheme: 'ntlm',
  schemeName: 'NTLM',
  value: NTLM_NEGOTIATE,
  decoded: { type: 'ntlm', ntlm: { messageType: 1, flags: 'a2088207' } },
};
const spnegoNegotiate: SightingInput = {
  scheme: 'negotiate',
  schemeName: 'Negotiate',
  value: SPNEGO_INIT,
  decoded: { type: 'ntlm', ntlm: { messageType: 1, flags: 'e2088297' }, wrapped: 'spnego' },
};

runRuleTester(challengeWithoutBearer, {
  valid: [
    {
      name: '401 with Bearer next to Basic and NTLM',
      decoded: () => decodedExchange({ exchange: unauthorized(), challenges: [bearerChallenge(['x@*']), challenge('Basic'), challenge('NTLM')] }),
    },
    { name: 'a 200', decoded: () => decodedExchange({ exchange: testExchange({ status: 200 }) }) },
    { name: 'a 407 from a proxy', decoded: () => decodedExchange({ exchange: testExchange({ status: 407 }), challenges: [challenge('NTLM', 'Proxy-Authenticate')] }) },
    {
      name: 'an NTLM handshake step: the 401 carries the CHALLENGE blob answering the client\'s NEGOTIATE',
      decoded: () =>
        decodedExchange({
          exchange: unauthorized(),
          credentials: [ntlmNegotiate],
          challenges: [{ ...challenge('NTLM', 'WWW-Authenticate', NTLM_CHALLENGE), ntlm: { messageType: 2, targetName: 'CONTOSO' } }],
        }),
    },
    {
      name: 'a Negotiate handshake step: the 401 carries the SPNEGO response blob',
      decoded: () => decodedExchange({ exchange: unauthorized(), credentials: [spnegoNegotiate], challenges: [challenge('Negotiate', 'WWW-Authenticate', SPNEGO_RESPONSE)] }),
    },
    { name: 'a 401 whose headers the snapshot length cut off (unknown, not absent)', decoded: () => decodedExchange({ exchange: cutUnauthorized() }) },
  ],
  invalid: [
    {
      name: '401 with no challenge at all',
      decoded: () => decodedExchange({ exchange: unauthorized() }),
      errors: [{ messageId: 'noChallenge', data: { host: 'mail.contoso.test' } }],
    },
    {
      name: '401 offering only Windows schemes (pre-auth device)',
      decoded: () => decodedExchange({ exchange: unauthorized(), challenges: [challenge('Negotiate'), challenge('NTLM'), challenge('NTLM')] }),
      errors: [{ messageId: 'noBearer', data: { host: 'mail.contoso.test', schemes: 'Negotiate, NTLM' } }],
    },
    {
      name: 'the client sent NTLM, but the 401 restarts with bare NTLM/Negotiate offers (no handshake blob)',
      decoded: () => decodedExchange({ exchange: unauthorized(), credentials: [ntlmNegotiate], challenges: [challenge('Negotiate'), challenge('NTLM')] }),
      errors: [{ messageId: 'noBearer', data: { host: 'mail.contoso.test', schemes: 'Negotiate, NTLM' } }],
    },
  ],
});
