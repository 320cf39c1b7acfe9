/**
 * The RateLimiter port in this process's memory (rate-limiter-flexible's RateLimiterMemory), for tests and
 * tools that run without a database. The bot itself counts in the database (SqlRateLimiter), so that every
 * instance shares one limit; SqlRateLimiter falls back to the same memory counting when a limit chooses to
 * keep working through a database outage.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitResult, RateLimiter } from './ports';
import type { RateLimitMetrics } from './rateLimit';

export class MemoryRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, RateLimiterMemory>();

  constructor(private readonly metrics?: RateLimitMetrics) {}

  async hit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const id = `${bucket}|${limit}|${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `${bucket}/${windowSeconds}`, points: limit, duration: windowSeconds });
      this.limiters.set(id, limiter);
    }
    let res: RateLimiterRes;
    let allowed = true;
    try {
      res = await limiter.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      res = refusal;
      allowed = false;
      this.metrics?.rateLimitRefusal(bucket);
    }
    return { allowed, count: res.consumedPoints, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }
}
