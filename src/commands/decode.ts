// `oauth-inspect decode <token>`: decode one token (JWT, actor inside) and run the token rules on it.
import { decodeExchange } from '../decode/decode-exchange.js';
import type { DecodedJwt, HttpExchange } from '../model/index.js';
import { timestampFromMillis } from '../model/index.js';
import type { TrustStore } from '../config/trust-store.js';
import { jwtLines, partialJwtLines, type JwtTextOptions } from '../report/jwt-text.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { createRuleEngine, ruleList, verifySignatures, type VerificationResult } from '../rules/index.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';
import { configFor } from './scan.js';
import { jsonText } from '../report/json-text.js';

export interface DecodeOptions {
  readonly json?: boolean;
  readonly at?: string;
  readonly host?: string;
  readonly rules?: string;
  readonly config?: string | boolean;
  readonly realm?: string[];
  readonly issuer?: string[];
  readonly cert?: string[];
  readonly metadata?: string[];
}

function audienceHost(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: unknown };
    const m = typeof claims.aud === 'string' ? /^[^/@]+\/([^@/]+)@/.exec(claims.aud) : null;
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** A stand-in HTTPS exchange carrying the token, so the same decode stage and rules apply. */
function tokenExchange(token: string, host: string, atMillis: number): HttpExchange {
  const time = timestampFromMillis(atMillis);
  const emptyBody = { bytes: Buffer.alloc(0), wireLength: 0, truncated: false };
  return {
    origin: { kind: 'token' },
    indexInStream: 0,
    server: { ip: '', port: 443 },
    scheme: 'https',
    tls: {},
    request: {
      method: 'GET',
      uri: '/',
      version: 'HTTP/1.1',
      headers: [['Host', host], ['Authorization', `Bearer ${token}`]],
      body: emptyBody,
      time,
    },
    anomalies: [],
  };
}

/** Why a token's signature was not checked, when it has one; undefined for the default text. */
function uncheckedText(jwt: DecodedJwt | undefined, trustStore: TrustStore): string | undefined {
  if (jwt === undefined || jwt.unsigned) return undefined;
  if (jwt.signatureMasked) return 'masked by a recording (not verified)';
  return trustStore.certificates.length === 0 ? 'present (not verified: no certificate given, see --cert)' : undefined;
}

/** The signature lines of the token and its actor token: who signed, or why that is not known. */
function signatureText(jwt: DecodedJwt, result: VerificationResult | undefined, trustStore: TrustStore): JwtTextOptions['signature'] {
  if (result === undefined) {
    const token = uncheckedText(jwt, trustStore);
    const actor = uncheckedText(jwt.actor, trustStore);
    return { ...(token !== undefined && { token }), ...(actor !== undefined && { actor }) };
  }
  let text: string;
  switch (result.status) {
    case 'valid':
      text = `verified with ${result.signer.subject}, thumbprint ${result.signer.thumbprint}`;
      break;
    case 'invalid':
      text = `does not verify with ${result.signer.subject}, thumbprint ${result.signer.thumbprint} (${result.signer.origin}): ${result.reason}`;
      break;
    case 'unknown-signer': {
      const given = trustStore.certificates.map((cert) => `${cert.subject}, thumbprint ${cert.sha1}`).join('; ');
      const count = trustStore.certificates.length;
      text = `not verified: the token names ${result.keyIds}, and ${count === 1 ? 'the given certificate does not match' : `none of the ${count} given certificates matches`} (${given})`;
      break;
    }
  }
  return result.token === 'actor' ? { actor: text } : { token: text };
}

export async function decodeCommand(token: string, options: DecodeOptions, io: CliIo): Promise<number> {
  const raw = token.trim().replace(/^bearer\s+/i, '');
  const atMillis = options.at ? Date.parse(options.at) : Date.now();
  if (Number.isNaN(atMillis)) {
    const { InputError } = await import('../model/index.js');
    throw new InputError('bad-usage', `--at: not a date: ${options.at}`);
  }
  // Validity is judged now unless --at names another time; the text says which.
  const clock = options.at ? new Date(atMillis).toISOString().replace('.000Z', 'Z') : 'now';
  const config = await configFor(options);
  const host = options.host ?? audienceHost(raw) ?? 'localhost';
  // The stand-in exchange is the only one of this run: id 1.
  const decoded = decodeExchange(tokenExchange(raw, host, atMillis), 1);
  // Only the rules that judge a token on its own: no transport, no challenges of earlier exchanges.
  const tokenRules = ruleList.filter((rule) => rule.subject === 'token');
  const engine = createRuleEngine(config, tokenRules, { clockLabel: options.at ? 'the --at time' : 'now' });
  const signatures = await verifySignatures(decoded, config.trustStore);
  const { findings, ruleErrors } = engine.run(decoded, signatures);
  const credential = decoded.credentials[0];
  const verification = credential ? signatures.get(credential.id) : undefined;
  if (options.json) {
    io.stdout.write(
      `${jsonText({ decoded: credential?.decoded, fingerprint: credential?.value.fingerprint, signature: verification, findings: findings.map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message, fix: f.fix, docs: f.docs })), ruleErrors: ruleErrors.map((e) => ({ rule: e.ruleId, message: e.message })) }, 2)}\n`,
    );
  } else {
    const lines: string[] = [];
    if (!credential) lines.push('no token found in the input');
    else {
      lines.push(`fingerprint: ${credential.value.fingerprint}`);
      const d = credential.decoded;
      if (d.type === 'jwt') {
        const signature = signatureText(d.jwt, verification, config.trustStore);
        lines.push(...jwtLines(d.jwt, atMillis / 1000, '', { clock, ...(signature && { signature }) }));
      } else if (d.type === 'jwt-malformed') lines.push(...partialJwtLines(d.error, d.partial, ''));
      else if (d.type === 'opaque') lines.push(`opaque token${d.hint ? ` (${d.hint})` : ''}: not a JWT, nothing to decode`);
      else lines.push(`decoded as ${d.type}`);
    }
    lines.push('', findings.length === 0 ? 'findings: none' : 'findings:');
    for (const f of findings) lines.push(`  ${f.severity.padEnd(7)} ${f.ruleId}: ${f.message}`, `          fix: ${f.fix}`);
    for (const e of ruleErrors) lines.push(`  rule error in ${e.ruleId}: ${e.message}`);
    io.stdout.write(`${lines.map(terminalSafe).join('\n')}\n`);
  }
  return findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
