// The zsh completion script for a CompletionSpec: _arguments per command, values completed by kind, commands described.
import type { CommandSpec, CompletionSpec, OptionSpec, ValueKind } from './completion-spec.js';

/** Text for inside a single-quoted _arguments spec: quotes closed and reopened, brackets and colons escaped. */
function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, `'\\''`).replace(/[[\]:]/g, (c) => `\\${c}`);
}

function action(value: ValueKind, message: string): string {
  switch (value.kind) {
    case 'file':
      return `:${message}:_files`;
    case 'directory':
      return `:${message}:_files -/`;
    case 'choices':
      return `:${message}:(${value.choices.join(' ')})`;
    case 'text':
      return `:${message}: `;
  }
}

/** One _arguments spec: `'(-o --output)'{-o,--output}'[description]:file:_files'`. */
function optionSpec(option: OptionSpec): string {
  const repeat = option.repeatable ? '*' : '';
  const tail = `[${escape(option.description)}]${option.value ? action(option.value, option.long.replace(/^-+/, '')) : ''}`;
  if (option.short) return `'(${option.short} ${option.long})'${repeat ? `'*'` : ''}{${option.short},${option.long}}'${tail}'`;
  return `'${repeat}${option.long}${tail}'`;
}

function operandSpec(command: CommandSpec): string {
  return `'*${action(command.operands, command.name === 'help' ? 'command' : 'argument')}'`;
}

function commandCase(command: CommandSpec): string[] {
  return [
    `        ${command.name})`,
    '          _arguments \\',
    ...command.options.map((option) => `            ${optionSpec(option)} \\`),
    `            ${operandSpec(command)}`,
    '          ;;',
  ];
}

export function zshScript(spec: CompletionSpec): string {
  const fn = `_${spec.program}`;
  return [
    `#compdef ${spec.program}`,
    `# ${spec.program} completion for zsh. Load it with:`,
    `#   source <(${spec.program} completion zsh)     (after compinit)`,
    `# or save it as ${fn} in a folder of $fpath.`,
    `${fn}() {`,
    '  local context state state_descr line',
    '  typeset -A opt_args',
    '  _arguments -C \\',
    ...spec.options.map((option) => `    ${optionSpec(option)} \\`),
    `    '1:command:->command' \\`,
    `    '*:: :->argument'`,
    '  case $state in',
    '    command)',
    '      local -a commands',
    '      commands=(',
    ...spec.commands.map((command) => `        '${escape(command.name)}:${command.description.replace(/'/g, `'\\''`)}'`),
    '      )',
    `      _describe -t commands '${spec.program} command' commands`,
    '      ;;',
    '    argument)',
    '      case $line[1] in',
    ...spec.commands.flatMap(commandCase),
    '      esac',
    '      ;;',
    '  esac',
    '}',
    `if [[ $zsh_eval_context[-1] == loadautofunc ]]; then`,
    `  ${fn} "$@"`,
    'else',
    `  compdef ${fn} ${spec.program}`,
    'fi',
    '',
  ].join('\n');
}
