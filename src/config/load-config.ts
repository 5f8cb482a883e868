// Loading the configuration: YAML or JSON, validated against the schema, errors as `file:line: message`.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type * as AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type * as YamlModule from 'yaml';
import type { Document, Node } from 'yaml';
import { InputError } from '../model/index.js';
import type { ConfigFile, ConfigFlags, ConfigPath, ResolvedConfig, RuleEntry } from './resolved-config.js';
import { ruleOptions, ruleSettings } from './rule-options.js';
import { readSmallFile } from './small-file.js';

/** Aliases a configuration may expand; a real one uses none or a few. */
const MAX_YAML_ALIASES = 100;
import { configSchema, expectedShape } from './schema.js';
import { loadTrustStore } from './trust-store.js';

// yaml and ajv (and the schema's compilation) load with the first configuration file, not with every
// scan: a run without --rules never needs them. require() keeps parseConfigText synchronous.
const require = createRequire(import.meta.url);
let yamlModule: typeof YamlModule | undefined;
const yaml = (): typeof YamlModule => (yamlModule ??= require('yaml') as typeof YamlModule);
let compiledSchema: ValidateFunction | undefined;
const validator = (): ValidateFunction =>
  (compiledSchema ??= new (require('ajv') as typeof AjvModule).Ajv({ allErrors: true }).compile(configSchema));

/** Where a configuration is: a file, or one key of it (package.json's "oauth-inspect"). */
export interface ConfigLocation {
  readonly packageKey?: string;
}

/** Reads, validates and resolves a configuration file, then applies the flags. */
export async function loadConfig(path: string, flags: ConfigFlags = {}, location: ConfigLocation = {}): Promise<ResolvedConfig> {
  return resolveConfig(await loadConfigFile(path, location), flags, path);
}

/** Reads and validates a configuration file; paths in it become absolute (relative to the file). */
export async function loadConfigFile(path: string, location: ConfigLocation = {}): Promise<ConfigFile> {
  const bytes = await readSmallFile({ path, what: 'configuration', origin: path, fileCodes: true, cannotRead: (reason) => `cannot read configuration (${reason})` });
  return parseConfigText(bytes.toString('utf8'), path, location);
}

/**
 * Parses configuration text; `path` names the file in messages and anchors relative paths. With
 * `packageKey` the configuration is that key's value and lines still count from the file's top.
 * A top-level `$schema` (for editors) is accepted and ignored.
 */
export function parseConfigText(text: string, path: string, { packageKey }: ConfigLocation = {}): ConfigFile {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const firstError = doc.errors[0];
  if (firstError) {
    throw new InputError('bad-config', firstError.message.split('\n')[0] ?? 'YAML error', `${path}:${lineOf(firstError.pos[0])}`);
  }
  let value: unknown;
  try {
    // Aliases are expanded by toJS: a "billion laughs" document stops here instead of filling memory.
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (error) {
    throw new InputError('bad-config', `the YAML expands too many aliases (${error instanceof Error ? error.message : String(error)})`, `${path}:1`);
  }
  // Inside package.json, error positions are looked up under the key.
  const prefix = packageKey === undefined ? '' : `/${packageKey.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const lineAt = (error: Pick<ErrorObject, 'instancePath'> & Partial<ErrorObject>): number => lineOf(offsetOf(doc, { ...error, instancePath: `${prefix}${error.instancePath}` }));
  if (packageKey !== undefined) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[packageKey] : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('bad-config', `the configuration${packageKey === undefined ? '' : ` ("${packageKey}" in package.json)`} must be a mapping of keys to values`, `${path}:${lineAt({ instancePath: '' })}`);
  }
  const validate = validator();
  if (!validate(value)) {
    const error = chosenError(validate.errors ?? [], value);
    if (error) throw new InputError('bad-config', describeError(error), `${path}:${lineAt(error)}`);
  }
  const { rules, certificates: certificatePaths, metadata: metadataPaths, $schema: _schema, ...sharedOptions } = value as Record<string, unknown> & {
    rules?: Record<string, RuleEntry>;
    certificates?: string[];
    metadata?: string[];
  };
  const base = dirname(resolve(path));
  const located = (key: string, paths: string[]): ConfigPath[] =>
    paths.map((p, i) => ({ path: resolve(base, p), origin: `${path}:${lineAt({ instancePath: `/${key}/${i}` })}` }));
  return {
    ...(Object.keys(sharedOptions).length > 0 ? { sharedOptions } : {}),
    ...(rules ? { rules } : {}),
    ...(certificatePaths ? { certificates: located('certificates', certificatePaths) } : {}),
    ...(metadataPaths ? { metadata: located('metadata', metadataPaths) } : {}),
  };
}

/** Merges flags over the file (or the defaults) and loads the trust store. */
export async function resolveConfig(file: ConfigFile | undefined, flags: ConfigFlags = {}, path?: string): Promise<ResolvedConfig> {
  const flagPaths = (paths: readonly string[] | undefined): ConfigPath[] =>
    (paths ?? []).map((p) => ({ path: resolve(p), origin: p }));
  const certificates = [...(file?.certificates ?? []), ...flagPaths(flags.certificates)];
  const metadata = [...(file?.metadata ?? []), ...flagPaths(flags.metadata)];
  return {
    ...(path !== undefined ? { file: path } : {}),
    rules: ruleSettings(file),
    ruleOptions: ruleOptions(file, flags),
    trustStore: await loadTrustStore(certificates, metadata),
  };
}

/**
 * The error to report: ajv reports every branch of a rule entry (short form or mapping), so the
 * branch that matches the value's kind is kept, and the `anyOf` summary is dropped.
 */
function chosenError(errors: readonly ErrorObject[], value: unknown): ErrorObject | undefined {
  const branchOf = (error: ErrorObject) => /\/anyOf\/(\d+)\//.exec(error.schemaPath)?.[1];
  const relevant = errors.filter((error) => {
    if (error.keyword === 'anyOf') return false;
    const branch = branchOf(error);
    if (branch === undefined) return true;
    const entry = valueAt(value, error.instancePath.split('/').slice(1, 3));
    const mapping = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
    return mapping === (branch === '1');
  });
  return relevant[0] ?? errors[0];
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  return segments.reduce<unknown>((v, s) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[unescape(s)] : undefined), value);
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeError(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map(unescape);
  const [key] = segments;
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    if (key === 'rules' && segments.length === 2) {
      const rule = segments[1]!;
      const takes = Object.keys(ruleEntryProperties(rule));
      return `unknown option "${extra}" for rule ${rule} (it takes ${takes.join(', ')})`;
    }
    return key === 'rules' ? `unknown rule id "${extra}"` : `unknown key "${extra}"`;
  }
  if (key === undefined) return 'the configuration must be a mapping of keys to values';
  if (key === 'rules' && segments.length === 2) {
    return `rules.${segments[1]} must be one of off, error, warning, note, or a mapping of severity and the rule's options`;
  }
  // Name the setting (`rules.token-expired.clockSkewSeconds`), not the array entry inside it.
  const named = key === 'rules' ? segments.slice(0, 3) : [key];
  const schema = key === 'rules' ? ruleEntryProperties(segments[1]!)[segments[2]!] : configSchema.properties[key as keyof typeof configSchema.properties];
  const shape = expectedShape[key] !== undefined && key !== 'rules' ? expectedShape[key] : describeSchema(schema);
  return `${named.join('.')} must be ${shape}`;
}

/** What a rule's entry may hold as a mapping: severity and the rule's options, by name. */
function ruleEntryProperties(ruleId: string): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  const entry = (configSchema.properties.rules.properties as Record<string, { anyOf: ReadonlyArray<{ properties?: Record<string, Readonly<Record<string, unknown>>> }> }>)[ruleId];
  return entry?.anyOf[1]?.properties ?? {};
}

/** `a whole number, 0 or more`, `an array of strings`, `true or false`: what a schema accepts, in words. */
function describeSchema(schema: Readonly<Record<string, unknown>> | undefined): string {
  if (schema === undefined) return 'valid';
  if (Array.isArray(schema['enum'])) return `one of ${schema['enum'].join(', ')}`;
  const minimum = typeof schema['minimum'] === 'number' ? `, ${schema['minimum']} or more` : '';
  switch (schema['type']) {
    case 'integer':
      return `a whole number${minimum}`;
    case 'number':
      return `a number${minimum}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'array': {
      const items = describeSchema(schema['items'] as Readonly<Record<string, unknown>> | undefined);
      const plural: Readonly<Record<string, string>> = { 'a string': 'strings', 'true or false': 'true or false values' };
      return `an array of ${plural[items] ?? 'valid values'}`;
    }
    case 'object':
      return 'a mapping';
    default:
      return 'valid';
  }
}

/** Source offset of the YAML node an error is about (the offending key for unknown keys). */
function offsetOf(doc: Document, error: Pick<ErrorObject, 'instancePath'> & Partial<ErrorObject>): number {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map(unescape)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const { isMap, isScalar } = yaml();
  let node = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as Node | null | undefined;
  if (error.keyword === 'additionalProperties' && isMap(node)) {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === extra);
    if (pair && isScalar(pair.key)) node = pair.key;
  }
  return node?.range?.[0] ?? 0;
}
