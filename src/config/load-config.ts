// Loading the configuration: YAML or JSON, validated against the schema, errors as `file:line: message`.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError } from '../model/index.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_ISSUER_PRINCIPALS,
  type ConfigFile,
  type ConfigFlags,
  type ConfigPath,
  type ResolvedConfig,
  type RuleSetting,
} from './resolved-config.js';
import { configSchema, expectedShape } from './schema.js';
import { loadTrustStore } from './trust-store.js';

const validate = new Ajv({ allErrors: true }).compile(configSchema);

/** Reads, validates and resolves a configuration file, then applies the flags. */
export async function loadConfig(path: string, flags: ConfigFlags = {}): Promise<ResolvedConfig> {
  return resolveConfig(await loadConfigFile(path), flags, path);
}

/** Reads and validates a configuration file; paths in it become absolute (relative to the file). */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const inputCode = code === 'ENOENT' ? 'not-found' : code === 'EISDIR' ? 'is-directory' : 'unreadable';
    throw new InputError(inputCode, `cannot read configuration (${code ?? String(cause)})`, path, { cause });
  }
  return parseConfigText(text, path);
}

/** Parses configuration text; `path` names the file in messages and anchors relative paths. */
export function parseConfigText(text: string, path: string): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const firstError = doc.errors[0];
  if (firstError) {
    throw new InputError('bad-config', firstError.message.split('\n')[0] ?? 'YAML error', `${path}:${lineOf(firstError.pos[0])}`);
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('bad-config', 'the configuration must be a mapping of keys to values', `${path}:1`);
  }
  if (!validate(value)) {
    const error = (validate.errors ?? [])[0];
    if (error) throw new InputError('bad-config', describeError(error), `${path}:${lineOf(offsetOf(doc, error))}`);
  }
  const { certificates: certificatePaths, metadata: metadataPaths, ...rest } = value as Omit<ConfigFile, 'certificates' | 'metadata'> & {
    certificates?: string[];
    metadata?: string[];
  };
  const base = dirname(resolve(path));
  const located = (key: string, paths: string[]): ConfigPath[] =>
    paths.map((p, i) => ({ path: resolve(base, p), origin: `${path}:${lineOf(offsetOf(doc, { instancePath: `/${key}/${i}` }))}` }));
  return {
    ...rest,
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
  const rules: Record<string, RuleSetting> = { ...(file?.rules ?? {}) };
  return {
    ...(path !== undefined ? { file: path } : {}),
    expectedRealms: flags.realms ?? file?.expectedRealms ?? [],
    expectedIssuerPrincipals: flags.issuers ?? file?.expectedIssuerPrincipals ?? DEFAULT_ISSUER_PRINCIPALS,
    audienceHosts: file?.audienceHosts ?? [],
    clockSkewSeconds: file?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    s2sOnly: file?.s2sOnly ?? false,
    rules,
    trustStore: await loadTrustStore(certificates, metadata),
  };
}

function describeError(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1);
  const [key] = segments;
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return key === 'rules' ? `unknown rule id "${extra}"` : `unknown key "${extra}"`;
  }
  if (key === undefined) return 'the configuration must be a mapping of keys to values';
  if (key === 'rules' && segments.length === 2) return `rules.${segments[1]} must be one of off, error, warning, note`;
  return `${key} must be ${expectedShape[key] ?? 'valid'}`;
}

/** Source offset of the YAML node an error is about (the offending key for unknown keys). */
function offsetOf(doc: Document, error: Pick<ErrorObject, 'instancePath'> & Partial<ErrorObject>): number {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let node = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as Node | null | undefined;
  if (error.keyword === 'additionalProperties' && isMap(node)) {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === extra);
    if (pair && isScalar(pair.key)) node = pair.key;
  }
  return node?.range?.[0] ?? 0;
}
