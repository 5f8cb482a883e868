// The bash completion script for a CompletionSpec: one function, a case per command, option values completed by kind.
import type { CommandSpec, CompletionSpec, OptionSpec, ValueKind } from './completion-spec.js';

/** Single-quoted for bash. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The COMPREPLY line that completes a value of this kind (nothing for free text). */
function reply(value: ValueKind): string {
  switch (value.kind) {
    case 'file':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") )';
    case 'directory':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") )';
    case 'choices':
      return `COMPREPLY=( $(compgen -W ${quote(value.choices.join(' '))} -- "$cur") )`;
    case 'text':
      return 'COMPREPLY=()';
  }
}

function flagsOf(option: OptionSpec): string[] {
  return option.short ? [option.short, option.long] : [option.long];
}

function commandCase(command: CommandSpec): string[] {
  const valued = command.options.filter((option) => option.value !== undefined);
  const words = command.options.flatMap(flagsOf).join(' ');
  return [
    `    ${command.name})`,
    '      case "$prev" in',
    ...valued.map((option) => `        ${flagsOf(option).join('|')}) ${reply(option.value!)}; return ;;`),
    '      esac',
    `      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W ${quote(words)} -- "$cur") ); return; fi`,
    `      ${reply(command.operands)}`,
    '      ;;',
  ];
}

export function bashScript(spec: CompletionSpec): string {
  const fn = `_${spec.program.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const top = [...spec.commands.map((command) => command.name), ...spec.options.flatMap(flagsOf)].join(' ');
  return [
    `# ${spec.program} completion for bash. Load it with:`,
    `#   source <(${spec.program} completion bash)`,
    `# or save it as ~/.local/share/bash-completion/completions/${spec.program}`,
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="" i',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "${COMP_WORDS[i]}" in',
    '      -*) ;;',
    '      *) command="${COMP_WORDS[i]}"; break ;;',
    '    esac',
    '  done',
    '  case "$command" in',
    `    "") COMPREPLY=( $(compgen -W ${quote(top)} -- "$cur") ) ;;`,
    ...spec.commands.flatMap(commandCase),
    '  esac',
    '}',
    `complete -F ${fn} ${spec.program}`,
    '',
  ].join('\n');
}
