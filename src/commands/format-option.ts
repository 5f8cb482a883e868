// The one output flag of the small commands (decode, rules, ca): --format text|json, with --json kept as its alias.
import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';

/** Adds `--format text|json` and its older spelling `--json` to `command`. */
export function withTextOrJsonFormat<Args extends unknown[], Opts extends OptionValues>(command: Command<Args, Opts>) {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json'] as const).default('text' as const))
    .option('--json', 'same as --format json');
}

/** True when the user asked for JSON, by either spelling. */
export function wantsJson(options: { readonly format?: string; readonly json?: boolean }): boolean {
  return options.json === true || options.format === 'json';
}
