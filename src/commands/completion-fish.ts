// The fish completion script for a CompletionSpec: one `complete` line per command, option and operand.
import type { CommandSpec, CompletionSpec, OptionSpec, ValueKind } from './completion-spec.js';

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The `complete` arguments that say what follows: files, folders, one of the choices, or anything. */
function valueArgs(value: ValueKind): string {
  switch (value.kind) {
    case 'file':
      return '-r -F';
    case 'directory':
      return `-x -a '(__fish_complete_directories)'`;
    case 'choices':
      return `-x -a ${quote(value.choices.join(' '))}`;
    case 'text':
      return '-x';
  }
}

function optionLine(head: string, option: OptionSpec): string {
  const names = [option.short ? `-s ${option.short.replace(/^-/, '')}` : '', `-l ${option.long.replace(/^--/, '')}`].filter((part) => part !== '');
  return [head, ...names, ...(option.value ? [valueArgs(option.value)] : []), '-d', quote(option.description)].join(' ');
}

function commandLines(program: string, command: CommandSpec): string[] {
  const head = `complete -c ${program} -n ${quote(`__fish_seen_subcommand_from ${command.name}`)}`;
  const operands = command.operands.kind === 'file' ? [`${head} -F`] : command.operands.kind === 'choices' ? [`${head} -a ${quote(command.operands.choices.join(' '))}`] : [];
  return [
    `complete -c ${program} -n __fish_use_subcommand -a ${command.name} -d ${quote(command.description)}`,
    ...command.options.map((option) => optionLine(head, option)),
    ...operands,
  ];
}

export function fishScript(spec: CompletionSpec): string {
  return [
    `# ${spec.program} completion for fish. Load it with:`,
    `#   ${spec.program} completion fish | source`,
    `# or save it as ~/.config/fish/completions/${spec.program}.fish`,
    `complete -c ${spec.program} -f`,
    ...spec.options.map((option) => optionLine(`complete -c ${spec.program} -n __fish_use_subcommand`, option)),
    ...spec.commands.flatMap((command) => commandLines(spec.program, command)),
    '',
  ].join('\n');
}
