// An Exchange-like HTTP server for the fixture captures: challenges, token checks, NTLM, Basic, Digest.
import { createHash, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { createBrotliCompress, createDeflate, createGzip } from 'node:zlib';
import {
  ACS_HOST, FIXTURE_PORT, MAIL_HOST, PASSWORD_USER, Principal, REALM, SECRET_CLIENT, SFB_WEB_HOST, audienceName, principalName,
} from './contoso.js';
import { challengeMessage, findNtlmMessage, ntlmMessageType, spnegoResponse } from './ntlm.js';
import type { FixtureKeys, SigningKey } from './signing-keys.js';
import {
  certificateKey, checkBearerJwt, checkClientAssertion, TOKEN_MISSING, type AssertionVerdict, type MsDiagnostic,
} from './token-check.js';
import { issuedAccessToken } from './tokens.js';

/** How the server presents itself; the recorder switches it between scenarios. */
export interface ServerProfile {
  /** `separate`: one WWW-Authenticate per scheme; `joined`: one comma-joined header (reference §7.4). */
  readonly challengeLayout: 'separate' | 'joined';
  readonly trustedIssuers: readonly string[];
  /** Also offer (and accept) HTTP Digest. */
  readonly offerDigest: boolean;
  /** Add Exchange's `x-ms-diagnostics` "token should be present" to the 401 for a request without a token. */
  readonly diagnoseMissingToken: boolean;
  /**
   * Seconds the token endpoint's clock is off when it stamps the tokens it issues (a token service with a
   * wrong clock); client assertions are still checked against the true time.
   */
  readonly tokenServiceClockOffset: number;
}

export const DEFAULT_PROFILE: ServerProfile = {
  challengeLayout: 'separate',
  trustedIssuers: [`${Principal.acs}@*`],
  offerDigest: false,
  diagnoseMissingToken: false,
  tokenServiceClockOffset: 0,
};

const MAX_REQUEST_BODY = 64 * 1024;
const TOKEN_TYPES = 'app_asserted_user_v1 service_asserted_app_v1';
const AUTHORIZATION_URI = 'https://login.windows.net/common/oauth2/authorize';
const DIGEST_REALM = MAIL_HOST;
const TOKEN_ENDPOINT = /^\/([0-9a-f-]{36})\/tokens\/oauth\/2$/i;
const JWT_BEARER_GRANT = 'http://oauth.net/grant_type/jwt/1.0/bearer';
const JWT_CLIENT_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export class FixtureServer {
  profile: ServerProfile = DEFAULT_PROFILE;
  readonly #keys: FixtureKeys;
  readonly #trustedKeys: ReadonlyMap<string, KeyObject>;
  readonly #servers: Server[] = [];
  readonly #digestNonce = randomBytes(24).toString('base64');
  readonly #digestOpaque = randomBytes(16).toString('hex');

  constructor(keys: FixtureKeys) {
    this.#keys = keys;
    this.#trustedKeys = new Map([[keys.trusted.x5t, certificateKey(keys.trusted.certPem)]]);
  }

  /** Listens on 127.0.0.1 and ::1 at `port`. */
  async start(port = FIXTURE_PORT): Promise<void> {
    for (const host of ['127.0.0.1', '::1']) {
      const server = createServer((req, res) => this.#receive(req, res));
      this.#servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#servers.map((server) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    })));
    this.#servers.length = 0;
  }

  #receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      exchangeHeaders(res);
      if (size > MAX_REQUEST_BODY) return sendText(res, 413, 'text/plain', 'Request Entity Too Large');
      Promise.resolve(this.#route(req)(req, res, Buffer.concat(chunks))).catch((error: unknown) => {
        if (!res.headersSent) sendText(res, 500, 'text/plain', `fixture server error: ${String(error)}`);
        else res.destroy();
      });
    });
  }

  #route(req: IncomingMessage): Handler {
    const path = new URL(req.url ?? '/', 'http://x').pathname.toLowerCase();
    if (path === '/autodiscover/metadata/json/1') return (q, s) => this.#metadata(q, s);
    if (path.startsWith('/autodiscover/autodiscover.json')) return (_q, s) => autodiscoverJson(s);
    if (path === '/autodiscover/autodiscover.xml') return (_q, s) => closeDelimited(s);
    if (TOKEN_ENDPOINT.test(path)) return (q, s, b) => this.#tokenEndpoint(q, s, b);
    if (path.startsWith('/ucwa/')) return (q, s) => ucwa(q, s);
    if (path.startsWith('/preauth/')) return (q, s) => preauthDevice(q, s);
    if (path === '/ews/exchange.asmx' || path === '/autodiscover/autodiscover.svc' || path === '/mapi/emsmdb') {
      return (q, s, b) => this.#protected(q, s, path, b);
    }
    return (_q, s) => sendText(s, 404, 'text/html', '<html><body>404 - File or directory not found.</body></html>');
  }

  // --- authentication on the protected Exchange paths ---

  /** Bearer from the Authorization header; without one, from the query (`access_token`) or the body (RFC 6750 §2.2). */
  #protected(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void {
    const authorization = req.headers.authorization ?? '';
    const space = authorization.indexOf(' ');
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const credential = space < 0 ? '' : authorization.slice(space + 1).trim();
    const unheadedToken = scheme === ''
      ? new URL(req.url ?? '/', 'http://x').searchParams.get('access_token') ?? bodyToken(req, body) : undefined;
    if (scheme === 'bearer' || unheadedToken !== undefined) {
      return this.#bearer(req, res, path, scheme === 'bearer' ? credential : (unheadedToken ?? ''));
    }
    if (scheme === 'basic') return this.#basic(req, res, path, credential);
    if (scheme === 'ntlm' || scheme === 'negotiate') return this.#ntlm(req, res, path, scheme, credential);
    if (scheme === 'digest' && this.profile.offerDigest) return this.#digest(req, res, path, credential);
    this.#askForToken(res);
  }

  #bearer(req: IncomingMessage, res: ServerResponse, path: string, token: string): void {
    if (token === '') return this.#askForToken(res);
    if (token.startsWith('cwt=')) return this.#challenge(res, { error: true });
    const verdict = checkBearerJwt(token, {
      trustedKeys: this.#trustedKeys,
      trustedIssuers: this.profile.trustedIssuers,
      host: audienceHost(req),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (verdict.ok) return exchangeOk(req, res, path);
    this.#challenge(res, verdict.diagnostic ? { error: true, diagnostic: verdict.diagnostic } : { error: true });
  }

  #basic(req: IncomingMessage, res: ServerResponse, path: string, credential: string): void {
    const expected = `${PASSWORD_USER.user}:${PASSWORD_USER.password}`;
    if (Buffer.from(credential, 'base64').toString('utf8') === expected) return exchangeOk(req, res, path);
    this.#challenge(res);
  }

  /** NTLM, bare or wrapped in SPNEGO: NEGOTIATE -> CHALLENGE, AUTHENTICATE -> 200. */
  #ntlm(req: IncomingMessage, res: ServerResponse, path: string, scheme: 'ntlm' | 'negotiate', credential: string): void {
    const token = Buffer.from(credential, 'base64');
    const message = scheme === 'ntlm' ? token : findNtlmMessage(token);
    const type = message ? ntlmMessageType(message) : undefined;
    if (type === 1) {
      const challenge = challengeMessage(Date.now());
      const blob = scheme === 'ntlm'
        ? challenge : spnegoResponse({ negState: 1, supportedMech: true, responseToken: challenge });
      res.setHeader('WWW-Authenticate', `${scheme === 'ntlm' ? 'NTLM' : 'Negotiate'} ${blob.toString('base64')}`);
      return sendText(res, 401, 'text/html', UNAUTHORIZED_PAGE);
    }
    if (type === 3) {
      if (scheme === 'negotiate') res.setHeader('WWW-Authenticate', `Negotiate ${spnegoResponse({ negState: 0 }).toString('base64')}`);
      return exchangeOk(req, res, path);
    }
    this.#challenge(res);
  }

  #digest(req: IncomingMessage, res: ServerResponse, path: string, credential: string): void {
    const params = parseAuthParams(credential);
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const ha1 = md5(`${PASSWORD_USER.user}:${DIGEST_REALM}:${PASSWORD_USER.password}`);
    const ha2 = md5(`${req.method}:${params['uri'] ?? ''}`);
    const expected = md5(`${ha1}:${this.#digestNonce}:${params['nc']}:${params['cnonce']}:${params['qop']}:${ha2}`);
    if (params['username'] === PASSWORD_USER.user && params['nonce'] === this.#digestNonce && params['response'] === expected) {
      return exchangeOk(req, res, path);
    }
    this.#challenge(res);
  }

  /** 401 to a request that carried no token: the challenge, plus the diagnostic when the profile asks for it. */
  #askForToken(res: ServerResponse): void {
    if (this.profile.diagnoseMissingToken) res.setHeader('x-ms-diagnostics', diagnosticValue(TOKEN_MISSING));
    this.#challenge(res);
  }

  /** 401 with the Exchange challenge set, in the profile's layout; `error` marks a rejected token. */
  #challenge(res: ServerResponse, rejected?: { error: true; diagnostic?: MsDiagnostic }): void {
    const issuers = this.profile.trustedIssuers.join(',');
    let bearer = `Bearer client_id="${Principal.exchange}", trusted_issuers="${issuers}"`;
    if (rejected || this.profile.challengeLayout === 'joined') {
      bearer += `, token_types="${TOKEN_TYPES}", authorization_uri="${AUTHORIZATION_URI}"`;
    }
    if (rejected) bearer += ', error="invalid_token"';
    const digest = `Digest realm="${DIGEST_REALM}", qop="auth", algorithm=MD5, nonce="${this.#digestNonce}", opaque="${this.#digestOpaque}"`;
    if (rejected?.diagnostic) res.setHeader('x-ms-diagnostics', diagnosticValue(rejected.diagnostic));
    if (this.profile.challengeLayout === 'joined') {
      res.setHeader('WWW-Authenticate', `${bearer},Negotiate,NTLM,Basic realm="${MAIL_HOST}"`);
    } else {
      res.setHeader('WWW-Authenticate', [bearer, 'Basic Realm=""', 'Negotiate', 'NTLM', ...(this.profile.offerDigest ? [digest] : [])]);
    }
    res.setHeader('X-BackEndHttpStatus', '401');
    sendText(res, 401, 'text/html', UNAUTHORIZED_PAGE);
  }

  // --- anonymous endpoints ---

  #metadata(req: IncomingMessage, res: ServerResponse): void {
    const cert = this.#keys.trusted;
    const body = JSON.stringify({
      id: `_${createHash('sha256').update(cert.certDer).digest('hex').slice(0, 32)}`,
      version: '1.0',
      name: 'Exchange',
      realm: '*',
      serviceName: Principal.exchange,
      issuer: `${Principal.exchange}@*`,
      allowedAudiences: [`${Principal.exchange}/${MAIL_HOST}@*`],
      keys: [{
        usage: 'signing',
        keyinfo: { x5t: cert.x5t },
        keyvalue: { type: 'x509Certificate', value: cert.certDer.toString('base64') },
      }],
      endpoints: [{ location: `https://${MAIL_HOST}:444/autodiscover/metadata/json/1`, protocol: 'OAuth2', usage: 'metadata' }],
    });
    const etag = metadataEtag(cert);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    sendText(res, 200, 'application/json; charset=utf-8', body);
  }

  /**
   * ACS-like token endpoint: a JWT-bearer `assertion` grant, or `client_credentials` with a client secret or a
   * JWT `client_assertion` -> JSON with string numbers; AADSTS-style JSON errors otherwise.
   */
  async #tokenEndpoint(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const form = new URLSearchParams(body.toString('utf8'));
    const resource = form.get('resource') ?? audienceName(Principal.exchange, MAIL_HOST, REALM);
    const client = req.method === 'POST' ? this.#tokenClient(form) : TOKEN_ERRORS.grant;
    if (typeof client !== 'string') return sendText(res, 400, 'application/json; charset=utf-8', JSON.stringify(client));
    const now = Math.floor(Date.now() / 1000) + this.profile.tokenServiceClockOffset;
    const withRefresh = form.has('client_secret');
    const lifetime = withRefresh ? 43199 : 86399;
    sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify({
      token_type: 'Bearer',
      expires_in: String(lifetime),
      not_before: String(now - 300),
      expires_on: String(now + lifetime),
      resource,
      access_token: await issuedAccessToken(this.#keys.trusted, now, client, resource),
      ...(withRefresh ? { refresh_token: `AQABAAEAAAD--fixture-refresh-${createHash('sha256').update(client).digest('base64url')}` } : {}),
    }));
  }

  /** The client a token request authenticates as, or the error to answer with. */
  #tokenClient(form: URLSearchParams): string | TokenError {
    const grant = form.get('grant_type');
    const now = Math.floor(Date.now() / 1000);
    if (grant === JWT_BEARER_GRANT) return assertionClient(checkClientAssertion(form.get('assertion') ?? '', this.#trustedKeys, now));
    if (grant !== 'client_credentials') return TOKEN_ERRORS.grant;
    if (form.get('client_assertion_type') === JWT_CLIENT_ASSERTION) {
      return assertionClient(checkClientAssertion(form.get('client_assertion') ?? '', this.#trustedKeys, now));
    }
    const clientId = principalName(SECRET_CLIENT.clientId, REALM);
    return form.get('client_id') === clientId && form.get('client_secret') === SECRET_CLIENT.clientSecret
      ? clientId : TOKEN_ERRORS.secret;
  }
}

interface TokenError {
  readonly error: string;
  readonly error_description: string;
}

const ACS_AUDIENCE = audienceName(Principal.acs, ACS_HOST, REALM);

/** The token endpoint's answers to a bad token request, by what was wrong (AADSTS texts, reference §4.3). */
const TOKEN_ERRORS: Readonly<Record<Exclude<AssertionVerdict, { ok: true }>['why'] | 'grant' | 'secret', TokenError>> = {
  grant: {
    error: 'unsupported_grant_type',
    error_description: 'AADSTS70003: The app requested an unsupported grant type.',
  },
  secret: {
    error: 'invalid_client',
    error_description: 'AADSTS7000215: Invalid client secret provided.',
  },
  malformed: {
    error: 'invalid_request',
    error_description: 'AADSTS50027: JWT token is invalid or malformed.',
  },
  signature: {
    error: 'invalid_request',
    error_description: 'AADSTS70002: Error validating credentials. AADSTS50012: Client assertion contains an invalid signature.',
  },
  time: {
    error: 'invalid_client',
    error_description: 'AADSTS500133: Assertion is not within its valid time range.',
  },
  audience: {
    error: 'invalid_client',
    error_description: `AADSTS50013: Assertion audience claim does not match the required value. The expected audience is '${ACS_AUDIENCE}'.`,
  },
};

function assertionClient(verdict: AssertionVerdict): string | TokenError {
  return verdict.ok ? verdict.issuer : TOKEN_ERRORS[verdict.why];
}

const UNAUTHORIZED_PAGE = '<html><head><title>401 - Unauthorized</title></head><body>401 - Unauthorized</body></html>';

/** The metadata document's ETag: it changes only with the signing certificate. */
export function metadataEtag(cert: SigningKey): string {
  return `"${cert.thumbprint.slice(0, 16)}"`;
}

/** Headers Exchange's front end puts on every response. */
function exchangeHeaders(res: ServerResponse): void {
  res.setHeader('Server', 'Microsoft-IIS/10.0');
  res.setHeader('request-id', randomUUID());
  res.setHeader('X-FEServer', 'EXCH01');
  res.setHeader('X-Powered-By', 'ASP.NET');
}

function diagnosticValue(d: MsDiagnostic): string {
  return `${d.code};reason="${d.reason}";error_category="${d.category}"`;
}

function hostOf(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

/** The host a token's audience must name: the Host header's name, or the server's own name when addressed by IP. */
function audienceHost(req: IncomingMessage): string {
  const host = hostOf(req);
  return isIP(host.replace(/^\[(.*)\]$/, '$1')) ? MAIL_HOST : host;
}

/** RFC 6750 §2.2 `access_token` form body parameter, or the same member of a JSON body. */
function bodyToken(req: IncomingMessage, body: Buffer): string | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(body.toString('utf8')).get('access_token') ?? undefined;
  if (type !== 'application/json') return undefined;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    const token = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['access_token'] : undefined;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 7235 auth-params (`name=value` or `name="value"`), names lower-cased. */
function parseAuthParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    const name = m[1];
    if (name) params[name.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return params;
}

function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Content coding the client asked for first, among those the server speaks. */
function negotiatedEncoding(req: IncomingMessage): 'gzip' | 'br' | 'deflate' | undefined {
  for (const part of (req.headers['accept-encoding'] ?? '').split(',')) {
    const coding = part.split(';')[0]?.trim().toLowerCase();
    if (coding === 'gzip' || coding === 'br' || coding === 'deflate') return coding;
  }
  return undefined;
}

const EWS_RESPONSE =
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">' +
  '<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" ' +
  'xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header><s:Body>' +
  '<m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" ' +
  'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>' +
  '<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders>' +
  '<t:CalendarFolder><t:FolderId Id="AAMkAGZpeHR1cmUtY2FsZW5kYXI=" ChangeKey="AgAAABYAAAA="/></t:CalendarFolder>' +
  '</m:Folders></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>';

const AUTODISCOVER_RESPONSE =
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:a="http://www.w3.org/2005/08/addressing"><s:Body><GetUserSettingsResponseMessage ' +
  'xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover"><Response><ErrorCode>NoError</ErrorCode>' +
  `<UserResponses><UserResponse><UserSettings><UserSetting><Name>ExternalEwsUrl</Name><Value>https://${MAIL_HOST}/EWS/Exchange.asmx</Value>` +
  '</UserSetting></UserSettings></UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>';

/**
 * 200 for an authenticated request: compressed and chunked when the client accepts gzip/br/deflate;
 * otherwise Content-Length, except Autodiscover, which streams its answer in chunks.
 */
function exchangeOk(req: IncomingMessage, res: ServerResponse, path: string): void {
  if (path === '/mapi/emsmdb') {
    res.setHeader('X-RequestType', 'Connect');
    res.setHeader('X-ResponseCode', '0');
    return sendText(res, 200, 'application/mapi-http', 'PROCESSING\r\nDONE\r\nX-ElapsedTime: 3\r\n\r\n');
  }
  const body = path === '/autodiscover/autodiscover.svc' ? AUTODISCOVER_RESPONSE : EWS_RESPONSE;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  const encoding = negotiatedEncoding(req);
  if (encoding) {
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Vary', 'Accept-Encoding');
    const compressor = encoding === 'gzip' ? createGzip() : encoding === 'br' ? createBrotliCompress() : createDeflate();
    compressor.pipe(res);
    compressor.end(body);
    return;
  }
  if (path === '/autodiscover/autodiscover.svc') {
    const middle = Math.floor(body.length / 2);
    res.write(body.slice(0, middle));
    res.end(body.slice(middle));
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Autodiscover v1.0 JSON (anonymous), as Exchange 2019 answers it. */
function autodiscoverJson(res: ServerResponse): void {
  sendText(res, 200, 'application/json; charset=utf-8',
    JSON.stringify({ Protocol: 'EWS', Url: `https://${MAIL_HOST}/EWS/Exchange.asmx` }));
}

/** Legacy POX Autodiscover, answered HTTP/1.0-style: no length, no chunking, the close ends the body. */
function closeDelimited(res: ServerResponse): void {
  res.statusCode = 200;
  res.removeHeader('Transfer-Encoding');
  res.setHeader('Connection', 'close');
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  res.write('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">');
  res.end(`<Response><Account><Protocol><Type>EXPR</Type><Server>${MAIL_HOST}</Server></Protocol></Account></Response></Autodiscover>`);
}

/** A pre-authentication reverse proxy in front of Exchange: NTLM and Basic only, never Bearer. */
function preauthDevice(req: IncomingMessage, res: ServerResponse): void {
  res.removeHeader('X-FEServer');
  res.setHeader('Server', 'BIG-IP');
  res.setHeader('WWW-Authenticate', ['NTLM', `Basic realm="${hostOf(req)}"`]);
  sendText(res, 401, 'text/html', '<html><body>Access denied</body></html>');
}

/** Skype for Business web services (UCWA): Bearer with opaque `cwt=` web tickets (reference §7.9). */
function ucwa(req: IncomingMessage, res: ServerResponse): void {
  res.removeHeader('X-FEServer');
  res.setHeader('X-MS-Server-Fqdn', 'sfbfe01.contoso.test');
  const authorization = req.headers.authorization ?? '';
  if (/^Bearer cwt=/i.test(authorization)) {
    return sendText(res, 200, 'application/vnd.microsoft.com.ucwa+json', JSON.stringify({
      culture: 'en-US', userAgent: 'oauth-inspect-fixture', _links: { self: { href: '/ucwa/oauth/v1/applications/101' } },
    }));
  }
  res.setHeader('WWW-Authenticate', [
    `Bearer trusted_issuers="", client_id="${Principal.skype}"`,
    `MsRtcOAuth href="https://${SFB_WEB_HOST}/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`,
  ]);
  sendText(res, 401, 'text/html', UNAUTHORIZED_PAGE);
}
