// What shell completion needs from the commander program: its commands, their options, which take files, directories or one of a few choices.
import type { Command, Option } from '@commander-js/extra-typings';
import { collect } from './config-options.js';

/** What an option's value is, for completion: a file, a folder, one of `choices`, or free text. */
export type ValueKind = { readonly kind: 'file' } | { readonly kind: 'directory' } | { readonly kind: 'choices'; readonly choices: readonly string[] } | { readonly kind: 'text' };

export interface OptionSpec {
  /** `--format`, with its short form (`-o`) when it has one. */
  readonly long: string;
  readonly short?: string;
  readonly description: string;
  /** Undefined for a flag that takes no value. */
  readonly value?: ValueKind;
  /** May be given more than once (--cert a --cert b). */
  readonly repeatable: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** What its positional arguments are. */
  readonly operands: ValueKind;
}

export interface CompletionSpec {
  readonly program: string;
  readonly commands: readonly CommandSpec[];
  /** The program's own options (--help, --version). */
  readonly options: readonly OptionSpec[];
}

/** First clause of a description: completion menus show one short line. */
function shortDescription(text: string): string {
  let clause = text.split(/;|\. /)[0]!.trim();
  // A clause cut inside parentheses ("principal (GUID; default …)") ends before them.
  if ((clause.match(/\(/g) ?? []).length > (clause.match(/\)/g) ?? []).length) clause = clause.slice(0, clause.lastIndexOf(' (')).trim();
  return clause.length > 80 ? `${clause.slice(0, 77)}...` : clause;
}

/** The value an option takes, read from its choices or the placeholder in its flags (`<file>`, `<file.har>`, `<dir>`). */
function valueOf(option: Option): ValueKind | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { kind: 'choices', choices: option.argChoices };
  const placeholder = /<([^>]+)>|\[([^\]]+)\]/.exec(option.flags);
  const name = (placeholder?.[1] ?? placeholder?.[2] ?? '').toLowerCase();
  if (name === 'dir') return { kind: 'directory' };
  if (name === 'file' || name.startsWith('file.')) return { kind: 'file' };
  return { kind: 'text' };
}

function optionSpec(option: Option): OptionSpec {
  const value = valueOf(option);
  return {
    long: option.long ?? option.short ?? option.flags,
    ...(option.short && option.long ? { short: option.short } : {}),
    description: shortDescription(option.description),
    ...(value ? { value } : {}),
    repeatable: option.parseArg === (collect as unknown),
  };
}

/** Options as a user types them (hidden ones left out), with --help that every command has. */
function optionsOf(command: Command): OptionSpec[] {
  const help = command.createHelp().visibleOptions(command).filter((option) => !option.hidden);
  return help.map((option) => optionSpec(option as Option));
}

/** Positional arguments: files when the command reads captures or files, else free text (a token, a shell). */
function operandsOf(command: Command): ValueKind {
  const [first] = command.registeredArguments;
  if (first === undefined) return { kind: 'text' };
  if (first.argChoices) return { kind: 'choices', choices: first.argChoices };
  return /capture|file/.test(first.name()) ? { kind: 'file' } : { kind: 'text' };
}

export function completionSpec(program: Command): CompletionSpec {
  const commands: CommandSpec[] = program.commands.map((command) => ({
    name: command.name(),
    description: shortDescription(command.description()),
    options: optionsOf(command as Command),
    operands: operandsOf(command as Command),
  }));
  const names = commands.map((command) => command.name);
  // commander's implicit `help [command]`.
  commands.push({ name: 'help', description: 'display help for a command', options: [], operands: { kind: 'choices', choices: names } });
  return { program: program.name(), commands, options: optionsOf(program) };
}
