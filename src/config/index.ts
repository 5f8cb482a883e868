// Public entry point of the configuration: loading, merging CLI flags, the trust store, the schema.
export { loadConfig, loadConfigFile, parseConfigText, resolveConfig } from './load-config.js';
export type { ConfigFile, ConfigFlags, ConfigPath, ResolvedConfig, RuleEntry, RuleOptionValues, RuleSetting } from './resolved-config.js';
export { OPTION_FLAGS } from './rule-options.js';
export { configSchema } from './schema.js';
export { createTrustStore, emptyTrustStore, loadTrustStore } from './trust-store.js';
export type { TrustedCertificate, TrustStore } from './trust-store.js';
