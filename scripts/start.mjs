// `npm start`: runs oauth-inspect on the bundled sample capture with the seed configuration (the dashboard on a TTY).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}dist/bin.js`;
if (!existsSync(bin)) {
  console.error('oauth-inspect is not built yet: run `npm install` (it builds), or `npm run build`.');
  process.exit(2);
}
const args = [bin, ...(process.argv.length > 2 ? process.argv.slice(2) : defaultArgs())];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 2);

function defaultArgs() {
  const capture = 'captures/sample-sfb-exchange.pcapng';
  const args = ['scan', capture, '--rules', 'examples/sfb-online-exchange-onprem.yaml', '--fail-on', 'never'];
  // On a terminal, the dashboard; piped or redirected, the text report.
  return process.stdout.isTTY && process.stdin.isTTY ? [...args, '--tui'] : args;
}
