/** What to do with one more request from a user. */
export type FloodVerdict = 'allow' | 'warn' | 'drop';

/** How many requests a {@link FloodGate} allows per user, over what window, on which clock. */
export interface FloodGateOptions {
  /** Requests allowed per user per window. Default 8. */
  readonly limit?: number;
  /** Window length in ms. Default 10 000. */
  readonly windowMs?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

interface UserWindow {
  readonly times: number[];
  warned: boolean;
}

/**
 * Per-user flood control over a sliding window: the first {@link FloodGateOptions.limit} requests are
 * allowed, the next one is answered once with a "slow down" (`warn`), the rest are dropped until the window
 * has room again. Dropped requests do not extend the wait, so a flood ends when the user stops.
 */
export class FloodGate {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #users = new Map<number, UserWindow>();

  constructor(options: FloodGateOptions = {}) {
    this.#limit = options.limit ?? 8;
    this.#windowMs = options.windowMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Counts a request from `userId` and says whether to handle it. */
  take(userId: number): FloodVerdict {
    const now = this.#now();
    let window = this.#users.get(userId);
    if (!window) {
      window = { times: [], warned: false };
      this.#users.set(userId, window);
    }
    while (window.times.length > 0 && now - window.times[0]! >= this.#windowMs) window.times.shift();
    if (window.times.length < this.#limit) {
      window.times.push(now);
      window.warned = false;
      this.#prune(now);
      return 'allow';
    }
    if (window.warned) return 'drop';
    window.warned = true;
    return 'warn';
  }

  /** Seconds until `userId` may send again (0 when now). */
  waitSeconds(userId: number): number {
    const oldest = this.#users.get(userId)?.times[0];
    if (oldest === undefined) return 0;
    return Math.max(0, Math.ceil((oldest + this.#windowMs - this.#now()) / 1000));
  }

  // Bounded memory: forget users whose window has emptied.
  #prune(now: number): void {
    if (this.#users.size < 1_000) return;
    for (const [userId, window] of this.#users) {
      const last = window.times[window.times.length - 1];
      if (last === undefined || now - last >= this.#windowMs) this.#users.delete(userId);
    }
  }
}
