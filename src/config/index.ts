// Public entry point of the configuration: loading, merging CLI flags, the trust store, the schema.
export { loadConfig, loadConfigFile, parseConfigText, resolveConfig } from './load-config.js';
export { DEFAULT_CLOCK_SKEW_SECONDS } from './resolved-config.js';
export type { ConfigFile, ConfigFlags, ConfigPath, ResolvedConfig, RuleSetting } from './resolved-config.js';
export { configSchema } from './schema.js';
export { createTrustStore, emptyTrustStore, loadTrustStore } from './trust-store.js';
export type { TrustedCertificate, TrustStore } from './trust-store.js';
