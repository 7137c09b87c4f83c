/** The state of one fixed rate-limit window, as reported in `x-*-limit/remaining/reset` headers. */
export interface WindowState {
  readonly limit: number;
  readonly remaining: number;
  /** When the window resets, in epoch seconds (X's unit). */
  readonly resetSec: number;
}

interface Bucket {
  start: number;
  used: number;
}

/**
 * Fixed windows per key (user + endpoint), opened by the first request and reset `windowMs` later, like
 * X's 15-minute and 24-hour counters. Time comes from the caller so tests can move it.
 */
export class RateWindows {
  #buckets = new Map<string, Bucket>();

  /** The window as it stands at `now`, without counting a request. */
  peek(key: string, limit: number, windowMs: number, now: number): WindowState {
    const bucket = this.#current(key, windowMs, now);
    return {
      limit,
      remaining: Math.max(0, limit - bucket.used),
      resetSec: Math.ceil((bucket.start + windowMs) / 1000),
    };
  }

  /** Counts one request; call only after {@link peek} showed room. */
  consume(key: string, limit: number, windowMs: number, now: number): WindowState {
    this.#current(key, windowMs, now).used += 1;
    return this.peek(key, limit, windowMs, now);
  }

  reset(): void {
    this.#buckets.clear();
  }

  #current(key: string, windowMs: number, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket || now >= bucket.start + windowMs) {
      bucket = { start: now, used: 0 };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
