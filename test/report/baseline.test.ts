// Baselines: entries carry no secret, each accepted entry suppresses one finding, leftovers are fixed, bad files are one-line errors.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { baselineEntry, baselineOf, BaselineMatcher, fixedLine, parseBaseline } from '../../src/report/baseline.js';
import { findingKey } from '../../src/report/finding-key.js';
import { sampleScan, secretList } from './builders.js';

describe('baseline', () => {
  const sample = sampleScan();
  const { findings } = sample.result;

  it('records rule, severity, fingerprint and location, and no secret', () => {
    const file = baselineOf(findings.map(baselineEntry), 'oauth-inspect test');
    const text = JSON.stringify(file);
    for (const secret of secretList(sample)) expect(text).not.toContain(secret);
    const entry = file.findings[0]!;
    expect(Object.keys(entry)).toEqual(['rule', 'severity', 'fingerprint', 'location']);
    expect(entry.fingerprint).toMatch(/^(credentialFindingHash|findingLocationHash)\/v1:[0-9a-f]{64}$/);
    expect(new Set(file.findings.map((e) => e.fingerprint)).size).toBe(findings.length);
  });

  it('suppresses each accepted finding once and lists the entries left over as fixed', () => {
    const [first, second, ...rest] = findings;
    const matcher = new BaselineMatcher(baselineOf([first!, second!].map(baselineEntry), 't'), 'accepted.json');
    const gone = { ...baselineEntry(first!), fingerprint: `findingLocationHash/v1:${'0'.repeat(64)}` };
    const withGone = new BaselineMatcher(baselineOf([baselineEntry(first!), gone], 't'), 'accepted.json');
    expect(findings.map(matcher.suppress)).toEqual([true, true, ...rest.map(() => false)]);
    expect(matcher.suppress(first!)).toBe(false);
    expect(matcher.outcome()).toEqual({ file: 'accepted.json', suppressed: 2, fixed: [] });
    expect(withGone.suppress(first!)).toBe(true);
    expect(withGone.outcome().fixed).toEqual([gone]);
    expect(fixedLine(gone)).toMatch(new RegExp(`^${first!.ruleId} captures/\\S+ frame \\d+, tcp.stream \\d+ mail.contoso.com/`));
  });

  it('does not call an entry fixed when its capture was not scanned in this run', () => {
    const [first] = findings;
    const entry = baselineEntry(first!);
    const gone = { ...entry, fingerprint: `findingLocationHash/v1:${'0'.repeat(64)}` };
    const other = { ...gone, location: { ...gone.location, file: 'captures/another.pcap' } };
    const matcher = new BaselineMatcher(baselineOf([gone, other], 't'), 'accepted.json', [entry.location.file]);
    expect(matcher.outcome().fixed).toEqual([gone]);
  });

  it('keys a password finding by place, so the machine-bound keyed fingerprint does not matter', () => {
    const basic = findings.find((f) => f.fingerprint?.startsWith('hmac-sha256:'));
    expect(basic).toBeDefined();
    expect(findingKey({ ...basic!, fingerprint: 'hmac-sha256:other' })).toEqual(findingKey(basic!));
    const token = findings.find((f) => f.fingerprint?.startsWith('sha256:'))!;
    expect(findingKey({ ...token, fingerprint: `sha256:${'1'.repeat(64)}` })).not.toEqual(findingKey(token));
  });

  it('rejects a file that is not a baseline with one line', () => {
    const bad = (text: string): string => {
      try {
        parseBaseline(text, 'accepted.json');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).code).toBe('bad-baseline');
        return (error as InputError).oneLine();
      }
      throw new Error('accepted');
    };
    expect(bad('[]')).toBe('accepted.json: not a baseline: expected a JSON object');
    expect(bad('{"version":2,"findings":[]}')).toBe('accepted.json: not a baseline: version 2, expected 1');
    expect(bad('{"version":1}')).toBe('accepted.json: not a baseline: findings is not a list');
    expect(bad('{"version":1,"findings":[{"rule":"x"}]}')).toBe('accepted.json: not a baseline: findings[0] needs rule, fingerprint and location');
    expect(bad('{')).toMatch(/^accepted\.json: not a baseline: /);
    expect(parseBaseline('{"version":1,"tool":"t","findings":[]}', 'a.json').findings).toEqual([]);
  });
});
