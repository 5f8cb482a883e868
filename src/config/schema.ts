// The configuration file's JSON schema (also published as docs/config.schema.json).
import { ruleIds } from '../rules/registry.js';

const stringList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'oauth-inspect configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    expectedRealms: { ...stringList, description: 'Realms (tenant GUIDs or DNS names) tokens must carry.' },
    expectedIssuerPrincipals: { ...stringList, description: 'Principal GUIDs allowed to call (the caller of an S2S token).' },
    audienceHosts: { ...stringList, description: 'Host names the aud claim may name.' },
    clockSkewSeconds: { type: 'integer', minimum: 0, description: 'Allowed clock skew for exp and nbf, in seconds (default 300).' },
    s2sOnly: { type: 'boolean', description: 'Judge Entra ID tokens by the S2S issuer and audience formats too.' },
    rules: {
      type: 'object',
      description: 'Per-rule setting: off, or a severity that replaces the rule\'s own.',
      additionalProperties: false,
      properties: Object.fromEntries(ruleIds.map((id) => [id, { enum: ['off', 'error', 'warning', 'note'] }])),
    },
    certificates: { ...stringList, description: 'Signing certificates (.cer DER or PEM), relative to this file.' },
    metadata: { ...stringList, description: 'Saved /metadata/json/1 documents, relative to this file.' },
  },
} as const;

/** What each key must hold, for error messages such as `expectedRealms must be an array of strings`. */
export const expectedShape: Readonly<Record<string, string>> = {
  expectedRealms: 'an array of strings',
  expectedIssuerPrincipals: 'an array of strings',
  audienceHosts: 'an array of strings',
  clockSkewSeconds: 'a whole number of seconds, 0 or more',
  s2sOnly: 'true or false',
  rules: 'a mapping of rule ids to off, error, warning or note',
  certificates: 'an array of file paths',
  metadata: 'an array of file paths',
};
