// `oauth-inspect ca`: where the proxy's CA certificate is (created if missing) and how to trust it.
import type { Command } from '@commander-js/extra-typings';
import { EXIT_OK, type CliIo } from './io.js';

export interface CaOptions {
  readonly caDir?: string;
  readonly json?: boolean;
}

/** The trust instructions for `certPath`, one block per client kind. */
export function trustInstructions(certPath: string): string {
  return [
    `CA certificate: ${certPath}`,
    '',
    'Trust it only on test machines: anyone with its private key can intercept your TLS traffic.',
    '',
    'curl:',
    `  curl --proxy http://127.0.0.1:8080 --cacert ${certPath} https://exchange.test/`,
    'Node.js:',
    `  NODE_EXTRA_CA_CERTS=${certPath} node client.js`,
    'Windows (machine store, elevated prompt):',
    `  certutil -addstore -f Root ${certPath}`,
    'macOS:',
    `  sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${certPath}`,
    'Linux (Debian/Ubuntu):',
    `  sudo cp ${certPath} /usr/local/share/ca-certificates/oauth-inspect.crt && sudo update-ca-certificates`,
    '',
  ].join('\n');
}

export async function caCommand(options: CaOptions, io: CliIo): Promise<number> {
  // The CA store needs node-forge: loaded when the command runs, not with the CLI.
  const { defaultCaDir, openCaStore } = await import('../proxy/ca-store.js');
  const ca = await openCaStore(options.caDir ?? defaultCaDir(io.env));
  if (options.json) io.stdout.write(`${JSON.stringify({ dir: ca.dir, certificate: ca.certPath, privateKey: ca.keyPath })}\n`);
  else io.stdout.write(trustInstructions(ca.certPath));
  return EXIT_OK;
}

export function registerCaCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('ca')
    .description("print where the proxy's CA certificate is (creating it on first use) and how to trust it")
    .option('--ca-dir <dir>', 'where the proxy CA lives (default $XDG_CONFIG_HOME/oauth-inspect/ca)')
    .option('--json', 'paths as JSON')
    .action(async (options) => {
      setExit(await caCommand(options, io));
    });
}
