// Per-source token buckets: each source may send `rate` messages per second
// (with a one-second burst). Over the limit, UDP input is dropped and TCP
// input is held back by pausing the socket — either way it is counted, and
// one noisy source never starves the others.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();
  private lastSweep = 0;

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token. Returns 0 when allowed, else how many ms until a token is due. */
  take(source: string): number {
    const now = this.now();
    if (now - this.lastSweep > 60_000) this.sweep(now);
    let bucket = this.buckets.get(source);
    if (!bucket) {
      bucket = { tokens: this.rate, refilledAt: now };
      this.buckets.set(source, bucket);
    } else {
      bucket.tokens = Math.min(this.rate, bucket.tokens + ((now - bucket.refilledAt) * this.rate) / 1000);
      bucket.refilledAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / this.rate);
  }

  /** Drops buckets idle long enough to be full again: they would start full anyway. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [source, bucket] of this.buckets) if (now - bucket.refilledAt > 2000) this.buckets.delete(source);
  }
}
