// SARIF 2.1.0: valid against the official schema, and shaped the way GitHub code scanning reads it.
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/model/index.js';
import { artifactLocation, artifactUri, formatSarif } from '../../src/report/format-sarif.js';
import { ruleHelpOf } from '../../src/report/rule-help.js';
import { makeExchange } from '../factories.js';
import { decodedExchange, finding, LEGACY_CAPTURE, metaFor, RULES, S2S_CAPTURE, sampleScan } from './builders.js';
import { errorsOf, validateSarif } from './schema-validators.js';

describe('formatSarif', () => {
  const sample = sampleScan();
  const { result } = sample;
  const log = JSON.parse(formatSarif(result, metaFor(result), { showSecrets: false })) as Log;
  const run = log.runs[0]!;
  const results = run.results ?? [];
  const byRule = (ruleId: string): Result[] => results.filter((r) => r.ruleId === ruleId);

  it('validates against the SARIF 2.1.0 schema', () => {
    expect(validateSarif(log), errorsOf(validateSarif)).toBe(true);
    const empty = { files: [], exchanges: [], findings: [], ruleErrors: [], anomalies: [] };
    const emptyLog = JSON.parse(formatSarif(empty, metaFor(empty), { showSecrets: false })) as Log;
    expect(validateSarif(emptyLog), errorsOf(validateSarif)).toBe(true);
  });

  it('is checked by a validator that rejects bad SARIF', () => {
    const badLevel = structuredClone(log);
    (badLevel.runs[0]!.results![0] as { level: string }).level = 'fatal';
    expect(validateSarif(badLevel)).toBe(false);
    expect(validateSarif({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('lists every rule with descriptions, help URI and default level', () => {
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(rules.find((r) => r.id === 'no-basic-auth')).toEqual({
      id: 'no-basic-auth',
      name: 'NoBasicAuth',
      shortDescription: { text: 'HTTP Basic credentials on the wire' },
      fullDescription: { text: 'HTTP Basic credentials on the wire. See the rule page for why it matters and how to fix it.' },
      helpUri: 'https://github.com/example/oauth-inspect/blob/v0.1.0/docs/rules/no-basic-auth.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'oauth', 'authentication'], 'security-severity': '8.0' },
    });
    expect(rules.find((r) => r.id === 'ntlm-over-http')?.properties?.['security-severity']).toBe('5.0');
    expect(run.tool.driver).toMatchObject({
      name: 'oauth-inspect',
      informationUri: 'https://github.com/example/oauth-inspect',
      version: '0.1.0',
      semanticVersion: '0.1.0',
    });
  });

  it('gives each finding a result with level, ruleIndex and location in the capture', () => {
    expect(results).toHaveLength(result.findings.length);
    const ntlm = byRule('ntlm-over-http')[0]!;
    expect(ntlm.level).toBe('warning');
    expect(ntlm.ruleIndex).toBe(RULES.findIndex((r) => r.id === 'ntlm-over-http'));
    expect(ntlm.message.text).toBe('NTLM type 3 for CONTOSO\\bob over plain HTTP (frame 9, tcp.stream 1: mail.contoso.com/mapi/emsmdb/). Fix: the fix for ntlm-over-http');
    const location = ntlm.locations![0]!;
    expect(location.physicalLocation?.artifactLocation).toEqual({ uri: 'captures/legacy%20auth.pcap', uriBaseId: '%SRCROOT%', index: 1 });
    expect(location.physicalLocation?.region).toEqual({ startLine: 1 });
    expect(location.properties).toEqual({ frame: 9, stream: 1, host: 'mail.contoso.com', path: '/mapi/emsmdb/' });
    expect(location.logicalLocations).toEqual([
      { name: 'frame 9, tcp.stream 1', fullyQualifiedName: 'captures/legacy auth.pcap: frame 9, tcp.stream 1 mail.contoso.com/mapi/emsmdb/', kind: 'object' },
    ]);
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///builds/contoso/oauth-checks/' } });
    expect(byRule('unsigned-outer-token').map((r) => r.level)).toEqual(['note', 'note']);
  });

  it('lists the captures as analysis targets', () => {
    expect(run.artifacts).toEqual([
      { location: { uri: S2S_CAPTURE, uriBaseId: '%SRCROOT%' }, roles: ['analysisTarget'] },
      { location: { uri: artifactUri(LEGACY_CAPTURE), uriBaseId: '%SRCROOT%' }, roles: ['analysisTarget'] },
    ]);
  });

  it('fingerprints results by rule, place and credential, or else by rule and place', () => {
    const expired = byRule('actor-token-expired')[0]!;
    expect(expired.properties?.['credentialFingerprint']).toBe(fingerprintOf(sample.secrets.outerToken));
    expect(expired.partialFingerprints?.['credentialFindingHash/v1']).toMatch(/^[0-9a-f]{64}$/);
    // The same token in two findings (two exchanges) stays two alerts.
    const unsigned = byRule('unsigned-outer-token').map((r) => r.partialFingerprints?.['credentialFindingHash/v1']);
    expect(unsigned).toHaveLength(2);
    expect(new Set([...unsigned, expired.partialFingerprints?.['credentialFindingHash/v1']]).size).toBe(3);
    const withoutCredential = { ...result, findings: result.findings.map(({ sighting: _s, fingerprint: _f, ...rest }) => rest) };
    const again = JSON.parse(formatSarif(withoutCredential, metaFor(withoutCredential), { showSecrets: false })) as Log;
    const hashes = (again.runs[0]!.results ?? []).map((r) => r.partialFingerprints?.['findingLocationHash/v1']);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('records exit code, success, rule errors and anomalies in the invocation', () => {
    const invocation = run.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.exitCode).toBe(1);
    expect(invocation.properties).toEqual({ failOn: 'error', configPath: 'oauth-inspect.yaml' });
    const notes = invocation.toolExecutionNotifications ?? [];
    expect(notes.map((n) => [n.level, n.descriptor?.id])).toEqual([
      ['error', 'rule-error'],
      ['warning', 'tcp-gap'],
      ['note', 'truncated-record'],
    ]);
    expect(notes[0]!.associatedRule).toEqual({ id: 'issuer-not-trusted', index: 1 });
    expect(notes[0]!.message.text).toContain(`rule issuer-not-trusted failed on ${S2S_CAPTURE}#3.1`);
    expect(notes[2]!.locations![0]!.properties).toEqual({ offset: 1024 });
    const descriptors = run.tool.driver.notifications ?? [];
    expect(notes.slice(1).map((n) => descriptors[n.descriptor!.index!]?.id)).toEqual(['tcp-gap', 'truncated-record']);
    expect(descriptors.map((d) => d.helpUri)).toEqual([
      expect.stringMatching(/\/docs\/anomalies\.md#tcp-gap$/),
      expect.stringMatching(/\/docs\/anomalies\.md#truncated-record$/),
    ]);
    const passing = JSON.parse(formatSarif(result, metaFor(result, 'never'), { showSecrets: false })) as Log;
    expect(passing.runs[0]!.invocations![0]!.exitCode).toBe(0);
  });

  it('turns capture paths into URI references', () => {
    expect(artifactUri('captures/a b#1.pcap')).toBe('captures/a%20b%231.pcap');
    expect(artifactUri('/srv/captures/x y.pcap')).toBe('file:///srv/captures/x%20y.pcap');
  });

  it('points at the frame\'s bytes, the HAR entry\'s line, and names the frame and stream', () => {
    const ex = makeExchange({ origin: { kind: 'pcap', file: 'captures/a.pcap' }, frame: 4, stream: 2, host: 'mail.contoso.com', uri: '/EWS/Exchange.asmx' });
    const located = { ...ex, request: { ...ex.request, frameRecord: { offset: 286, length: 930 } } };
    const har = { ...makeExchange({ origin: { kind: 'har', file: 'captures/b.har' }, entry: 1, host: 'mail.contoso.com' }), entryLine: 3 };
    const scan = {
      files: ['captures/a.pcap', 'captures/b.har'],
      exchanges: [],
      findings: [finding(decodedExchange(1, located), 'no-basic-auth', 'error', 'Basic'), finding(decodedExchange(2, har), 'no-basic-auth', 'error', 'Basic')],
      ruleErrors: [],
      anomalies: [],
    };
    const [pcapResult, harResult] = (JSON.parse(formatSarif(scan, metaFor(scan), { showSecrets: false })) as Log).runs[0]!.results!;
    expect(pcapResult!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, byteOffset: 286, byteLength: 930 });
    expect(pcapResult!.locations![0]!.logicalLocations![0]!.name).toBe('frame 4, tcp.stream 2');
    expect(harResult!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 3 });
    expect(harResult!.locations![0]!.logicalLocations![0]).toMatchObject({ name: 'entry 1', kind: 'element' });
    expect(pcapResult!.partialFingerprints).not.toEqual(harResult!.partialFingerprints);
  });

  it('names captures relative to the working directory, or as file: URLs outside it', () => {
    expect(artifactLocation('captures/a.pcap', '/builds/contoso/oauth-checks')).toEqual({ uri: 'captures/a.pcap', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/builds/contoso/oauth-checks/captures/a.pcap', '/builds/contoso/oauth-checks')).toEqual({ uri: 'captures/a.pcap', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/srv/captures/a b.pcap', '/builds/contoso/oauth-checks')).toEqual({ uri: 'file:///srv/captures/a%20b.pcap' });
    expect(artifactLocation('(proxy)', '/builds/contoso/oauth-checks')).toEqual({ uri: '(proxy)' });
  });

  it('carries each rule\'s help page as text and Markdown, links made absolute', () => {
    const help = ruleHelpOf('# no-basic-auth\n\nSee **this** and [config.md](../config.md) or `x`.\n', 'https://github.com/o/r/blob/v1/docs/rules/no-basic-auth.md');
    expect(help.markdown).toBe('# no-basic-auth\n\nSee **this** and [config.md](https://github.com/o/r/blob/v1/docs/config.md) or `x`.');
    expect(help.text).toBe('no-basic-auth\n\nSee this and config.md (https://github.com/o/r/blob/v1/docs/config.md) or x.');
    const withHelp = { ...metaFor(result), rules: RULES.map((rule) => ({ ...rule, help })) };
    const described = (JSON.parse(formatSarif(result, withHelp, { showSecrets: false })) as Log).runs[0]!.tool.driver.rules![0]!;
    expect(described.help).toEqual({ text: help.text, markdown: help.markdown });
  });
});

