// Linearity checks that hold on a loaded machine: the time ratio of 8× the input, not an absolute budget.
import { expect } from 'vitest';

/** Best of `runs` timings of `work(size)`, in ms. */
function bestOf(runs: number, work: (size: number) => void, size: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work(size);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Asserts `work` is linear in `size`: 8× the input may take at most 30× the time (linear is about
 * 8×, quadratic 64×; garbage collection and other processes make the rest). The best of three runs of each size hides other processes' load.
 */
export function expectLinear(work: (size: number) => void, size: number): void {
  work(size); // warm-up: compilation is not the algorithm
  const small = Math.max(bestOf(3, work, size), 0.5);
  const large = bestOf(3, work, size * 8);
  expect(large / small, `8× input took ${large.toFixed(1)} ms against ${small.toFixed(1)} ms`).toBeLessThan(30);
}
