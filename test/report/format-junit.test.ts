// JUnit XML: well-formed, one suite per capture, one case per capture and rule, failures by threshold.
import { describe, expect, it } from 'vitest';
import { formatJunit, junitClassname, xmlEscape } from '../../src/report/format-junit.js';
import { makeExchange } from '../factories.js';
import { decodedExchange, finding, LEGACY_CAPTURE, metaFor, RULES, S2S_CAPTURE, sampleScan } from './builders.js';
import { childrenNamed, parseXml, type XmlElement } from './mini-xml.js';

function testcase(suite: XmlElement, rule: string): XmlElement {
  const found = childrenNamed(suite, 'testcase').find((tc) => tc.attributes['name'] === rule);
  if (!found) throw new Error(`no testcase ${rule}`);
  return found;
}

describe('formatJunit', () => {
  const { result } = sampleScan();
  const xml = formatJunit(result, metaFor(result), { showSecrets: false });
  const root = parseXml(xml);
  const suites = childrenNamed(root, 'testsuite');
  const [s2s, legacy] = suites as [XmlElement, XmlElement];

  it('is well-formed, with one testsuite per capture and totals that add up', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => s.attributes['name'])).toEqual([S2S_CAPTURE, LEGACY_CAPTURE]);
    // Each capture: a testcase per rule and capture-readable.
    // Errors: the rule error and the tcp-gap (part of the capture unreadable) in s2s.
    expect(root.attributes).toMatchObject({ tests: String(2 * (RULES.length + 1)), failures: '3', errors: '2', skipped: '0' });
    expect(s2s.attributes).toMatchObject({ tests: String(RULES.length + 1), failures: '2', errors: '2', skipped: '0' });
    expect(legacy.attributes).toMatchObject({ failures: '1', errors: '0' });
  });

  it('has a testcase for every rule in every capture, passing ones empty', () => {
    for (const suite of suites) {
      const cases = childrenNamed(suite, 'testcase');
      expect(cases.map((tc) => tc.attributes['name'])).toEqual(['capture-readable', ...RULES.map((r) => r.id)]);
      for (const tc of cases) expect(tc.attributes['classname']).toBe(junitClassname(suite.attributes['name']!));
      for (const tc of cases) expect(tc.attributes['time']).toBe('0');
    }
    expect(testcase(legacy, 'x5t-unknown').children).toEqual([]);
    expect(testcase(s2s, 'no-basic-auth').children).toEqual([]);
  });

  it('fails a rule whose findings reach the threshold, listing them', () => {
    const [failure] = childrenNamed(testcase(legacy, 'no-basic-auth'), 'failure');
    expect(failure?.attributes).toEqual({ type: 'error', message: '1 finding at or above error' });
    expect(failure?.text).toBe('error frame 4, tcp.stream 0 mail.contoso.com/autodiscover/autodiscover.xml: Basic credentials for user CONTOSO\\svc-lync sent to mail.contoso.com\n  fix: the fix for no-basic-auth (docs/rules/no-basic-auth.md)');
  });

  it('passes a rule below the threshold and shows its findings in system-out', () => {
    const ntlm = testcase(legacy, 'ntlm-over-http');
    expect(childrenNamed(ntlm, 'failure')).toEqual([]);
    expect(childrenNamed(ntlm, 'system-out')[0]?.text).toContain('warning frame 9, tcp.stream 1');
    const strict = parseXml(formatJunit(result, metaFor(result, 'warning'), { showSecrets: false }));
    const strictLegacy = childrenNamed(strict, 'testsuite')[1]!;
    expect(childrenNamed(testcase(strictLegacy, 'ntlm-over-http'), 'failure')[0]?.attributes['type']).toBe('warning');
  });

  it('reports rule errors as <error>', () => {
    const [error] = childrenNamed(testcase(s2s, 'issuer-not-trusted'), 'error');
    expect(error?.attributes).toEqual({ type: 'rule-error', message: 'rule issuer-not-trusted failed 1 time' });
    expect(error?.text).toBe('frame 20, tcp.stream 3: Cannot read properties of undefined (reading "split")');
  });

  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(xmlEscape(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlEscape('a\u0000b\u0007c\u001bd\uffffe\ud800f\tg')).toBe('abcdef\tg');
    expect(xmlEscape('emoji \u{1F600} stays')).toBe('emoji \u{1F600} stays');

    const nasty = 'captures/<weird> & "odd" \u0001.pcap';
    const ex = makeExchange({ origin: { kind: 'pcapng', file: nasty }, frame: 1, method: 'POST', uri: '/EWS/Exchange.asmx', host: 'h]]>st' });
    const scan = { files: [nasty], exchanges: [], findings: [finding(decodedExchange(1, ex), 'no-basic-auth', 'error', 'bad </failure> <x> & \u0000 \ud83d')], ruleErrors: [], anomalies: [] };
    const parsed = parseXml(formatJunit(scan, metaFor(scan), { showSecrets: false }));
    const suite = childrenNamed(parsed, 'testsuite')[0]!;
    expect(suite.attributes['name']).toBe('captures/<weird> & "odd" .pcap');
    expect(childrenNamed(testcase(suite, 'no-basic-auth'), 'failure')[0]?.text).toBe('error frame 1, tcp.stream 0 h]]>st/EWS/Exchange.asmx: bad </failure> <x> &  \n  fix: the fix for no-basic-auth (docs/rules/no-basic-auth.md)');
  });
});

describe('formatJunit for CI servers', () => {
  const { result } = sampleScan();
  const run = {
    hostname: 'ci-runner-7',
    startedAt: '2026-12-04T21:00:00.000Z',
    seconds: 2.5,
    captures: { [S2S_CAPTURE]: { startedAt: '2026-12-04T21:00:00.100Z', seconds: 1.25 }, [LEGACY_CAPTURE]: { startedAt: '2026-12-04T21:00:01.400Z', seconds: 1 } },
  };
  const damaged = {
    ...result,
    anomalies: [...result.anomalies, { code: 'truncated-record' as const, severity: 'warning' as const, message: 'the file is cut short <here>', file: LEGACY_CAPTURE, frame: 12 }],
  };
  const off = RULES[RULES.length - 1]!;
  const meta = { ...metaFor(damaged), rules: RULES.slice(0, -1), disabledRules: [off], run };
  const root = parseXml(formatJunit(damaged, meta, { showSecrets: false }));
  const [s2s, legacy] = childrenNamed(root, 'testsuite') as [XmlElement, XmlElement];

  it('times every suite and case, and says when and where each capture was scanned', () => {
    expect(root.attributes['time']).toBe('2.500');
    expect(s2s.attributes).toMatchObject({ time: '1.250', timestamp: '2026-12-04T21:00:00', hostname: 'ci-runner-7' });
    expect(legacy.attributes).toMatchObject({ time: '1.000', timestamp: '2026-12-04T21:00:01' });
    for (const tc of [...childrenNamed(s2s, 'testcase'), ...childrenNamed(legacy, 'testcase')]) expect(tc.attributes['time']).toBe('0');
  });

  it('names the class without the capture\'s dots, so Jenkins does not split at the extension', () => {
    expect(junitClassname('captures/s2s.pcapng.gz')).toBe('captures/s2s_pcapng_gz');
    expect(testcase(s2s, 'no-basic-auth').attributes['classname']).toBe('captures/s2s-sfb-exchange_pcapng');
  });

  it('lists a rule turned off as skipped', () => {
    const skipped = testcase(s2s, off.id);
    expect(childrenNamed(skipped, 'skipped')[0]?.attributes).toEqual({ message: 'rule turned off in the configuration' });
    expect(s2s.attributes['skipped']).toBe('1');
    expect(root.attributes['skipped']).toBe('2');
  });

  it('makes a capture that was partly unreadable an error, the damage in system-err', () => {
    const readable = testcase(legacy, 'capture-readable');
    expect(childrenNamed(readable, 'error')[0]?.attributes).toEqual({ type: 'capture-damaged', message: '1 part of the capture could not be read' });
    expect(childrenNamed(readable, 'system-err')[0]?.text).toBe('[truncated-record] frame 12: the file is cut short <here>');
    expect(legacy.attributes['errors']).toBe('1');
    // An info anomaly (the legacy capture's) is no damage; the s2s capture's tcp-gap warning is.
    expect(childrenNamed(testcase(s2s, 'capture-readable'), 'system-err')[0]?.text).toBe('[tcp-gap] frame 19, tcp.stream 3: stream 3: 1460 bytes missing before frame 19');
  });
});

describe('mini XML reader', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(/closes/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => parseXml('<a>1 & 2</a>')).toThrow(/entity/);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/not allowed/);
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
  });
});
