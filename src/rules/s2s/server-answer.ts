// What the server's response says about the credential a request carried: accepted, rejected, or not known.
import type { DecodedExchange } from '../../model/index.js';

/**
 * `accepted`: answered 2xx (or 304, which only an authorised request gets), so the server took the
 * credential. `rejected`: 401, or 403 with a Bearer `error`. `unanswered`: no response was seen.
 * `other`: any other status, which says nothing about the credential: a 404, a 500, or a redirect
 * (a pre-authentication device or a login page answers a bad token with a 302).
 */
export type ServerAnswer =
  | { readonly verdict: 'accepted'; readonly status: number }
  | { readonly verdict: 'rejected'; readonly status: number; readonly error?: string }
  | { readonly verdict: 'unanswered' }
  | { readonly verdict: 'other'; readonly status: number };

const UNANSWERED: ServerAnswer = { verdict: 'unanswered' };

/** The server's answer to the request of the decoded exchange. */
export function serverAnswer(decoded: DecodedExchange): ServerAnswer {
  const response = decoded.exchange.response;
  if (!response) return UNANSWERED;
  const status = response.status;
  if ((status >= 200 && status < 300) || status === 304) return { verdict: 'accepted', status };
  const error = decoded.challenges.find((c) => c.scheme.toLowerCase() === 'bearer')?.params['error'];
  if (status === 401 || (status === 403 && error !== undefined)) {
    return error === undefined ? { verdict: 'rejected', status } : { verdict: 'rejected', status, error };
  }
  return { verdict: 'other', status };
}

/** `HTTP 200`, `HTTP 401 error="invalid_token"`: the answer as an admin reads it in Wireshark. */
export function describeAnswer(answer: ServerAnswer): string {
  if (answer.verdict === 'unanswered') return 'no response seen';
  const error = answer.verdict === 'rejected' && answer.error !== undefined ? ` error="${answer.error}"` : '';
  return `HTTP ${answer.status}${error}`;
}
