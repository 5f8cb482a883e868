// maskExchange: the exchange as recordings may keep it, every secret masked (secret-masking.ts says how); not the display masking of reports.
import type { HttpBody, HttpExchange, HttpHeaders, HttpResponse } from '../model/index.js';
import { maskBodyBytes, maskHeader, maskUrl } from './secret-masking.js';

function maskHeaders(headers: HttpHeaders): HttpHeaders {
  return headers.map(([name, value]) => [name, maskHeader(name, value)] as const);
}

function maskBody(body: HttpBody): HttpBody {
  const bytes = maskBodyBytes(body.bytes);
  return bytes === body.bytes ? body : { ...body, bytes };
}

function maskResponse(response: HttpResponse): HttpResponse {
  return {
    ...response,
    headers: maskHeaders(response.headers),
    ...(response.trailers ? { trailers: maskHeaders(response.trailers) } : {}),
    body: maskBody(response.body),
    interim: response.interim.map((interim) => ({ ...interim, headers: maskHeaders(interim.headers) })),
  };
}

/**
 * `ex` with its secrets masked: the request target, the headers and trailers (also of 1xx
 * responses) and both bodies. Places, times, TLS details and anomalies are kept as they are.
 * Linear in the exchange's size, but not free near the body cap: a live source calls it off its
 * request path (the Inspector does, one exchange per event-loop turn).
 */
export function maskExchange(ex: HttpExchange): HttpExchange {
  const request = ex.request;
  return {
    ...ex,
    request: {
      ...request,
      uri: maskUrl(request.uri),
      headers: maskHeaders(request.headers),
      ...(request.trailers ? { trailers: maskHeaders(request.trailers) } : {}),
      body: maskBody(request.body),
    },
    ...(ex.response ? { response: maskResponse(ex.response) } : {}),
  };
}
