// The whole scan pipeline over all 830 tcpdump corpus files: no exception, no hang, warnings instead.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { scanFiles } from '../../src/pipeline/scan.js';
import { corpusDir, hasSharedCorpus } from '../helpers/cli.js';

describe('scan over the tcpdump robustness corpus', () => {
  if (!hasSharedCorpus) {
    it('needs ../shared/corpus beside the clone', () => {
      console.warn(`shared corpus not found at ${corpusDir}: corpus scan not run`);
      expect(process.env.CI, 'CI must have ../shared beside the clone').toBeUndefined();
    });
    return;
  }
  it('reads, reassembles, parses, decodes and judges every file within a few seconds each', { timeout: 300_000 }, async () => {
    const config = await resolveConfig(undefined);
    const dir = join(corpusDir, 'tcpdump');
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThanOrEqual(830);
    let warnings = 0;
    let exchanges = 0;
    for (const name of files) {
      const started = Date.now();
      const outcome = await scanFiles([join(dir, name)], config);
      expect(Date.now() - started, `${name} took too long`).toBeLessThan(5_000);
      expect(outcome.result.ruleErrors, name).toEqual([]);
      warnings += outcome.result.anomalies.length;
      exchanges += outcome.exchangeCount;
    }
    // Many corpus files are broken on purpose, and a few carry HTTP.
    expect(warnings).toBeGreaterThan(100);
    expect(exchanges).toBeGreaterThan(0);
  });
});
