// Names that say a value is a credential, shared by the masking of reports and of recordings.

/** Query parameters that carry credentials (OAuth 2.0 and Microsoft's token endpoints). */
export const SENSITIVE_QUERY_NAMES: readonly string[] = [
  'access_token',
  'id_token',
  'refresh_token',
  'code',
  'token',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
];
