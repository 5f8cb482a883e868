// S2S principal names (`<principal>@<realm>`, `<principal>/<host>@<realm>`) and well-known principals.

/** A principal name split into its parts; `host` is undefined for the `<principal>@<realm>` form. */
export interface PrincipalName {
  readonly principal: string;
  /** Text between `/` and `@`; empty string for the `<principal>/@<realm>` variant. */
  readonly host?: string;
  readonly realm: string;
}

const PRINCIPAL_NAME = /^([^/@]+)(?:\/([^/@]*))?@([^/@]*)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const parsedNames = new Map<string, PrincipalName | null>();

/** Splits `principal[/host]@realm`; undefined when the text does not have that shape. */
export function parsePrincipalName(value: string): PrincipalName | undefined {
  const known = parsedNames.get(value);
  if (known !== undefined) return known ?? undefined;
  const m = PRINCIPAL_NAME.exec(value);
  const [, principal = '', host, realm = ''] = m ?? [];
  const parsed = !m ? null : host === undefined ? { principal, realm } : { principal, host, realm };
  // Captures repeat a handful of principal names; a small bounded table saves re-parsing them.
  if (parsedNames.size >= 1024) parsedNames.clear();
  parsedNames.set(value, parsed);
  return parsed ?? undefined;
}

const guidAnswers = new Map<string, boolean>();

/** A GUID in its 8-4-4-4-12 hex text (any case); answers are remembered for the few values a capture repeats. */
export function isGuid(value: string): boolean {
  let answer = guidAnswers.get(value);
  if (answer === undefined) {
    answer = GUID.test(value);
    if (guidAnswers.size >= 1024) guidAnswers.clear();
    guidAnswers.set(value, answer);
  }
  return answer;
}

/** A realm is a tenant GUID (online) or a DNS name (on-premises, e.g. the SIP domain). */
export function isValidRealm(realm: string): boolean {
  return isGuid(realm) || DNS_NAME.test(realm);
}

/** GUIDs compare case-insensitively (reference §1). */
export function samePrincipal(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The token services that issue actor tokens (ACS, its spec-example instance, the China cloud):
 * when one of them is the `iss`, the caller is the token's `nameid`, not the issuer.
 */
export const STS_PRINCIPALS: readonly string[] = [
  '00000001-0000-0000-c000-000000000000',
  '00000001-0001-0000-c000-000000000000',
  '00000001-0002-0000-c000-000000000000',
];

export function isStsPrincipal(principal: string): boolean {
  return STS_PRINCIPALS.some((sts) => samePrincipal(sts, principal));
}

const ENTRA_ISSUER =
  /^https:\/\/(?:sts\.windows\.net|sts\.chinacloudapi\.cn|login\.microsoftonline\.(?:com|us)|login\.windows\.net|login\.chinacloudapi\.cn)\/[^/]+\/(?:v2\.0\/?)?$/i;

/** Entra ID (EvoSTS) issuers, e.g. `https://sts.windows.net/<tid>/`: a different kind of token. */
export function isEntraIssuer(iss: string): boolean {
  return ENTRA_ISSUER.test(iss);
}
