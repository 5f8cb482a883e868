// exitCodeFor: 1 exactly when a finding reaches the fail-on threshold.
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/model/index.js';
import { exitCodeFor, reachesThreshold, type FailOn } from '../../src/report/exit-code.js';

const findings = (...severities: Severity[]): { severity: Severity }[] => severities.map((severity) => ({ severity }));

describe('exitCodeFor', () => {
  it.each<[FailOn, Severity[], 0 | 1]>([
    ['error', [], 0],
    ['error', ['warning', 'note'], 0],
    ['error', ['note', 'error'], 1],
    ['warning', ['note'], 0],
    ['warning', ['warning'], 1],
    ['warning', ['error'], 1],
    ['note', ['note'], 1],
    ['never', ['error', 'warning', 'note'], 0],
  ])('fail-on %s with %j gives %i', (failOn, severities, expected) => {
    expect(exitCodeFor(findings(...severities), failOn)).toBe(expected);
  });

  it('ranks severities note < warning < error', () => {
    expect(reachesThreshold('note', 'warning')).toBe(false);
    expect(reachesThreshold('error', 'warning')).toBe(true);
    expect(reachesThreshold('error', 'never')).toBe(false);
  });
});
