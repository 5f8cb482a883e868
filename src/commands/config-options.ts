// The configuration options that scan, decode and proxy share: --config (or --rules), --realm, --cert, --metadata,
// and --fingerprint-key (these three print fingerprints); which configuration file a run uses.
import { homedir } from 'node:os';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { discoverConfig, type FoundConfig } from '../config/index.js';
import { InputError } from '../model/index.js';

/** Collects a repeatable option's values in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the configuration options (file, realms, certificates, metadata documents) to `command`. */
export function withConfigOptions<Args extends unknown[], Opts extends OptionValues>(command: Command<Args, Opts>) {
  return command
    .option('--config <file>', 'configuration file (YAML or JSON): realms, principals, certificates, rule settings; default: .oauth-inspect.{json,yaml,yml} or package.json "oauth-inspect", here or in a folder above (up to $HOME)')
    .option('--no-config', 'use no configuration file, not even one found in this folder or above')
    .option('--rules <file>', 'the configuration file (older name of --config)')
    .option('--realm <realm>', 'expected realm (tenant GUID or domain); repeatable', collect)
    .option(
      '--issuer <principal>',
      'expected calling principal (GUID; default 00000004-0000-0ff1-ce00-000000000000, Skype for Business); repeatable',
      collect,
    )
    .option('--cert <file>', 'signing certificate (.cer DER or PEM) to verify signatures; repeatable', collect)
    .option('--metadata <file>', 'auth metadata document (/metadata/json/1) with signing keys; repeatable', collect)
    .option(
      '--fingerprint-key <key>',
      'key of the keyed (hmac-sha256) fingerprints of passwords and other low-entropy credentials; ' +
        'default $OAUTH_INSPECT_FINGERPRINT_KEY, else a key kept in $XDG_CONFIG_HOME/oauth-inspect/fingerprint.key',
    );
}

/** The configuration flags of a command (`config` is false with --no-config). */
export interface ConfigFileOptions {
  readonly config?: string | boolean;
  readonly rules?: string;
}

/**
 * The configuration a run uses: the one named by --config (or --rules), none with --no-config,
 * else the first found from the working folder up to $HOME (discoverConfig).
 */
export async function chosenConfig(options: ConfigFileOptions, cwd = process.cwd(), home = homedir()): Promise<FoundConfig | undefined> {
  const named = typeof options.config === 'string' ? options.config : undefined;
  if (named !== undefined && options.rules !== undefined && named !== options.rules) {
    throw new InputError('bad-usage', `--config ${named} and --rules ${options.rules} name two configurations: give one`);
  }
  const path = named ?? options.rules;
  if (path !== undefined) return { path };
  if (options.config === false) return undefined;
  return discoverConfig(cwd, home);
}
