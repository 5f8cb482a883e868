// Public entry point of the configuration: loading, merging CLI flags, the trust store, the schema.
export { discoverConfig, type FoundConfig } from './discover-config.js';
export { loadConfig, loadConfigFile, parseConfigText, resolveConfig, type ConfigLocation } from './load-config.js';
export type { ConfigFile, ConfigFlags, ConfigPath, ResolvedConfig, RuleEntry, RuleOptionValues, RuleSetting } from './resolved-config.js';
export { OPTION_FLAGS } from './rule-options.js';
export { configSchema } from './schema.js';
export { createTrustStore, emptyTrustStore, loadTrustStore } from './trust-store.js';
export type { TrustedCertificate, TrustStore } from './trust-store.js';
