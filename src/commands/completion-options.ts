// The `completion` command's argument; the script generators load only when it runs.
import { Argument, type Command } from '@commander-js/extra-typings';
import { EXIT_OK, type CliIo } from './io.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export function registerCompletionCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('completion')
    .description('print the shell completion script (bash, zsh or fish) for oauth-inspect')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .action(async (shell) => {
      const { completionScript } = await import('./completion.js');
      io.stdout.write(completionScript(program, shell));
      setExit(EXIT_OK);
    });
}
