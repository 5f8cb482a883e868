// The fixture scenarios: one small capture per quirk, each with the flow that produces it.
import { randomUUID } from 'node:crypto';
import {
  ACS_HOST, EWS_GET_FOLDER, FIXTURE_PORT, MAIL_HOST, MAILBOX_USER, OTHER_MAIL_HOST, OTHER_REALM, PASSWORD_USER, Principal,
  REALM, SECRET_CLIENT, SFB_POOL_HOST, SFB_WEB_HOST, UNKNOWN_USER, audienceName, principalName,
} from './contoso.js';
import {
  curl, keepAliveAgent, localUrl, nodeRequest, rawConnection, type ClientResponse, type NodeRequest,
} from './clients.js';
import { authenticateMessage, findNtlmMessage, negotiateMessage, spnegoInit, spnegoResponse } from './ntlm.js';
import { metadataEtag, type ServerProfile } from './server.js';
import type { FixtureKeys } from './signing-keys.js';
import type { CaptureOptions } from './tcpdump.js';
import {
  appOnlyToken, entraAppToken, jwtClaims, s2sUserToken, tamperPayload, tokenEndpointAssertion,
} from './tokens.js';

export interface ScenarioContext {
  readonly keys: FixtureKeys;
  /** Unix seconds when the scenario starts: tokens are valid (or not) relative to it. */
  readonly now: number;
  /** Changes the server profile for the rest of the scenario (on top of the scenario's own `profile`). */
  reconfigure(change: Partial<ServerProfile>): void;
}

export interface Scenario {
  /** Capture file stem, named after the quirk it shows. */
  readonly name: string;
  readonly shows: string;
  /** Rule ids expected to fire on this capture, besides `cleartext-credential` (see captures/README.md). */
  readonly fires: readonly string[];
  /** Configuration the rules in `fires` need, when the defaults are not enough. */
  readonly firesWith?: string;
  readonly capture?: Partial<CaptureOptions>;
  readonly profile?: Partial<ServerProfile>;
  /** Extra formats written from the recorded pcap. */
  readonly alsoAs?: ReadonlyArray<'pcapng' | 'pcap.gz'>;
  run(ctx: ScenarioContext): Promise<void>;
}

const HOUR = 3600;
/** The ACS-like token endpoint of the fixture tenant. */
const TOKEN_PATH = `/${REALM}/tokens/OAuth/2`;
const SFB_USER_AGENT = 'Microsoft.Rtc.Server.ExchangeStorage/7.0 (oauth-inspect fixture)';
const EXCHANGE_USER_AGENT = 'ExchangeServicesClient/15.02.1544.004 (oauth-inspect fixture)';

/** The EWS GetFolder call SfB's storage service makes, with `Authorization` as given (none when undefined). */
function ews(authorization?: string, extra: Record<string, string> = {}): NodeRequest {
  return {
    method: 'POST',
    path: '/EWS/Exchange.asmx',
    headers: {
      'Content-Type': 'text/xml; charset=utf-8',
      ...(authorization === undefined ? {} : { Authorization: authorization }),
      'client-request-id': randomUUID(),
      'return-client-request-id': 'true',
      'X-AnchorMailbox': 'SMTP:alice@contoso.test',
      'User-Agent': SFB_USER_AGENT,
      ...extra,
    },
    body: EWS_GET_FOLDER,
  };
}

function expectStatus(response: ClientResponse, expected: number, what: string): void {
  if (response.status !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${response.status} ${response.body.toString('utf8').slice(0, 200)}`);
  }
}

/** Sends the requests in order on one keep-alive connection, checks each status, then closes it. */
async function oneConnection(requests: ReadonlyArray<readonly [NodeRequest, number]>): Promise<ClientResponse[]> {
  const agent = keepAliveAgent();
  try {
    const responses: ClientResponse[] = [];
    for (const [request, status] of requests) {
      const response = await nodeRequest(agent, request);
      expectStatus(response, status, `${request.method} ${request.path}`);
      responses.push(response);
    }
    return responses;
  } finally {
    agent.destroy();
  }
}

/** Runs one curl invocation (its `--next` parts share a connection) and checks the printed statuses. */
async function curlExpect(args: readonly string[], statuses: readonly number[]): Promise<void> {
  const out = await curl(args);
  const seen = out.trim().split(/\s+/).map(Number);
  if (seen.join(',') !== statuses.join(',')) throw new Error(`curl statuses ${seen.join(',')}, expected ${statuses.join(',')}`);
}

/** curl options for one request to `url`: body discarded, status printed. */
function curlAt(url: string, ...options: string[]): string[] {
  return ['-o', '/dev/null', '-w', '%{http_code}\\n', ...options, url];
}

/** curl options for one request to the fixture Exchange at 127.0.0.1, with the Host header mail.contoso.test. */
function curlTo(path: string, ...options: string[]): string[] {
  return curlAt(localUrl(path), '-H', `Host: ${MAIL_HOST}`, ...options);
}

/** A form-encoded POST (`application/x-www-form-urlencoded`, no Authorization); a `Host` in `headers` stays first. */
function formPost(path: string, fields: Record<string, string>, headers: Record<string, string>): NodeRequest {
  return {
    method: 'POST',
    path,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

const soapCurlBody = ['-H', 'Content-Type: text/xml; charset=utf-8', '--data-binary', EWS_GET_FOLDER];

/** Probe with an empty Bearer, then the good S2S user-context token: the seed flow. */
async function seedFlow({ keys, now }: ScenarioContext): Promise<void> {
  const token = await s2sUserToken({ now, signer: keys.trusted });
  await oneConnection([[ews('Bearer'), 401], [ews(`Bearer ${token}`), 200]]);
}

/** Expect one rejected (401) S2S request per token, all on one connection. */
async function rejected(tokens: readonly string[]): Promise<void> {
  await oneConnection(tokens.map((token) => [ews(`Bearer ${token}`), 401] as const));
}

const MALFORMED_TOKENS = [
  // A valid header, then a payload cut off mid-JSON, then a signature-like tail.
  `${Buffer.from('{"typ":"JWT","alg":"RS256","x5t":"AAAAAAAAAAAAAAAAAAAAAAAAAAA"}').toString('base64url')}.` +
    `${Buffer.from(`{"aud":"${Principal.exchange}/${MAIL_HOST}@${REALM}","iss":"00000001-0`).toString('base64url')}.c2lnbmF0dXJl`,
  // Two segments only.
  `${Buffer.from('{"typ":"JWT","alg":"none"}').toString('base64url')}.eyJpc3MiOiJ0cnVuY2F0ZWQ`,
];

/** A Skype for Business web ticket: opaque, not a JWT (reference §7.9). */
const SFB_WEB_TICKET = `cwt=AAEB${Buffer.from('HAEFAAAAAAAFFQAAAMtVXyGzXE0pO2Fyc2Z-fixture-web-ticket-for-alice').toString('base64')}`;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 's2s-good',
    shows: 'SfB Online -> Exchange seed flow on one keep-alive connection: empty `Bearer` probe, 401 challenge (separate WWW-Authenticate headers), then the unsigned outer token with its RS256 `actortoken` -> 200.',
    fires: [],
    run: seedFlow,
  },
  {
    name: 's2s-app-only',
    shows: 'App-only tokens sent directly: an ACS actor-style token (`trustedfordelegation` "false") and an Entra v1 token (`iss` `https://sts.windows.net/<tid>/`, numeric dates, `aud` `https://mail.contoso.test`); both 200.',
    fires: [],
    async run({ keys, now }) {
      await oneConnection([
        [ews(`Bearer ${await appOnlyToken({ now, signer: keys.trusted })}`), 200],
        [ews(`Bearer ${await entraAppToken(keys.trusted, now, `https://${MAIL_HOST}`)}`), 200],
      ]);
    },
  },
  {
    name: 'partner-token-accepted',
    shows: 'A healthy SfB Server partner application whose tokens are self-issued, while the challenge names only ACS (`trusted_issuers="00000001-…@*"`): the empty `Bearer` probe (401), a user-context token whose RS256 actor is issued by SfB itself (actor `iss` = outer `iss` = `nameid` = `00000004-…@<realm>`, x5t of the trusted certificate) and an app-only token with `iss` `00000004-…@<realm>`; both 200, as Exchange accepts a partner application through its certificate.',
    fires: ['issuer-not-trusted (note: accepted)'],
    async run({ keys, now }) {
      const sfb = principalName(Principal.skype, REALM);
      await oneConnection([
        [ews('Bearer'), 401],
        [ews(`Bearer ${await s2sUserToken({ now, signer: keys.trusted, actorIssuer: sfb })}`), 200],
        [ews(`Bearer ${await appOnlyToken({ now, signer: keys.trusted, issuer: sfb })}`), 200],
      ]);
    },
  },
  {
    name: 'issuer-bad-format',
    shows: 'Issuers that are not `<guid>@<realm>`: an app-only token with `iss` lacking the realm, and an outer token whose `iss` (and actor `nameid`) is `sfb.contoso.test@<realm>`; both 401 invalid_token.',
    fires: ['s2s-issuer-format', 'issuer-not-trusted'],
    async run({ keys, now }) {
      const badIssuer = `sfb.contoso.test@${REALM}`;
      await rejected([
        await appOnlyToken({ now, signer: keys.trusted, issuer: Principal.acs }),
        await s2sUserToken({ now, signer: keys.trusted, outerIssuer: badIssuer }),
      ]);
    },
  },
  {
    name: 'issuer-slash-variant',
    shows: 'Outer issuer in the "/ before the @" forms: `00000004-…/@<realm>` and `00000004-…/sfbpool.contoso.test@<realm>` (actor `nameid` equal); the server accepts both (200).',
    fires: [],
    async run({ keys, now }) {
      await oneConnection([
        [ews(`Bearer ${await s2sUserToken({ now, signer: keys.trusted, outerIssuer: `${Principal.skype}/@${REALM}` })}`), 200],
        [ews(`Bearer ${await s2sUserToken({ now, signer: keys.trusted, outerIssuer: `${Principal.skype}/${SFB_POOL_HOST}@${REALM}` })}`), 200],
      ]);
    },
  },
  {
    name: 'issuer-unexpected-principal',
    shows: 'User-context token whose issuer principal is SharePoint (`00000003-…@<realm>`), not Skype: 401 invalid_token (no partner application).',
    fires: ['s2s-issuer-format'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({ now, signer: keys.trusted, outerIssuer: principalName(Principal.sharePoint, REALM) })]);
    },
  },
  {
    name: 'audience-wrong-host',
    shows: '`aud` host mail.fabrikam.test while the request goes to Host mail.contoso.test: 401 with x-ms-diagnostics 2000003 (invalid_resource).',
    fires: ['s2s-audience-format', 'ms-diagnostics'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({ now, signer: keys.trusted, audience: audienceName(Principal.exchange, OTHER_MAIL_HOST, REALM) })]);
    },
  },
  {
    name: 'ip-literal-host',
    shows: 'The app-only token of `s2s-app-only` (`aud` host mail.contoso.test) sent by curl to http://127.0.0.1:18080 with no Host override (Host `127.0.0.1:18080`), then with `--resolve` to http://mail.contoso.test:18080 (Host the name); both 200: addressed by IP, the server checks the audience against its own name.',
    fires: [],
    async run({ keys, now }) {
      const auth = `Authorization: Bearer ${await appOnlyToken({ now, signer: keys.trusted })}`;
      const byName = `${MAIL_HOST}:${FIXTURE_PORT}`;
      await curlExpect([
        ...curlAt(localUrl('/EWS/Exchange.asmx'), '-H', auth, ...soapCurlBody),
        '--next', ...curlAt(`http://${byName}/EWS/Exchange.asmx`, '--resolve', `${byName}:127.0.0.1`, '-H', auth, ...soapCurlBody),
      ], [200, 200]);
    },
  },
  {
    name: 'realm-mismatch',
    shows: 'Issuer realm (tenant A) differs from the `aud` realm (tenant B): 401 with x-ms-diagnostics 2000004 (invalid_tenant).',
    fires: ['s2s-realm-mismatch', 'ms-diagnostics'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({ now, signer: keys.trusted, audience: audienceName(Principal.exchange, MAIL_HOST, OTHER_REALM) })]);
    },
  },
  {
    name: 'actor-chain-broken',
    shows: 'Outer `iss` `00000004-…@<realm>` but the actor token\'s `nameid` is `00000002-…@<realm>`: 401 invalid_token.',
    fires: ['s2s-actor-chain'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({ now, signer: keys.trusted, actorNameId: principalName(Principal.exchange, REALM) })]);
    },
  },
  {
    name: 'outer-without-actor',
    shows: 'An `alg:none` outer token with no `actortoken` claim: 401 invalid_token.',
    fires: ['token-unsigned'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({ now, signer: keys.trusted, withActor: false })]);
    },
  },
  {
    name: 'token-expired',
    shows: 'Outer and actor tokens whose `exp` is one hour before the capture time: 401 invalid_token.',
    fires: ['token-expired'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({
        now, signer: keys.trusted,
        outerValidity: { nbf: now - 9 * HOUR, exp: now - HOUR },
        actorValidity: { nbf: now - 25 * HOUR - 300, exp: now - HOUR },
      })]);
    },
  },
  {
    name: 'token-not-yet-valid',
    shows: 'Outer and actor tokens whose `nbf` is one hour after the capture time: 401 invalid_token.',
    fires: ['token-not-yet-valid'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({
        now, signer: keys.trusted,
        outerValidity: { nbf: now + HOUR, exp: now + 9 * HOUR },
        actorValidity: { nbf: now + HOUR, exp: now + 25 * HOUR + 300 },
      })]);
    },
  },
  {
    name: 'token-malformed',
    shows: 'JWT-shaped Bearer values that do not decode: a payload cut off mid-JSON, and a two-segment token; both 401 invalid_token.',
    fires: ['token-malformed'],
    run: () => rejected(MALFORMED_TOKENS),
  },
  {
    name: 'token-bad-signature',
    shows: 'App-only token whose payload was changed after signing (`trustedfordelegation` "false" -> "true"): 401 with x-ms-diagnostics 2000000 (invalid_signature).',
    fires: ['token-signature-invalid', 'ms-diagnostics'],
    async run({ keys, now }) {
      const token = await appOnlyToken({ now, signer: keys.trusted });
      await rejected([tamperPayload(token, (claims) => ({ ...claims, trustedfordelegation: 'true' }))]);
    },
  },
  {
    name: 'token-unknown-signer',
    shows: 'Seed-shaped token whose actor is signed by other-signer-cert (x5t unknown to the server): 401 with x-ms-diagnostics 2000000.',
    fires: ['token-unknown-signer', 'ms-diagnostics'],
    async run({ keys, now }) {
      await rejected([await s2sUserToken({ now, signer: keys.other })]);
    },
  },
  {
    name: 'token-in-url',
    shows: '`GET /EWS/Exchange.asmx?access_token=<Entra JWT>`: a token in the request URI (accepted, 200).',
    fires: ['token-in-url'],
    async run({ keys, now }) {
      const token = await entraAppToken(keys.trusted, now, Principal.exchange);
      await oneConnection([[{ method: 'GET', path: `/EWS/Exchange.asmx?access_token=${token}`, headers: { 'User-Agent': EXCHANGE_USER_AGENT } }, 200]]);
    },
  },
  {
    name: 'form-token',
    shows: 'RFC 6750 §2.2 form-encoded body parameter: `POST /EWS/Exchange.asmx` with `Content-Type: application/x-www-form-urlencoded` and body `access_token=<JWT>`, no Authorization header: an app-only token (200), then one whose `exp` is one hour before the capture time (401 invalid_token).',
    fires: ['token-expired'],
    async run({ keys, now }) {
      const post = (token: string): NodeRequest => formPost('/EWS/Exchange.asmx', { access_token: token }, { 'User-Agent': SFB_USER_AGENT });
      const expired = { nbf: now - 25 * HOUR - 300, exp: now - HOUR };
      await oneConnection([
        [post(await appOnlyToken({ now, signer: keys.trusted })), 200],
        [post(await appOnlyToken({ now, signer: keys.trusted, validity: expired })), 401],
      ]);
    },
  },
  {
    name: 'json-token',
    shows: 'A token in a JSON body: `POST /EWS/Exchange.asmx` with `Content-Type: application/json` and `{"access_token":"<JWT>",…}`, no Authorization header; the app-only token\'s `aud` names mail.fabrikam.test while Host is mail.contoso.test: 401 with x-ms-diagnostics 2000003 (invalid_resource).',
    fires: ['s2s-audience-format', 'ms-diagnostics'],
    async run({ keys, now }) {
      const token = await appOnlyToken({ now, signer: keys.trusted, audience: audienceName(Principal.exchange, OTHER_MAIL_HOST, REALM) });
      const body = JSON.stringify({ access_token: token, mailbox: MAILBOX_USER.smtp, folder: 'calendar' });
      await oneConnection([[{
        method: 'POST', path: '/EWS/Exchange.asmx', headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': SFB_USER_AGENT }, body,
      }, 401]]);
    },
  },
  {
    name: 'token-endpoint',
    shows: 'ACS-like token endpoint (Host accounts.accesscontrol.windows.net): a JWT-bearer `assertion` grant and a `client_credentials` grant with `client_secret`; JSON responses with `access_token`, `refresh_token` and string `expires_in`/`not_before`/`expires_on`.',
    fires: [],
    async run({ keys, now }) {
      const form = (fields: Record<string, string>): NodeRequest =>
        formPost(TOKEN_PATH, fields, { Host: ACS_HOST, 'User-Agent': EXCHANGE_USER_AGENT });
      await oneConnection([
        [form({
          grant_type: 'http://oauth.net/grant_type/jwt/1.0/bearer',
          assertion: await tokenEndpointAssertion(keys.trusted, now),
          resource: audienceName(Principal.exchange, MAIL_HOST, REALM),
        }), 200],
        [form({
          grant_type: 'client_credentials',
          client_id: principalName(SECRET_CLIENT.clientId, REALM),
          client_secret: SECRET_CLIENT.clientSecret,
          resource: audienceName(Principal.sharePoint, 'sharepoint.contoso.test', REALM),
        }), 200],
      ]);
    },
  },
  {
    name: 'client-assertion',
    shows: 'RFC 7523 client assertions at the token endpoint (`/<realm>/tokens/OAuth/2`) reached by address (Host `127.0.0.1:18080`, as in a relay or test setup): `grant_type=client_credentials` with `client_assertion_type=…jwt-bearer` and an SfB `client_assertion` (`iss` `00000004-…@<realm>`). A good assertion -> 200 with a valid `access_token`; an assertion whose `aud` names Exchange instead of the token service -> 400 `invalid_client` (AADSTS50013); then, on a second connection, a good assertion -> 200 from a token service whose clock is 25 h behind, so the `access_token` it returns expired an hour before the capture time.',
    fires: ['s2s-audience-format', 'token-expired'],
    async run({ keys, now, reconfigure }) {
      const resource = audienceName(Principal.exchange, MAIL_HOST, REALM);
      const client = principalName(Principal.skype, REALM);
      const request = async (audience?: string): Promise<NodeRequest> => formPost(TOKEN_PATH, {
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await tokenEndpointAssertion(keys.trusted, now, audience === undefined ? { client } : { client, audience }),
        resource,
      }, { Host: `127.0.0.1:${FIXTURE_PORT}`, 'User-Agent': SFB_USER_AGENT });
      const accessTokenExp = (response: ClientResponse): number =>
        Number(jwtClaims(String((JSON.parse(response.body.toString('utf8')) as { access_token?: unknown }).access_token))['exp']);
      const [good] = await oneConnection([[await request(), 200], [await request(resource), 400]]);
      if (!good || accessTokenExp(good) <= now) throw new Error('the token endpoint issued no valid access_token');
      reconfigure({ tokenServiceClockOffset: -25 * HOUR });
      const [stale] = await oneConnection([[await request(), 200]]);
      if (!stale || accessTokenExp(stale) > now - HOUR) throw new Error('the token endpoint issued no expired access_token');
    },
  },
  {
    name: 'jwt-cookie',
    shows: 'A JWT carried in a Cookie (`access_token=<jwt>`) next to an ordinary cookie; Exchange ignores cookies, so 401 with the challenge.',
    fires: [],
    async run({ keys, now }) {
      const token = await appOnlyToken({ now, signer: keys.trusted });
      await oneConnection([[ews(undefined, { Cookie: `X-BackEndCookie=alice@contoso.test=fixture; access_token=${token}` }), 401]]);
    },
  },
  {
    name: 'opaque-bearer',
    shows: 'SfB web services (UCWA, Host lyncweb.contoso.test): anonymous GET -> 401 with `Bearer` + `MsRtcOAuth` challenges, then `Authorization: Bearer cwt=AAEB…` (opaque web ticket, not a JWT) -> 200.',
    fires: [],
    async run() {
      const get = (authorization?: string): NodeRequest => ({
        method: 'GET',
        path: '/ucwa/oauth/v1/applications',
        headers: { Host: SFB_WEB_HOST, Accept: 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      });
      await oneConnection([[get(), 401], [get(`Bearer ${SFB_WEB_TICKET}`), 200]]);
    },
  },
  {
    name: 'basic-auth',
    shows: 'curl --basic to EWS: a wrong password (401), then the right one (200), on one connection.',
    fires: ['no-basic-auth'],
    async run() {
      const user = `${PASSWORD_USER.user}:${PASSWORD_USER.password}`;
      await curlExpect([
        ...curlTo('/EWS/Exchange.asmx', '--basic', '--user', `${PASSWORD_USER.user}:wrong-password`, ...soapCurlBody),
        '--next', ...curlTo('/EWS/Exchange.asmx', '--basic', '--user', user, ...soapCurlBody),
      ], [401, 200]);
    },
  },
  {
    name: 'control-chars',
    shows: 'Terminal escape sequences in request fields: curl --basic with the user name `ESC]0;pwned BEL eve ESC[2J` (a title change and a screen clear; 401), then a raw request whose Host carries `ESC[2J` and whose User-Agent carries `ESC]0;x BEL` (the server answers 400 Bad Request).',
    fires: ['no-basic-auth'],
    async run() {
      await curlExpect(curlTo('/EWS/Exchange.asmx', '--basic', '--user', `\x1b]0;pwned\x07eve\x1b[2J:${PASSWORD_USER.password}`, ...soapCurlBody), [401]);
      const response = await rawConnection([{
        write: `GET /EWS/Exchange.asmx HTTP/1.1\r\nHost: ${MAIL_HOST}\x1b[2J\r\nUser-Agent: ${SFB_USER_AGENT}\x1b]0;x\x07\r\nConnection: close\r\n\r\n`,
      }]);
      if (!response.toString('latin1').startsWith('HTTP/1.1 400')) throw new Error('escape sequences in headers were not answered 400');
    },
  },
  {
    name: 'ntlm-handshake',
    shows: 'curl --ntlm to EWS: NEGOTIATE (type 1) -> 401 with a CHALLENGE (type 2: target name, flags, challenge, AV pairs) -> AUTHENTICATE (type 3) -> 200, on one connection.',
    fires: ['no-legacy-auth'],
    async run() {
      await curlExpect(curlTo('/EWS/Exchange.asmx', '--ntlm', '--user', `${PASSWORD_USER.domain}\\${PASSWORD_USER.account}:${PASSWORD_USER.password}`, ...soapCurlBody), [200]);
    },
  },
  {
    name: 'negotiate-ntlm',
    shows: 'Node client to /mapi/emsmdb with `Authorization: Negotiate` SPNEGO NegTokenInit wrapping NTLMSSP type 1, the NegTokenResp challenge, then type 3 wrapped in NegTokenResp -> 200.',
    fires: ['no-legacy-auth'],
    async run() {
      const mapi = (authorization: string): NodeRequest => ({
        method: 'POST',
        path: '/mapi/emsmdb',
        headers: {
          'Content-Type': 'application/mapi-http', 'X-RequestType': 'Connect', 'X-ClientInfo': `${randomUUID()}:1`,
          'X-RequestId': `${randomUUID()}:1`, 'User-Agent': 'Microsoft Office/16.0 (oauth-inspect fixture)', Authorization: authorization,
        },
        body: Buffer.alloc(16),
      });
      const agent = keepAliveAgent();
      try {
        const first = await nodeRequest(agent, mapi(`Negotiate ${spnegoInit(negotiateMessage()).toString('base64')}`));
        expectStatus(first, 401, 'Negotiate type 1');
        const header = String(first.headers['www-authenticate'] ?? '');
        const challenge = findNtlmMessage(Buffer.from(header.replace(/^Negotiate /, ''), 'base64'));
        if (!challenge) throw new Error(`no NTLM challenge in ${header}`);
        const authenticate = authenticateMessage(challenge, {
          domain: PASSWORD_USER.domain, user: PASSWORD_USER.account, workstation: 'SFBFE01', password: PASSWORD_USER.password,
        }, Date.now());
        const second = await nodeRequest(agent, mapi(`Negotiate ${spnegoResponse({ responseToken: authenticate }).toString('base64')}`));
        expectStatus(second, 200, 'Negotiate type 3');
      } finally {
        agent.destroy();
      }
    },
  },
  {
    name: 'digest-auth',
    shows: 'curl --digest against a server that also offers Digest: 401 with the Digest challenge, then `Authorization: Digest username=…, response=…` -> 200.',
    fires: ['no-legacy-auth'],
    profile: { offerDigest: true },
    async run() {
      await curlExpect(curlTo('/EWS/Exchange.asmx', '--digest', '--user', `${PASSWORD_USER.user}:${PASSWORD_USER.password}`), [200]);
    },
  },
  {
    name: 'preauth-device-401',
    shows: 'A pre-authentication device in front of Exchange (/preauth/…): the empty-Bearer probe and an anonymous GET both get 401 with only `WWW-Authenticate: NTLM` and `Basic realm=…`, no Bearer challenge.',
    fires: ['challenge-without-bearer'],
    async run() {
      await oneConnection([
        [{ ...ews('Bearer'), path: '/preauth/EWS/Exchange.asmx' }, 401],
        [{ method: 'GET', path: '/preauth/autodiscover/autodiscover.svc', headers: { 'User-Agent': SFB_USER_AGENT } }, 401],
      ]);
    },
  },
  {
    name: 'issuer-not-trusted',
    shows: 'The challenge announces only `trusted_issuers="00000001-0002-0000-c000-000000000000@*"` (21Vianet ACS); the client then sends a global-ACS token -> 401 invalid_token.',
    fires: ['issuer-not-trusted'],
    profile: { trustedIssuers: [`${Principal.acsChina}@*`] },
    async run({ keys, now }) {
      await oneConnection([[ews('Bearer'), 401], [ews(`Bearer ${await s2sUserToken({ now, signer: keys.trusted })}`), 401]]);
    },
  },
  {
    name: 'diagnostics',
    shows: 'One 401 per x-ms-diagnostics code (2000000 invalid_signature, 2000003 invalid_resource, 2000004 invalid_tenant for realm contoso.com, 2000005 invalid_user), with the comma-joined single WWW-Authenticate layout (token_types, authorization_uri, error="invalid_token", Negotiate, NTLM, Basic).',
    fires: ['ms-diagnostics', 'token-signature-invalid', 's2s-audience-format', 's2s-issuer-format'],
    profile: { challengeLayout: 'joined' },
    async run({ keys, now }) {
      const domainRealm = 'contoso.com';
      await rejected([
        tamperPayload(await appOnlyToken({ now, signer: keys.trusted }), (claims) => ({ ...claims, nameid: principalName(Principal.exchange, REALM) })),
        await appOnlyToken({ now, signer: keys.trusted, audience: audienceName(Principal.exchange, OTHER_MAIL_HOST, REALM) }),
        await appOnlyToken({
          now, signer: keys.trusted, issuer: principalName(Principal.acs, domainRealm),
          nameid: principalName(Principal.skype, domainRealm), audience: audienceName(Principal.exchange, MAIL_HOST, domainRealm),
        }),
        await s2sUserToken({ now, signer: keys.trusted, smtp: UNKNOWN_USER }),
      ]);
    },
  },
  {
    name: 'discovery-diagnostics',
    shows: 'Discovery as Exchange answers it: an EWS POST without Authorization and the empty `Bearer` probe each get the usual 401 challenge plus `x-ms-diagnostics: 2000000;reason="The token should be present in the Authorization header.";error_category="invalid_token"`; then the seed S2S token -> 200, on one connection.',
    fires: [],
    profile: { diagnoseMissingToken: true },
    async run({ keys, now }) {
      const token = await s2sUserToken({ now, signer: keys.trusted });
      const responses = await oneConnection([[ews(), 401], [ews('Bearer'), 401], [ews(`Bearer ${token}`), 200]]);
      if (!responses.slice(0, 2).every((r) => String(r.headers['x-ms-diagnostics']).startsWith('2000000;'))) {
        throw new Error('the token-less 401s carry no x-ms-diagnostics');
      }
    },
  },
  {
    name: 'keepalive-pipelining',
    shows: 'A raw client writes three requests in one segment on one connection (metadata GET, EWS POST with an app-only token, Autodiscover JSON GET with `Connection: close`); responses come back in order.',
    fires: [],
    async run({ keys, now }) {
      const token = await appOnlyToken({ now, signer: keys.trusted });
      const host = `Host: ${MAIL_HOST}\r\n`;
      const response = await rawConnection([{
        write:
          `GET /autodiscover/metadata/json/1 HTTP/1.1\r\n${host}Accept: application/json\r\n\r\n` +
          `POST /EWS/Exchange.asmx HTTP/1.1\r\n${host}Content-Type: text/xml; charset=utf-8\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Length: ${Buffer.byteLength(EWS_GET_FOLDER)}\r\n\r\n${EWS_GET_FOLDER}` +
          `GET /autodiscover/autodiscover.json/v1.0/alice@contoso.test?Protocol=EWS HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
      }]);
      const statuses = [...response.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
      if (statuses.join(',') !== '200,200,200') throw new Error(`pipelined statuses ${statuses.join(',')}`);
    },
  },
  {
    name: 'chunked-gzip',
    shows: 'A chunked request body with a chunked gzip response (EWS), then chunked br (Autodiscover SOAP) and deflate (EWS) responses, on one connection.',
    fires: [],
    async run({ keys, now }) {
      const auth = `Bearer ${await appOnlyToken({ now, signer: keys.trusted })}`;
      const half = Math.floor(EWS_GET_FOLDER.length / 2);
      const base = ews(auth);
      await oneConnection([
        [{ method: 'POST', path: base.path, headers: { ...base.headers, 'Accept-Encoding': 'gzip' }, chunkedBody: [EWS_GET_FOLDER.slice(0, half), EWS_GET_FOLDER.slice(half)] }, 200],
        [{ ...base, path: '/autodiscover/autodiscover.svc', headers: { ...base.headers, 'Accept-Encoding': 'br' } }, 200],
        [{ ...base, headers: { ...base.headers, 'Accept-Encoding': 'deflate' } }, 200],
      ]);
    },
  },
  {
    name: 'split-header',
    shows: 'A raw client (no Nagle) writes the request line and half the Authorization header, pauses 50 ms, then writes the rest: the request head spans TCP segments.',
    fires: [],
    async run({ keys, now }) {
      const token = await appOnlyToken({ now, signer: keys.trusted });
      const half = Math.floor(token.length / 2);
      const response = await rawConnection([
        { write: `POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: ${MAIL_HOST}\r\nContent-Type: text/xml; charset=utf-8\r\nAuthorization: Bearer ${token.slice(0, half)}` },
        { pauseMs: 50 },
        { write: `${token.slice(half)}\r\nContent-Length: ${Buffer.byteLength(EWS_GET_FOLDER)}\r\nConnection: close\r\n\r\n${EWS_GET_FOLDER}` },
      ]);
      if (!response.toString('latin1').startsWith('HTTP/1.1 200')) throw new Error('split-header request was not accepted');
    },
  },
  {
    name: 'ipv6',
    shows: 'curl -g to http://[::1]:18080: the empty-Bearer probe (401) and an app-only token (200) over IPv6 loopback.',
    fires: [],
    async run({ keys, now }) {
      const token = await appOnlyToken({ now, signer: keys.trusted });
      const to = (auth: string): string[] =>
        ['-g', '-H', `Host: ${MAIL_HOST}`, '-H', `Authorization: ${auth}`, '-o', '/dev/null', '-w', '%{http_code}\\n', ...soapCurlBody, localUrl('/EWS/Exchange.asmx', '[::1]')];
      await curlExpect([...to('Bearer'), '--next', ...to(`Bearer ${token}`)], [401, 200]);
    },
  },
  {
    name: 'head-304-100',
    shows: 'curl on one connection: HEAD to EWS with a token (200, no body), a conditional metadata GET answered 304, and a POST with `Expect: 100-continue` (interim 100, then 200).',
    fires: [],
    async run({ keys, now }) {
      const auth = `Authorization: Bearer ${await appOnlyToken({ now, signer: keys.trusted })}`;
      await curlExpect([
        ...curlTo('/EWS/Exchange.asmx', '--head', '-H', auth),
        '--next', ...curlTo('/autodiscover/metadata/json/1', '-H', `If-None-Match: ${metadataEtag(keys.trusted)}`),
        '--next', ...curlTo('/EWS/Exchange.asmx', '-H', auth, '-H', 'Expect: 100-continue', ...soapCurlBody),
      ], [200, 304, 200]);
    },
  },
  {
    name: 'close-delimited',
    shows: 'Responses without Content-Length or chunking, ended by the server closing: legacy POX Autodiscover over HTTP/1.1, and Autodiscover SOAP to an HTTP/1.0 client.',
    fires: [],
    async run({ keys, now }) {
      await curlExpect(curlTo('/autodiscover/autodiscover.xml'), [200]);
      const auth = `Authorization: Bearer ${await appOnlyToken({ now, signer: keys.trusted })}`;
      await curlExpect(curlTo('/autodiscover/autodiscover.svc', '--http1.0', '-H', auth, ...soapCurlBody), [200]);
    },
  },
  {
    name: 'sample-sfb-exchange',
    shows: 'A realistic mixed session (the `npm start` demo): metadata fetch, empty-Bearer probe, challenge, good S2S token to EWS and Autodiscover, a Basic fallback, and an NTLM handshake to MAPI. Also written as .pcapng and .pcap.gz.',
    fires: ['no-basic-auth', 'no-legacy-auth'],
    alsoAs: ['pcapng', 'pcap.gz'],
    async run({ keys, now }) {
      const token = await s2sUserToken({ now, signer: keys.trusted });
      await oneConnection([
        [{ method: 'GET', path: '/autodiscover/metadata/json/1', headers: { 'User-Agent': SFB_USER_AGENT } }, 200],
        [ews('Bearer'), 401],
        [ews(`Bearer ${token}`), 200],
        [{ ...ews(`Bearer ${token}`), path: '/autodiscover/autodiscover.svc' }, 200],
      ]);
      await curlExpect(curlTo('/EWS/Exchange.asmx', '--basic', '--user', `${PASSWORD_USER.user}:${PASSWORD_USER.password}`, ...soapCurlBody), [200]);
      await curlExpect(curlTo('/mapi/emsmdb', '--ntlm', '--user', `${PASSWORD_USER.domain}\\${PASSWORD_USER.account}:${PASSWORD_USER.password}`,
        '-H', 'Content-Type: application/mapi-http', '-H', 'X-RequestType: Connect', '--data-binary', 'connect'), [200]);
    },
  },
  {
    name: 'pcap-nanosecond',
    shows: 'The seed flow recorded with `tcpdump --time-stamp-precision=nano` (pcap magic a1b23c4d).',
    fires: [],
    capture: { nanosecond: true },
    run: seedFlow,
  },
  {
    name: 'linux-sll2',
    shows: 'The seed flow recorded with `tcpdump -i any -y LINUX_SLL2` (link type 276).',
    fires: [],
    capture: { iface: 'any' },
    run: seedFlow,
  },
  {
    name: 'snaplen-96',
    shows: 'The seed flow (empty-Bearer probe -> 401, seed token -> 200) and a curl --basic request (200), recorded with `tcpdump -s 96`: every frame is cut at 96 bytes, so only the start of each request line is left and no credential can be read.',
    fires: ['capture-unreadable'],
    capture: { snaplen: 96 },
    async run(ctx) {
      await seedFlow(ctx);
      await curlExpect(curlTo('/EWS/Exchange.asmx', '--basic', '--user', `${PASSWORD_USER.user}:${PASSWORD_USER.password}`, ...soapCurlBody), [200]);
    },
  },
];

