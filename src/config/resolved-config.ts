// ResolvedConfig: the configuration the engine runs with, after the file and the CLI flags are merged.
import type { Severity } from '../model/index.js';
import type { TrustStore } from './trust-store.js';

/** What a user may set a rule to: off, or a severity that replaces the rule's own. */
export type RuleSetting = 'off' | Severity;

/** Options set for one rule, by option name (validated against the rule's schema). */
export type RuleOptionValues = Readonly<Record<string, unknown>>;

/** A rule's entry in the file: the short form, or its severity and options. */
export type RuleEntry = RuleSetting | (RuleOptionValues & { readonly severity?: RuleSetting });

/** A path the user gave, where it was given (for error messages), and where it points. */
export interface ConfigPath {
  /** Absolute path of the file. */
  readonly path: string;
  /** `rules.yaml:12` for a path from a config file, or the flag value for a CLI path. */
  readonly origin: string;
}

/** The configuration file's content, validated, paths made absolute. */
export interface ConfigFile {
  /**
   * Top-level rule options (expectedRealms, clockSkewSeconds, …): shared settings that feed every
   * rule declaring an option of that name.
   */
  readonly sharedOptions?: RuleOptionValues;
  readonly rules?: Readonly<Record<string, RuleEntry>>;
  readonly certificates?: readonly ConfigPath[];
  readonly metadata?: readonly ConfigPath[];
}

/** Command-line flags that override or extend the file (paths relative to the working directory). */
export interface ConfigFlags {
  /** `--realm`: replaces expectedRealms, for every rule that takes it. */
  readonly realms?: readonly string[];
  /** `--cert`: added to the file's certificates. */
  readonly certificates?: readonly string[];
  /** `--metadata`: added to the file's metadata documents. */
  readonly metadata?: readonly string[];
  /** `--issuer`: replaces expectedIssuerPrincipals, for every rule that takes it. */
  readonly issuers?: readonly string[];
}

export interface ResolvedConfig {
  /** The configuration file, as the user named it; absent when none was given. */
  readonly file?: string;
  /** Severity settings by rule id; a rule without one keeps its own severities. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /**
   * Options set for each rule, by rule id: only options the rule declares; the engine adds the
   * rule's defaults for the rest.
   */
  readonly ruleOptions: Readonly<Record<string, RuleOptionValues>>;
  readonly trustStore: TrustStore;
}
