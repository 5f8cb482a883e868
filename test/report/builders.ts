// Hand-built scan data for the report tests: sightings, findings and one realistic scan (its exchanges from makeExchange).
import { maskCredentialsIn } from '../../src/rules/mask-text.js';
import { exchangePlaceOf, Secret } from '../../src/model/index.js';
import type {
  Anomaly,
  CredentialSighting,
  DecodedExchange,
  DecodedJwt,
  ExchangeId,
  Finding,
  HttpExchange,
  RuleError,
  ScanResult,
  Severity,
} from '../../src/model/index.js';
import { mayHoldPassword } from '../../src/decode/decode-exchange.js';
import { exitCodeFor, type FailOn } from '../../src/report/exit-code.js';
import type { ReportMeta, ReportRule } from '../../src/report/report-meta.js';
import { makeExchange, type ExchangeInput } from '../factories.js';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS from a header, claims and a signature segment (empty for alg none). */
export function compactJwt(header: object, claims: object, signature: string): string {
  return `${base64url(header)}.${base64url(claims)}.${signature}`;
}

/** What decode makes of a compact JWS (no verification), given its actor when it has one. */
export function decodedJwt(compact: string, actor?: DecodedJwt): DecodedJwt {
  const [header = '', claims = '', signature = ''] = compact.split('.');
  const parsedClaims = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>;
  const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
  const numeric = (name: string): { [key: string]: number } => {
    const value = parsedClaims[name];
    return value === undefined ? {} : { [name]: Number(value) };
  };
  const x5t = parsedHeader['x5t'];
  return {
    header: parsedHeader,
    claims: parsedClaims,
    unsigned: signature === '',
    compact: new Secret(compact),
    ...(typeof x5t === 'string' ? { x5tThumbprint: Buffer.from(x5t, 'base64url').toString('hex') } : {}),
    ...numeric('nbf'),
    ...numeric('exp'),
    ...numeric('iat'),
    ...(actor ? { actor } : {}),
  };
}

/** A sighting in the exchange numbered `exchangeId`. */
export function sighting(
  exchangeId: ExchangeId,
  id: string,
  fields: Pick<CredentialSighting, 'scheme' | 'schemeName' | 'decoded'> & {
    raw: string;
    location?: CredentialSighting['location'];
    direction?: CredentialSighting['direction'];
  },
): CredentialSighting {
  return {
    kind: 'credential',
    id,
    exchangeId,
    direction: fields.direction ?? 'request',
    location: fields.location ?? { type: 'header', name: 'Authorization', index: 0 },
    scheme: fields.scheme,
    schemeName: fields.schemeName,
    value: new Secret(fields.raw, { lowEntropy: mayHoldPassword(fields.scheme, fields.decoded) }),
    decoded: fields.decoded,
  };
}

/** What a finding or rule error on `decoded` carries of its exchange, as the rule engine sets it. */
export function about(decoded: DecodedExchange): Required<Pick<Finding, 'exchangeId' | 'place'>> {
  return { exchangeId: decoded.exchangeId, place: exchangePlaceOf(decoded.exchange) };
}

/** A finding on `decoded`, about the sighting `about` when given. */
export function finding(
  decoded: DecodedExchange,
  ruleId: string,
  severity: Severity,
  message: string,
  subject?: CredentialSighting,
  messageId = 'default',
): Finding {
  return {
    ruleId,
    severity,
    // As the rule engine hands findings over: credential values in the message already masked.
    message: maskCredentialsIn(message, subject ? [subject] : []),
    messageId,
    data: { host: 'mail.contoso.com' },
    ...about(decoded),
    ...(subject ? { sighting: subject, fingerprint: subject.value.fingerprint } : {}),
    fix: `the fix for ${ruleId}`,
    docs: `docs/rules/${ruleId}.md`,
  };
}

/** The DecodedExchange of `ex`, numbered `exchangeId`. */
export function decodedExchange(
  exchangeId: ExchangeId,
  ex: HttpExchange,
  credentials: CredentialSighting[] = [],
  extra: Partial<DecodedExchange> = {},
): DecodedExchange {
  return { exchangeId, exchange: ex, credentials, challenges: [], diagnostics: [], ...extra };
}

export const REALM = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
export const SFB = '00000004-0000-0ff1-ce00-000000000000';
export const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
export const S2S_CAPTURE = 'captures/s2s-sfb-exchange.pcapng';
export const LEGACY_CAPTURE = 'captures/legacy auth.pcap';

/** What the sample S2S exchanges share: EWS over TLS 1.2 to mail.contoso.com (10.0.0.20:443), in S2S_CAPTURE. */
const S2S_EXCHANGE = {
  origin: { kind: 'pcapng', file: S2S_CAPTURE },
  server: { ip: '10.0.0.20', port: 443 },
  scheme: 'https',
  tls: { version: 'TLS 1.2', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', sni: 'mail.contoso.com' },
  method: 'POST',
  uri: '/EWS/Exchange.asmx',
  host: 'mail.contoso.com',
  reason: 'OK',
} as const satisfies ExchangeInput;

/** What the sample legacy-auth exchanges share: plain HTTP to mail.contoso.com (10.0.0.20:80), in LEGACY_CAPTURE. */
const LEGACY_EXCHANGE = {
  origin: { kind: 'pcapng', file: LEGACY_CAPTURE },
  server: { ip: '10.0.0.20', port: 80 },
  scheme: 'http',
  method: 'POST',
  host: 'mail.contoso.com',
  reason: 'OK',
} as const satisfies ExchangeInput;

/**
 * Where and when a sample exchange was seen: client 10.0.0.5 port 50000 + stream, the request in
 * `frame` at 1_700_000_000 + frame s (+ 0.25 s), the response in `responseFrame` a second after it.
 */
function seenAt(stream: number, frame: number, responseFrame: number) {
  return {
    stream,
    client: { ip: '10.0.0.5', port: 50_000 + stream },
    frame,
    time: { sec: 1_700_000_000 + frame, nsec: 250_000_000 },
    responseFrame,
    responseTime: { sec: 1_700_000_000 + frame + 1, nsec: 0 },
  } satisfies ExchangeInput;
}

export const RULES: readonly ReportRule[] = [
  rule('actor-token-expired', 'error', 'Actor token used after it expired'),
  rule('issuer-not-trusted', 'warning', 'Token issuer not in the trusted_issuers the server announced'),
  rule('no-basic-auth', 'error', 'HTTP Basic credentials on the wire'),
  rule('ntlm-over-http', 'warning', 'NTLM authentication over plain HTTP'),
  rule('token-in-query', 'error', 'Access token in the request URL'),
  rule('unsigned-outer-token', 'note', 'Outer S2S token is unsigned (alg none), as SfB sends it'),
  rule('x5t-unknown', 'note', 'Actor token signed by an unknown certificate'),
];

function rule(id: string, severity: Severity, title: string): ReportRule {
  return { id, severity, title, description: `${title}. See the rule page for why it matters and how to fix it.`, docsPath: `docs/rules/${id}.md` };
}

/** A scan with the raw secrets it holds, so tests can check none of them leaks. */
export interface SampleScan {
  readonly result: ScanResult;
  readonly secrets: {
    readonly outerToken: string;
    readonly actorToken: string;
    readonly actorSignature: string;
    readonly queryToken: string;
    readonly basicValue: string;
    readonly basicPassword: string;
    readonly ntlmValue: string;
    readonly ntlmResponseHex: string;
  };
}

/** Raw values that reports must never show unless asked to. */
export function secretList(sample: SampleScan): string[] {
  return Object.values(sample.secrets);
}

export function sampleScan(): SampleScan {
  const actorSignature = Buffer.from('actor-signature-bytes-'.repeat(6)).toString('base64url');
  const actorToken = compactJwt(
    { typ: 'JWT', alg: 'RS256', x5t: Buffer.from('0123456789abcdef0123', 'latin1').toString('base64url') },
    { aud: `${EXCHANGE}/mail.contoso.com@${REALM}`, iss: `${SFB}@${REALM}`, nbf: '1699999000', exp: '1699999900', nameid: `${SFB}@${REALM}`, trustedfordelegation: 'true' },
    actorSignature,
  );
  const outerToken = compactJwt(
    { typ: 'JWT', alg: 'none' },
    { aud: `${EXCHANGE}/mail.contoso.com@${REALM}`, iss: `${SFB}@${REALM}`, nbf: 1_700_000_000, exp: 1_700_003_600, nii: 'urn:office:idp:activedirectory', smtp: 'alice@contoso.com', actortoken: actorToken },
    '',
  );
  const outerJwt = decodedJwt(outerToken, decodedJwt(actorToken));

  const queryToken = compactJwt({ typ: 'JWT', alg: 'RS256' }, { iss: `https://sts.windows.net/${REALM}/`, aud: 'https://outlook.office365.com' }, 'cXVlcnktdG9rZW4tc2lnbmF0dXJlLXZhbHVl');
  const basicPassword = 'Winter2024!Sup3rSecret';
  const basicValue = Buffer.from(`CONTOSO\\svc-lync:${basicPassword}`).toString('base64');
  const ntlmResponse = Buffer.from('8f3a9c2e71d04b5e9a1f66c3d2b8e4f0a7c9d1e3f5a2b4c6', 'hex');
  const ntlmBytes = Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(52, 0x11), ntlmResponse, Buffer.from('CONTOSObobWS01', 'utf16le')]);
  const ntlmValue = ntlmBytes.toString('base64');

  const s2sFirst = makeExchange({
    ...S2S_EXCHANGE,
    ...seenAt(3, 12, 14),
    status: 401,
    responseHeaders: [['WWW-Authenticate', 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000"']],
  });
  const s2sSecond = makeExchange({ ...S2S_EXCHANGE, ...seenAt(3, 20, 23), indexInStream: 1, status: 200 });
  const queryExchange = makeExchange({
    ...S2S_EXCHANGE,
    ...seenAt(5, 40, 41),
    method: 'GET',
    uri: `/owa/service.svc?action=GetItem&access_token=${queryToken}&x=1`,
    host: 'outlook.contoso.com',
    tls: { ...S2S_EXCHANGE.tls, sni: 'outlook.contoso.com' },
  });
  const basicExchange = makeExchange({ ...LEGACY_EXCHANGE, ...seenAt(0, 4, 6), status: 401, uri: '/autodiscover/autodiscover.xml' });
  const ntlmExchange = makeExchange({ ...LEGACY_EXCHANGE, ...seenAt(1, 9, 11), status: 200, uri: '/mapi/emsmdb/?MailboxId=abc' });

  // Numbered as the Inspector would number them, in the order a scan of the two captures meets them.
  const [s2sFirstId, s2sSecondId, queryId, basicId, ntlmId] = [1, 2, 3, 4, 5];
  const outerFirst = sighting(s2sFirstId, 's3.0.0', { scheme: 'bearer', schemeName: 'Bearer', raw: outerToken, decoded: { type: 'jwt', jwt: outerJwt } });
  const outerSecond = sighting(s2sSecondId, 's3.1.0', { scheme: 'bearer', schemeName: 'Bearer', raw: outerToken, decoded: { type: 'jwt', jwt: outerJwt } });
  const querySighting = sighting(queryId, 's5.0.0', {
    scheme: 'bearer',
    schemeName: '',
    raw: queryToken,
    location: { type: 'query', name: 'access_token' },
    decoded: { type: 'jwt', jwt: decodedJwt(queryToken) },
  });
  const basicSighting = sighting(basicId, 's0.0.0', { scheme: 'basic', schemeName: 'Basic', raw: basicValue, decoded: { type: 'basic', user: 'CONTOSO\\svc-lync' } });
  const ntlmSighting = sighting(ntlmId, 's1.0.0', {
    scheme: 'ntlm',
    schemeName: 'NTLM',
    raw: ntlmValue,
    decoded: { type: 'ntlm', ntlm: { messageType: 3, domain: 'CONTOSO', user: 'bob', workstation: 'WS01', flags: 'e2888215' } },
  });

  const s2sFirstDecoded = decodedExchange(s2sFirstId, s2sFirst, [outerFirst], {
    challenges: [
      {
        scheme: 'Bearer',
        header: 'WWW-Authenticate',
        params: { client_id: EXCHANGE, trusted_issuers: `00000001-0000-0000-c000-000000000000@*`, token_types: 'app_asserted_user_v1 service_asserted_app_v1' },
        trustedIssuers: ['00000001-0000-0000-c000-000000000000@*'],
        tokenTypes: ['app_asserted_user_v1', 'service_asserted_app_v1'],
      },
    ],
    diagnostics: [{ code: '2000008', reason: 'The token has expired.', raw: '2000008;reason="The token has expired.";error_category="invalid_token"', errorCategory: 'invalid_token' }],
  });
  const s2sSecondDecoded = decodedExchange(s2sSecondId, s2sSecond, [outerSecond]);
  const queryDecoded = decodedExchange(queryId, queryExchange, [querySighting]);
  const basicDecoded = decodedExchange(basicId, basicExchange, [basicSighting]);
  const ntlmDecoded = decodedExchange(ntlmId, ntlmExchange, [ntlmSighting]);
  const exchanges: DecodedExchange[] = [s2sFirstDecoded, s2sSecondDecoded, queryDecoded, basicDecoded, ntlmDecoded];

  const anomalies: Anomaly[] = [
    { code: 'tcp-gap', severity: 'warning', message: 'stream 3: 1460 bytes missing before frame 19', file: S2S_CAPTURE, frame: 19, stream: 3 },
    { code: 'truncated-record', severity: 'info', message: 'last record cut short', file: LEGACY_CAPTURE, offset: 1024 },
  ];
  const ruleErrors: RuleError[] = [{ ruleId: 'issuer-not-trusted', message: 'Cannot read properties of undefined (reading "split")', ...about(s2sSecondDecoded) }];

  const findings: Finding[] = [
    finding(s2sFirstDecoded, 'actor-token-expired', 'error', `Actor token for ${SFB}@${REALM} expired 100 s before the request`, outerFirst, 'expired'),
    finding(s2sFirstDecoded, 'unsigned-outer-token', 'note', 'Outer token has alg none (expected for SfB S2S)', outerFirst, 'unsigned'),
    finding(s2sSecondDecoded, 'unsigned-outer-token', 'note', 'Outer token has alg none (expected for SfB S2S)', outerSecond, 'unsigned'),
    // A careless rule quoting its subject: reports must still mask it.
    finding(queryDecoded, 'token-in-query', 'error', `access_token=${queryToken} sent in the URL`, querySighting, 'query'),
    finding(basicDecoded, 'no-basic-auth', 'error', 'Basic credentials for user CONTOSO\\svc-lync sent to mail.contoso.com', basicSighting, 'basic'),
    finding(ntlmDecoded, 'ntlm-over-http', 'warning', 'NTLM type 3 for CONTOSO\\bob over plain HTTP', ntlmSighting, 'type3'),
  ];

  return {
    result: { files: [S2S_CAPTURE, LEGACY_CAPTURE], exchanges, findings, ruleErrors, anomalies },
    secrets: {
      outerToken,
      actorToken,
      actorSignature,
      queryToken,
      basicValue,
      basicPassword,
      ntlmValue,
      ntlmResponseHex: ntlmResponse.toString('hex'),
    },
  };
}

export function metaFor(result: ScanResult, failOn: FailOn = 'error', extra: Partial<ReportMeta> = {}): ReportMeta {
  return {
    rules: RULES,
    toolVersion: '0.1.0',
    docsBaseUri: 'https://github.com/example/oauth-inspect/blob/v0.1.0/',
    informationUri: 'https://github.com/example/oauth-inspect',
    workingDirectory: '/builds/contoso/oauth-checks',
    configPath: 'oauth-inspect.yaml',
    failOn,
    exitCode: exitCodeFor(result.findings, failOn),
    ...extra,
  };
}
