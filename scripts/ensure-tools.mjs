// Makes sure the system tools the tests need (tshark, tcpdump, tmux) exist: installs them as root, else says how.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

// The SARIF Multitool (dev dependency) is a binary made executable by its postinstall script,
// which an npm that holds back install scripts does not run: make it executable here.
try {
  const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux');
  try {
    accessSync(multitool, constants.X_OK);
  } catch {
    chmodSync(multitool, 0o755);
  }
} catch (error) {
  console.error(`the SARIF Multitool is missing or cannot be made executable (npm install): ${error.message}`);
  process.exit(1);
}

const TOOLS = [
  { command: 'tshark', pkg: 'tshark' },
  { command: 'editcap', pkg: 'wireshark-common' },
  { command: 'tcpdump', pkg: 'tcpdump' },
  { command: 'tmux', pkg: 'tmux' },
  { command: 'openssl', pkg: 'openssl' },
  // Syntax and behaviour checks of `oauth-inspect completion zsh|fish`.
  { command: 'zsh', pkg: 'zsh' },
  { command: 'fish', pkg: 'fish' },
];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const missing = TOOLS.filter((t) => !has(t.command));
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((t) => t.pkg))];
const installCommand = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get')) {
  console.error(`The tests need ${missing.map((t) => t.command).join(', ')}. Install with:\n  sudo sh -c '${installCommand}'`);
  process.exit(1);
}
console.error(`installing ${packages.join(', ')} for the tests …`);
try {
  execFileSync('sh', ['-c', installCommand], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} catch {
  console.error(`could not install ${packages.join(', ')}; run: ${installCommand}`);
  process.exit(1);
}
