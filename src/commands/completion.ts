// `oauth-inspect completion bash|zsh|fish`: prints a completion script generated from the program's own commands and options.
import { Argument, type Command } from '@commander-js/extra-typings';
import { bashScript } from './completion-bash.js';
import { fishScript } from './completion-fish.js';
import { completionSpec } from './completion-spec.js';
import { zshScript } from './completion-zsh.js';
import { EXIT_OK, type CliIo } from './io.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The completion script of `program` for `shell`. */
export function completionScript(program: Command, shell: CompletionShell): string {
  const spec = completionSpec(program);
  return shell === 'bash' ? bashScript(spec) : shell === 'zsh' ? zshScript(spec) : fishScript(spec);
}

export function registerCompletionCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('completion')
    .description('print the shell completion script (bash, zsh or fish) for oauth-inspect')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .addHelpText('after', '\nExamples:\n  source <(oauth-inspect completion bash)       # in ~/.bashrc\n  source <(oauth-inspect completion zsh)        # in ~/.zshrc, after compinit\n  oauth-inspect completion fish > ~/.config/fish/completions/oauth-inspect.fish\n')
    .action((shell) => {
      io.stdout.write(completionScript(program, shell));
      setExit(EXIT_OK);
    });
}
