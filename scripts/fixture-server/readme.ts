// Writes captures/README.md from the scenario table, so the documentation cannot drift from the captures.
import type { Scenario } from './scenarios.js';
import type { SigningKey } from './signing-keys.js';
import { tsharkCommandLine } from './tshark-fields.js';

export interface RecordedCapture {
  readonly scenario: Scenario;
  /** Every file written for the scenario: the pcap, then any extra formats. */
  readonly files: readonly string[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function capturesReadme(recorded: readonly RecordedCapture[], keys: { trusted: SigningKey; other: SigningKey }): string {
  const rows = recorded.map(({ scenario, files }) => {
    const listed = scenario.fires.map((r) => `\`${r}\``).join(', ');
    const rules = scenario.fires.length === 0 ? '— (negative fixture)'
      : scenario.firesWith ? `${listed} (with \`${scenario.firesWith}\` configured)` : listed;
    const commands = files.map((f) => `\`${tsharkCommandLine(`captures/${f}`)}\``).join('<br>');
    return `| ${files.map((f) => `\`${f}\``).join('<br>')} | ${cell(scenario.shows)} | ${rules} | ${cell(commands)} |`;
  });
  const cutOnPurpose = recorded.flatMap(({ scenario, files }) => {
    const snaplen = scenario.capture?.snaplen;
    return snaplen ? [`\`${files[0]}\` is cut at ${snaplen} bytes per frame on purpose (\`tcpdump -s ${snaplen}\`): it is the fixture for`
      + ' a capture whose requests cannot be read whole, not a broken recording.'] : [];
  });
  return `# Fixture captures

Real loopback traffic recorded by \`scripts/record-captures.ts\` (\`npm run record\`): an Exchange-like
Node server (\`scripts/fixture-server/\`) on 127.0.0.1 and ::1, port **18080**, driven by Node and curl
clients, captured with \`tcpdump -i lo -U\`. One small capture per quirk, named after it.

Fixed world: tenant/realm \`5de110f8-2e0f-4d45-891d-bcf2218e253d\`, host \`mail.contoso.test\`
(sent as the Host header), mailbox \`alice@contoso.test\`. Token times are relative to the moment each
capture was recorded: judge them against the capture time, not the wall clock.

## Keys

\`keys/oauth-test-cert.{pem,cer}\` signs every token the server trusts (x5t \`${keys.trusted.x5t}\`,
thumbprint \`${keys.trusted.thumbprint}\`). \`keys/other-signer-cert.{pem,cer}\` signs the tokens nobody
trusts (x5t \`${keys.other.x5t}\`). Only certificates are committed: the private keys live in a
temporary directory while the recorder runs and are deleted before it exits. Re-recording makes new keys
(and so new certificates), which is why all captures are always recorded together.

## Captures

The "rules" column names the rules of \`docs/rules/\` expected to fire on the capture when scanned with
\`--cert captures/keys/oauth-test-cert.pem\` (and otherwise default configuration). Every capture is
plain HTTP, so \`cleartext-credential\` fires wherever a non-empty credential travels and can be read
(all but \`preauth-device-401\`, which carries none, and \`snaplen-96\`, whose credentials are cut off) and
is not repeated in the table. A capture with no other rule is a negative fixture: the seed flow
\`s2s-good\` is the negative for every token rule, \`opaque-bearer\` (a \`cwt=\` web ticket) for
\`token-malformed\`, and the transport captures for the credential rules. The NTLM
CHALLENGE leg is a 401 carrying only \`WWW-Authenticate: NTLM <type 2>\`, as IIS sends it: a handshake
step, on which \`challenge-without-bearer\` stays quiet. \`s2s-good.masked.har\` is the seed capture
recorded as the proxy records (\`scripts/record-masked-har.ts\`, run by \`npm run record\`), signatures
masked, so \`token-signature-unverified\` fires on it. Token rejections without a confirmed Exchange diagnostic
code (expired, not yet valid, malformed, chain broken, untrusted issuer) get a 401 with
\`error="invalid_token"\` and no \`x-ms-diagnostics\`. Requests without a token get the plain challenge,
except in \`discovery-diagnostics\`, where the server adds Exchange's \`2000000\` "token should be present"
diagnostic.

| capture | what it shows | rules that fire | tshark command (output in \`<name>.tshark.tsv\`) |
|---|---|---|---|
${rows.join('\n')}
${cutOnPurpose.map((line) => `\n${line}`).join('')}

## Reference tshark output

Beside each capture, \`<name>.tshark.tsv\` holds what tshark reports for its HTTP requests (frame, TCP
stream, method, URI, Authorization). A capture and its other formats (\`.pcapng\`, \`.pcap.gz\`) share
one \`.tsv\`. The exact command, for \`s2s-good.pcap\`:

\`\`\`sh
${tsharkCommandLine('captures/s2s-good.pcap')}
\`\`\`

\`test/captures/fixtures.test.ts\` re-runs it on every capture and compares with the committed \`.tsv\`.

## Re-recording

Needs root (or CAP_NET_RAW) for tcpdump, plus tshark, editcap, curl and openssl; port 18080 must be free.

\`\`\`sh
npm run record        # = npx tsx scripts/record-captures.ts
\`\`\`

The recorder deletes the old captures and \`.tsv\` files, generates fresh keys, starts the server, records
every scenario in turn (tcpdump is started, waited for until it listens, and stopped with SIGINT after
the clients finish), writes the \`.tsv\` files and this README, and prints a summary. It stops the server
and every tcpdump it started on exit, on error and on Ctrl-C. Commit the captures, the \`.tsv\` files,
\`keys/\` and this README together; golden outputs built on the captures must be regenerated too.
`;
}
