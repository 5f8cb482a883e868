// What each command's --help shows after its options: real examples and the exit codes.
/** The realm of the examples: a tenant GUID, as Get-AuthServer shows it on the ACS entry. */
const REALM = '5de110f8-2e0f-4d45-891d-bcf2218e253d';

/** Examples per command: what an Exchange or Skype for Business admin actually runs. */
const EXAMPLES: Readonly<Record<string, readonly (readonly [comment: string, line: string])[]>> = {
  scan: [
    ['your own capture, tokens checked against the Exchange OAuth certificate (public part)', `oauth-inspect scan s2s.pcapng --keylog sslkeys.log --realm ${REALM} --cert OAuthCert.cer`],
    ['signing keys from the saved metadata document instead (/autodiscover/metadata/json/1)', `oauth-inspect scan s2s.pcapng --realm ${REALM} --metadata exchange-metadata.json`],
    ['a CI job: SARIF for code scanning, fail on errors', `oauth-inspect scan captures/*.pcap --realm ${REALM} --cert OAuthCert.cer --format sarif -o oauth.sarif --fail-on error`],
    ['capture rotation (tcpdump -G 300 -w /var/tmp/s2s/cap-%s.pcap): each closed file as ECS NDJSON for Filebeat, until Ctrl-C', 'oauth-inspect scan --watch /var/tmp/s2s --format ecs -o /var/log/oauth-inspect/s2s.ndjson'],
  ],
  exchanges: [
    ['every HTTP exchange of a capture, Authorization masked', 'oauth-inspect exchanges s2s.pcapng --keylog sslkeys.log'],
    ['as JSON, one object per line', 'oauth-inspect exchanges session.har --format json'],
  ],
  proxy: [
    ['on the test server, then: netsh winhttp set proxy proxy-server="http://127.0.0.1:8080" bypass-list="<local>"', `oauth-inspect proxy --realm ${REALM} --cert OAuthCert.cer --record session.har`],
    ['a whole session\'s SARIF when it stops (Ctrl-C), exit code as scan', 'oauth-inspect proxy --no-tui --report session.sarif --report-format sarif --fail-on error'],
    ['in front of one server for clients that cannot use a proxy', 'oauth-inspect proxy --reverse https://exchange.contoso.com:443 --port 8443'],
  ],
  decode: [
    ['decode a token from the clipboard or a log, as jwt.ms does, and judge it', `oauth-inspect decode 'Bearer eyJ0eXAiOiJKV1Qi…' --realm ${REALM} --cert OAuthCert.cer`],
    ['judge validity at the capture\'s time', 'oauth-inspect decode - --at 2026-11-30T09:15:00Z < token.txt'],
  ],
  rules: [
    ['the rule set with ids and default severities', 'oauth-inspect rules'],
    ['as JSON', 'oauth-inspect rules --format json'],
  ],
  export: [
    ['the connections that carry findings, for Wireshark: flagged frames commented, TLS keys embedded', 'oauth-inspect export s2s.pcapng --keylog sslkeys.log --realm 5de110f8-2e0f-4d45-891d-bcf2218e253d -o flagged.pcapng'],
    ['only the Basic findings, plus tcp.stream 7', 'oauth-inspect export s2s.pcapng --rule no-basic-auth --stream 7 -o basic.pcapng'],
  ],
  completion: [
    ['bash: load it in every new shell', 'oauth-inspect completion bash > /etc/bash_completion.d/oauth-inspect'],
    ['zsh: a file in a folder of $fpath', 'oauth-inspect completion zsh > "${fpath[1]}/_oauth-inspect"'],
    ['fish', 'oauth-inspect completion fish > ~/.config/fish/completions/oauth-inspect.fish'],
  ],
  ca: [
    ['where the proxy CA is and how to trust it (curl, Node, Windows, macOS, Linux)', 'oauth-inspect ca'],
  ],
};

/** The exit codes, as every command documents them. */
const EXIT_CODES = [
  ['0', 'done (scan, proxy: no finding at or above --fail-on)'],
  ['1', 'scan or a proxy session found something at or above --fail-on (parts that could not be read count)'],
  ['2', 'usage, configuration or input error: one line naming the file and the problem'],
  ['3', 'internal error (OAUTH_INSPECT_DEBUG=1 prints the stack)'],
] as const;

/** The text --help prints after the options of `name`. */
export function helpAfterOptions(name: string): string {
  const examples = EXAMPLES[name] ?? [];
  const lines: string[] = [];
  if (examples.length > 0) {
    lines.push('', 'Examples:');
    for (const [comment, line] of examples) lines.push(`  # ${comment}`, `  ${line}`);
  }
  lines.push('', 'Exit codes:');
  for (const [code, meaning] of EXIT_CODES) lines.push(`  ${code}  ${meaning}`);
  return `${lines.join('\n')}\n`;
}

/** Option groups in --help, by long flag; an option not listed stays under "Options:". */
const OPTION_GROUPS: ReadonlyArray<readonly [heading: string, flags: readonly string[]]> = [
  ['Reading the traffic:', ['--keylog', '--watch']],
  ['What to judge against:', ['--rules', '--config', '--no-config', '--realm', '--issuer', '--cert', '--metadata', '--fail-on', '--baseline', '--write-baseline', '--at', '--host', '--fingerprint-key']],
  ['What to export:', ['--rule', '--stream']],
  ['Output:', ['--format', '--output', '--json', '--record', '--record-secrets', '--show-secrets', '--tui', '--no-tui', '--report', '--report-format', '--max-exchanges', '--max-findings-per-rule', '--quiet']],
  ['Listening and upstream:', ['--port', '--host', '--ca-dir', '--upstream', '--upstream-ca', '--insecure-upstream', '--reverse', '--connect-timeout', '--upstream-timeout', '--idle-timeout']],
];

/** The group heading of `flag` for `command` (proxy's --host is where it listens, decode's the token's host). */
function groupOf(command: string, flag: string): string | undefined {
  if (flag === '--host') return command === 'proxy' ? 'Listening and upstream:' : 'What to judge against:';
  // The proxy writes a key log; the other commands read one.
  if (flag === '--keylog' && command === 'proxy') return 'Output:';
  return OPTION_GROUPS.find(([, flags]) => flags.includes(flag))?.[0];
}

interface HelpOption {
  readonly long?: string | undefined;
  helpGroup(heading: string): unknown;
}

/** What the help layout needs of a commander command (kept structural so any command type fits). */
interface HelpCommand {
  name(): string;
  readonly options: readonly HelpOption[];
  addHelpText(position: 'after', text: string): unknown;
  readonly commands: readonly HelpCommand[];
}

/**
 * Lays out every command's --help once the program is built: options grouped by what they are
 * for, then real examples and the exit codes. Applied in one place, so a new option only needs a
 * line in OPTION_GROUPS to land in its group.
 */
export function applyHelpLayout(program: HelpCommand): void {
  program.addHelpText('after', helpAfterOptions(''));
  const order = (heading: string | undefined): number => {
    const index = OPTION_GROUPS.findIndex(([name]) => name === heading);
    return index < 0 ? OPTION_GROUPS.length : index;
  };
  for (const command of program.commands) {
    const headings = new Map(command.options.map((option) => [option, option.long ? groupOf(command.name(), option.long) : undefined]));
    // Groups print in the order their first option is listed: list them in OPTION_GROUPS' order (a stable sort).
    // commander types the list readonly; its order is only what --help prints.
    (command.options as HelpOption[]).sort((a, b) => order(headings.get(a)) - order(headings.get(b)));
    for (const [option, heading] of headings) if (heading) option.helpGroup(heading);
    command.addHelpText('after', helpAfterOptions(command.name()));
  }
}

/** The commands that have examples: a test checks every command has some. */
export const COMMANDS_WITH_EXAMPLES: readonly string[] = Object.keys(EXAMPLES);
