// The tool's own folder for state it keeps between runs (the proxy CA, the fingerprint key).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CONFIG_HOME/oauth-inspect`, else `~/.config/oauth-inspect`. */
export function configDir(env: Readonly<Record<string, string | undefined>>): string {
  const configHome = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(configHome, 'oauth-inspect');
}
