// The decode stage's public surface: exchanges in, credential sightings and challenges out.
export { decodeExchange } from './decode-exchange.js';
export { decodeAuthorization, type DecodedAuthorization } from './authorization.js';
export { decodeCompactJwt, isJwtShaped, thumbprintOf } from './jwt.js';
