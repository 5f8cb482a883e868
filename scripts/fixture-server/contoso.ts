// The fixed names of the fixture world: tenant, hosts, principals, users and the server port.

/** Non-standard port, so tshark needs `-d tcp.port==18080,http` and our tool must find HTTP itself. */
export const FIXTURE_PORT = 18080;

/** The tenant GUID used as realm in every S2S token. */
export const REALM = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
/** A second tenant, for realm-mismatch traffic. */
export const OTHER_REALM = 'a4d6b8c2-6f0e-4b9a-9c1d-2e3f4a5b6c7d';

export const MAIL_HOST = 'mail.contoso.test';
export const OTHER_MAIL_HOST = 'mail.fabrikam.test';
export const SFB_WEB_HOST = 'lyncweb.contoso.test';
export const SFB_POOL_HOST = 'sfbpool.contoso.test';
export const ACS_HOST = 'accounts.accesscontrol.windows.net';

/** First-party principal ids (reference §1). */
export const Principal = {
  acs: '00000001-0000-0000-c000-000000000000',
  acsChina: '00000001-0002-0000-c000-000000000000',
  exchange: '00000002-0000-0ff1-ce00-000000000000',
  sharePoint: '00000003-0000-0ff1-ce00-000000000000',
  skype: '00000004-0000-0ff1-ce00-000000000000',
} as const;

/** Principals the server has partner applications for (may be the subject of a token). */
export const PARTNER_PRINCIPALS: readonly string[] = [Principal.skype, Principal.exchange];

/** `<principal>@<realm>` */
export function principalName(principal: string, realm: string): string {
  return `${principal}@${realm}`;
}

/** `<principal>/<host>@<realm>` */
export function audienceName(principal: string, host: string, realm: string): string {
  return `${principal}/${host}@${realm}`;
}

/** The Entra (EvoSTS) issuer for the tenant. */
export const ENTRA_ISSUER = `https://sts.windows.net/${REALM}/`;

/** The mailbox user every user-context token speaks for. */
export const MAILBOX_USER = {
  smtp: 'alice@contoso.test',
  upn: 'alice@contoso.test',
  sip: 'alice@contoso.test',
  /** Entra PUID-style name identifier, as in Exchange Online tokens. */
  nameid: '10032001E2CBE43B',
} as const;

/** A user the server does not know: user-context tokens for it get 2000005. */
export const UNKNOWN_USER = 'nobody@contoso.test';

/** Fixed Basic/NTLM/Digest fixture credentials (test values only). */
export const PASSWORD_USER = {
  user: 'alice@contoso.test',
  domain: 'CONTOSO',
  account: 'alice',
  password: 'Fixture-Passw0rd!',
} as const;

/** Client id and secret the token endpoint accepts for the client-credentials grant (test values). */
export const SECRET_CLIENT = {
  clientId: 'c3ab8885-1b56-4a0f-9a3e-6a5e1f0b7e21',
  clientSecret: 'fixture-client-secret-0123456789abcdef=',
} as const;

/** The fixed SOAP body clients POST to EWS. */
export const EWS_GET_FOLDER =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" ' +
  'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header>' +
  '<t:RequestServerVersion Version="Exchange2013_SP1"/></soap:Header><soap:Body><m:GetFolder>' +
  '<m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>' +
  '<t:DistinguishedFolderId Id="calendar"><t:Mailbox><t:EmailAddress>alice@contoso.test</t:EmailAddress>' +
  '</t:Mailbox></t:DistinguishedFolderId></m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>';
