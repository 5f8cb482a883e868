// Property: the whole pipeline (read, reassemble, HTTP, decode, rules) survives cut and bit-flipped fixtures.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { InputError } from '../../src/model/index.js';
import { scanFiles } from '../../src/pipeline/scan.js';
import { repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pipeline-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = readdirSync(join(repoRoot, 'captures'))
  .filter((f) => /\.(pcap|pcapng)$/.test(f))
  .sort()
  .map((f) => readFileSync(join(repoRoot, 'captures', f)));

const mutation = fc.record({
  capture: fc.integer({ min: 0, max: fixtures.length - 1 }),
  cut: fc.double({ min: 0.05, max: 1, noNaN: true }),
  flips: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 24 }),
});

describe('damaged fixture captures through the whole scan pipeline', () => {
  it('never throw (except InputError for a destroyed file header) and always finish', { timeout: 180_000 }, async () => {
    const config = await resolveConfig(undefined);
    let run = 0;
    let exchangesSeen = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async ({ capture, cut, flips }) => {
        const original = fixtures[capture]!;
        const bytes = Buffer.from(original.subarray(0, Math.round(original.length * cut)));
        for (const flip of flips) {
          const bit = Math.floor(flip * bytes.length * 8);
          bytes[bit >> 3]! ^= 1 << (bit & 7);
        }
        const path = join(dir, `case-${run++}.pcap`);
        writeFileSync(path, bytes);
        try {
          const outcome = await scanFiles([path], config);
          exchangesSeen += outcome.exchangeCount;
          expect(outcome.result.ruleErrors).toEqual([]);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        } finally {
          rmSync(path);
        }
      }),
      { numRuns: 250, seed: 20_261_123 },
    );
    expect(exchangesSeen, 'damaged captures still yield exchanges before the damage').toBeGreaterThan(20);
  });
});
