// Timeline: requests and findings per time bucket, in a fixed number of buckets that widen as time goes on.

export class Timeline {
  readonly requests: number[];
  readonly findings: number[];
  #origin: number | undefined;
  /** Seconds per bucket: starts at 10 ms, doubles whenever the capture outgrows the buckets. */
  #width = 0.01;

  constructor(readonly bucketCount = 120) {
    this.requests = new Array<number>(bucketCount).fill(0);
    this.findings = new Array<number>(bucketCount).fill(0);
  }

  get secondsPerBucket(): number {
    return this.#width;
  }

  /** Buckets in use (from the first request's bucket to the latest one). */
  get used(): number {
    let last = this.bucketCount - 1;
    while (last > 0 && this.requests[last] === 0 && this.findings[last] === 0) last--;
    return last + 1;
  }

  /** Counts one request at `seconds` (capture time) with `findingCount` findings. */
  add(seconds: number, findingCount: number): void {
    this.#origin ??= seconds;
    let index = Math.floor((seconds - this.#origin) / this.#width);
    while (index >= this.bucketCount) {
      this.#halve();
      index = Math.floor((seconds - this.#origin) / this.#width);
    }
    // Earlier than the first request (a second file, or reordering): count it in the first bucket.
    const bucket = Math.max(0, index);
    this.requests[bucket] = (this.requests[bucket] ?? 0) + 1;
    this.findings[bucket] = (this.findings[bucket] ?? 0) + findingCount;
  }

  #halve(): void {
    for (const series of [this.requests, this.findings]) {
      for (let i = 0; i < this.bucketCount; i++) series[i] = i * 2 < this.bucketCount ? (series[i * 2] ?? 0) + (series[i * 2 + 1] ?? 0) : 0;
    }
    this.#width *= 2;
  }
}
