// The configuration file's JSON schema (also published as docs/config.schema.json), built from the
// rule registry: each rule's entry under `rules` takes its severity and the options its
// `options.schema` declares, and each option name is also a shared top-level setting.
import { SEVERITY_KEY, type OptionSchema, type Rule } from '../rules/define-rule.js';
import { ruleList } from '../rules/registry.js';

const SETTINGS = ['off', 'error', 'warning', 'note'] as const;
const severitySchema = { enum: SETTINGS, description: 'off, or a severity that replaces the rule\'s own.' } as const;
const pathList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

/** The configuration's own keys; an option may not share a name with them. */
const OWN_KEYS = ['rules', 'certificates', 'metadata'];

/** An option name that several rules may declare, with its one schema and the rules that take it. */
export interface SharedOption {
  readonly schema: OptionSchema;
  readonly ruleIds: readonly string[];
}

/**
 * Every option name declared by `rules`, with the rules that declare it. Rules that share a name
 * must declare the same schema for it (TypeError otherwise): a top-level setting feeds them all.
 */
export function sharedOptions(rules: readonly Rule[]): ReadonlyMap<string, SharedOption> {
  const byName = new Map<string, SharedOption>();
  for (const rule of rules) {
    for (const [name, schema] of Object.entries(rule.options?.schema.properties ?? {}) as Array<[string, OptionSchema]>) {
      if (OWN_KEYS.includes(name)) throw new TypeError(`rule ${rule.id}: option "${name}" has the name of a configuration key`);
      const known = byName.get(name);
      if (known && JSON.stringify(known.schema) !== JSON.stringify(schema)) {
        throw new TypeError(`rule ${rule.id}: option "${name}" differs from the one ${known.ruleIds.join(', ')} declare`);
      }
      byName.set(name, { schema, ruleIds: [...(known?.ruleIds ?? []), rule.id] });
    }
  }
  return byName;
}

/** A rule's entry under `rules`: the short form (a setting), or a mapping of severity and options. */
function ruleEntrySchema(rule: Rule) {
  return {
    description: rule.title,
    anyOf: [
      { enum: SETTINGS },
      {
        type: 'object',
        additionalProperties: false,
        properties: { [SEVERITY_KEY]: severitySchema, ...(rule.options?.schema.properties ?? {}) },
      },
    ],
  };
}

function sharedSchemas(rules: readonly Rule[]): Record<string, OptionSchema> {
  const schemas: Record<string, OptionSchema> = {};
  for (const [name, { schema, ruleIds }] of sharedOptions(rules)) {
    const description = `${String(schema['description'] ?? '')} Shared setting for ${ruleIds.join(', ')}; an option set under the rule wins.`.trim();
    schemas[name] = { ...schema, description };
  }
  return schemas;
}

export function buildConfigSchema(rules: readonly Rule[]) {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'oauth-inspect configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON schema this file follows, for editors (docs/config.schema.json); ignored by oauth-inspect.' },
      ...sharedSchemas(rules),
      rules: {
        type: 'object',
        description: 'Per rule: off, a severity that replaces the rule\'s own, or a mapping of severity and the rule\'s options.',
        additionalProperties: false,
        properties: Object.fromEntries(rules.map((rule) => [rule.id, ruleEntrySchema(rule)])),
      },
      certificates: { ...pathList, description: 'Signing certificates (.cer DER or PEM), relative to this file.' },
      metadata: { ...pathList, description: 'Saved /metadata/json/1 documents, relative to this file.' },
    },
  } as const;
}

export const configSchema = buildConfigSchema(ruleList);

/** What the configuration's own keys must hold, for messages such as `certificates must be an array of file paths`. */
export const expectedShape: Readonly<Record<string, string>> = {
  rules: 'a mapping of rule ids to off, error, warning, note or a mapping of severity and options',
  certificates: 'an array of file paths',
  metadata: 'an array of file paths',
};
