// Property: a .saz cut anywhere and with random bits flipped is read without throw or hang.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import { repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'saz-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const archive = readFileSync(join(repoRoot, 'captures', 'saz', 'fiddler-mixed.saz'));
const TERMINATION_MS = 5_000;

/** A cut point (as a fraction of the archive's length) and bit positions to flip. */
const mutation = fc.record({
  cut: fc.double({ min: 0.0001, max: 1, noNaN: true }),
  flips: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 8 }),
});

describe('damaged Fiddler archives', () => {
  it('never throw (except InputError when no session is left) and always terminate', { timeout: 120_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async ({ cut, flips }) => {
        const bytes = Buffer.from(archive.subarray(0, Math.max(4, Math.round(archive.length * cut))));
        // Keep the zip magic: the property is about the SAZ reader, not the sniffing.
        for (const flip of flips) {
          const bit = 32 + Math.floor(flip * (bytes.length - 4) * 8);
          bytes[bit >> 3]! ^= 1 << (bit & 7);
        }
        const path = join(dir, `case-${run++}.saz`);
        writeFileSync(path, bytes);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), TERMINATION_MS)));
        const read = readExchanges(path, { exchange() {}, anomaly() {} }).then(() => 'done' as const, (error: unknown) => error);
        const outcome = await Promise.race([read, timeout]);
        clearTimeout(timer);
        expect(outcome).not.toBe('hang');
        if (outcome !== 'done') {
          expect(outcome).toBeInstanceOf(InputError);
          expect(['unknown-format', 'encrypted-archive']).toContain((outcome as InputError).code);
        }
        rmSync(path);
      }),
      { numRuns: 120, seed: 20_261_204 },
    );
  });
});
