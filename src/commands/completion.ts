// `oauth-inspect completion bash|zsh|fish`: prints a completion script generated from the program's own commands and options.
import type { Command } from '@commander-js/extra-typings';
import { bashScript } from './completion-bash.js';
import { fishScript } from './completion-fish.js';
import { completionSpec } from './completion-spec.js';
import { zshScript } from './completion-zsh.js';

import type { CompletionShell } from './completion-options.js';

/** The completion script of `program` for `shell`. */
export function completionScript(program: Command, shell: CompletionShell): string {
  const spec = completionSpec(program);
  return shell === 'bash' ? bashScript(spec) : shell === 'zsh' ? zshScript(spec) : fishScript(spec);
}
