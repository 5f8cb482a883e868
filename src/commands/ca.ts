// `oauth-inspect ca`: where the proxy's CA certificate is (created if missing) and how to trust it.
import type { Command } from '@commander-js/extra-typings';
import { EXIT_OK, type CliIo } from './io.js';
import { wantsJson, withTextOrJsonFormat } from './format-option.js';

export interface CaOptions {
  readonly caDir?: string;
  readonly json?: boolean;
}

/** Where the Windows line tells the admin to put the certificate when this machine is not Windows. */
const WINDOWS_COPY_PATH = 'C:\\temp\\oauth-inspect-ca.cer';

/** A path as a Windows prompt takes it: quoted when it holds a space. */
function windowsArgument(path: string): string {
  return /\s/.test(path) ? `"${path}"` : path;
}

/**
 * The Windows lines: the certificate's own path on Windows; elsewhere the admin copies it to the
 * Windows server first, so the commands name a Windows path, never this machine's POSIX one.
 */
function windowsTrustLines(certPath: string, platform: NodeJS.Platform): string[] {
  const onWindows = platform === 'win32';
  const target = windowsArgument(onWindows ? certPath : WINDOWS_COPY_PATH);
  return [
    'Windows (machine store, elevated prompt):',
    ...(onWindows ? [] : [`  copy ${certPath} to the Windows server as ${WINDOWS_COPY_PATH}, then:`]),
    `  certutil -addstore -f Root ${target}`,
    `  (PowerShell: Import-Certificate -FilePath ${target} -CertStoreLocation Cert:\\LocalMachine\\Root)`,
  ];
}

/** The trust instructions for `certPath`, one block per client kind. */
export function trustInstructions(certPath: string, platform: NodeJS.Platform = process.platform): string {
  return [
    `CA certificate: ${certPath}`,
    '',
    'Trust it only on test machines: anyone with its private key can intercept your TLS traffic.',
    '',
    'curl:',
    `  curl --proxy http://127.0.0.1:8080 --cacert ${certPath} https://exchange.test/`,
    'Node.js:',
    `  NODE_EXTRA_CA_CERTS=${certPath} node client.js`,
    ...windowsTrustLines(certPath, platform),
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
  withTextOrJsonFormat(program
    .command('ca'))
    .description("print where the proxy's CA certificate is (creating it on first use) and how to trust it")
    .option('--ca-dir <dir>', 'where the proxy CA lives (default $XDG_CONFIG_HOME/oauth-inspect/ca)')
    .action(async (options) => {
      setExit(await caCommand({ ...options, json: wantsJson(options) }, io));
    });
}
