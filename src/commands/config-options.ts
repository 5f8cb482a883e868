// The configuration options that scan, decode and proxy share: --rules, --realm, --cert, --metadata,
// and --fingerprint-key (these three print fingerprints).
import type { Command, OptionValues } from '@commander-js/extra-typings';

/** Collects a repeatable option's values in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the configuration options (file, realms, certificates, metadata documents) to `command`. */
export function withConfigOptions<Args extends unknown[], Opts extends OptionValues>(command: Command<Args, Opts>) {
  return command
    .option('--rules <file>', 'configuration file (YAML or JSON): realms, principals, certificates, rule settings')
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
