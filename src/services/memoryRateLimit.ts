/**
 * A fixed-window rate limiter in this process's memory, for the hot path of every request (per client IP on
 * HTTP, per conversation in chat), where a database round trip per message would cost more than it saves.
 * With N instances behind a load balancer each counts its own share: the effective limit is up to N times
 * the configured one (README, "Limits"). Procedures that protect personal data use the database-backed
 * SqlRateLimiter instead, which every instance shares.
 */
import type { RateLimitResult, RateLimiter } from './ports';

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Synchronous form of hit(). */
  check(bucket: string, key: string, limit: number, windowSeconds: number): RateLimitResult {
    const windowMs = windowSeconds * 1000;
    const now = this.now();
    const start = Math.floor(now / windowMs) * windowMs;
    this.sweep(now, windowMs);
    const id = `${bucket}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(id, w);
    }
    w.count++;
    return { allowed: w.count <= limit, count: w.count, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
  }

  async hit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    return this.check(bucket, key, limit, windowSeconds);
  }

  /** Drops finished windows now and then, and bounds memory if someone sprays keys. */
  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs && this.windows.size < this.maxKeys) return;
    this.lastSweep = now;
    for (const [id, w] of this.windows) if (w.start + windowMs <= now) this.windows.delete(id);
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}
