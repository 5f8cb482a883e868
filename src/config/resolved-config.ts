// ResolvedConfig: the configuration every rule sees, after the file and the CLI flags are merged.
import type { Severity } from '../model/index.js';
import type { TrustStore } from './trust-store.js';

/** What a user may set a rule to: off, or a severity that replaces the rule's own. */
export type RuleSetting = 'off' | Severity;

/** A path the user gave, where it was given (for error messages), and where it points. */
export interface ConfigPath {
  /** Absolute path of the file. */
  readonly path: string;
  /** `rules.yaml:12` for a path from a config file, or the flag value for a CLI path. */
  readonly origin: string;
}

/** The configuration file's content, validated, paths made absolute. */
export interface ConfigFile {
  readonly expectedRealms?: readonly string[];
  readonly expectedIssuerPrincipals?: readonly string[];
  readonly audienceHosts?: readonly string[];
  readonly clockSkewSeconds?: number;
  readonly s2sOnly?: boolean;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly certificates?: readonly ConfigPath[];
  readonly metadata?: readonly ConfigPath[];
}

/** Command-line flags that override or extend the file (paths relative to the working directory). */
export interface ConfigFlags {
  /** `--realm`: replaces the file's expectedRealms. */
  readonly realms?: readonly string[];
  /** `--cert`: added to the file's certificates. */
  readonly certificates?: readonly string[];
  /** `--metadata`: added to the file's metadata documents. */
  readonly metadata?: readonly string[];
  /** `--issuer`: replaces the file's expectedIssuerPrincipals. */
  readonly issuers?: readonly string[];
}

export interface ResolvedConfig {
  /** The configuration file, as the user named it; absent when none was given. */
  readonly file?: string;
  readonly expectedRealms: readonly string[];
  readonly expectedIssuerPrincipals: readonly string[];
  readonly audienceHosts: readonly string[];
  readonly clockSkewSeconds: number;
  readonly s2sOnly: boolean;
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly trustStore: TrustStore;
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/**
 * The caller expected when nothing says otherwise: Skype for Business (Lync), the principal of
 * the seed scenario (SfB ⇄ Exchange S2S). `--issuer` or expectedIssuerPrincipals change it.
 */
export const DEFAULT_ISSUER_PRINCIPALS: readonly string[] = ['00000004-0000-0ff1-ce00-000000000000'];
