// Rule challenge-without-bearer: a 401 response offers no Bearer challenge (outside an NTLM/Negotiate handshake).
import type { DecodedExchange } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { requestHost } from '../request-host.js';

const WINDOWS_SCHEMES: ReadonlySet<string> = new Set(['ntlm', 'negotiate']);

export const challengeWithoutBearer = defineRule({
  id: 'challenge-without-bearer',
  severity: 'warning',
  scope: 'exchange',
  title: '401 without a Bearer challenge',
  description:
    'Exchange and Skype for Business answer an unauthenticated S2S call with a Bearer challenge (MS-XOAUTH §3.2.5.4). A 401 without one comes from a pre-authenticating device in front of the server (TMG, WAP, F5) or a virtual directory without OAuth. The 401 that carries an NTLM or Negotiate challenge blob in the middle of a handshake the client started is a handshake step, not such a server.',
  messages: {
    noChallenge: '401 from {{host}} carries no WWW-Authenticate challenge at all',
    noBearer: '401 from {{host}} offers {{schemes}} but no Bearer challenge',
  },
  docs: 'docs/rules/challenge-without-bearer.md',
  check(decoded) {
    const response = decoded.exchange.response;
    // Headers cut off by the snapshot length are unknown, not absent (capture-unreadable says so).
    if (response?.status !== 401 || response.cut !== undefined) return [];
    const challenges = decoded.challenges.filter((c) => c.header.toLowerCase() === 'www-authenticate');
    if (challenges.some((c) => c.scheme.toLowerCase() === 'bearer') || isHandshakeStep(decoded)) return [];
    const host = requestHost(decoded.exchange);
    if (challenges.length === 0) return [{ messageId: 'noChallenge', data: { host } }];
    return [{ messageId: 'noBearer', data: { host, schemes: [...new Set(challenges.map((c) => c.scheme))].join(', ') } }];
  },
});

/** The request sent NTLM/Negotiate credentials and the 401 answers with a challenge blob of that handshake. */
function isHandshakeStep(decoded: DecodedExchange): boolean {
  const sentWindowsAuth = decoded.credentials.some(
    (c) => c.direction === 'request' && c.location.type === 'header' && (c.scheme === 'ntlm' || c.scheme === 'negotiate') && c.decoded.type !== 'empty',
  );
  return sentWindowsAuth && decoded.challenges.some((c) => WINDOWS_SCHEMES.has(c.scheme.toLowerCase()) && c.token68 !== undefined);
}
