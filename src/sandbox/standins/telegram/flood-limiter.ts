import type { FloodLimitOptions } from './stand-in-types.js';

interface ChatBudget {
  /** Per-chat token bucket. */
  tokens: number;
  refilledAt: number;
  /** Send times within the last minute, for the group/channel limit. */
  recent: number[];
}

const MINUTE_MS = 60_000;

/**
 * Telegram's documented flood limits for one bot: about one message per second per chat (short bursts
 * allowed) and at most N messages per minute to one group or channel. Time comes from the injected clock.
 */
export class FloodLimiter {
  readonly #intervalMs: number;
  readonly #burst: number;
  readonly #perMinute: number;
  readonly #budgets = new Map<string, ChatBudget>();

  constructor(
    options: FloodLimitOptions,
    private readonly now: () => number,
  ) {
    this.#intervalMs = options.perChatIntervalMs ?? 1000;
    this.#burst = options.perChatBurst ?? 3;
    this.#perMinute = options.perGroupPerMinute ?? 20;
  }

  /**
   * Takes one send from the budget of `key` (bot and chat). Returns 0 when allowed, otherwise the whole
   * seconds to wait (at least 1), like `retry_after`.
   */
  take(key: string, isGroupOrChannel: boolean): number {
    const now = this.now();
    let budget = this.#budgets.get(key);
    if (!budget) {
      budget = { tokens: this.#burst, refilledAt: now, recent: [] };
      this.#budgets.set(key, budget);
    }
    const refill = (now - budget.refilledAt) / this.#intervalMs;
    budget.tokens = Math.min(this.#burst, budget.tokens + refill);
    budget.refilledAt = now;
    budget.recent = budget.recent.filter((at) => now - at < MINUTE_MS);

    let waitMs = 0;
    if (budget.tokens < 1) waitMs = (1 - budget.tokens) * this.#intervalMs;
    if (isGroupOrChannel && budget.recent.length >= this.#perMinute) {
      const oldest = budget.recent[budget.recent.length - this.#perMinute] ?? now;
      waitMs = Math.max(waitMs, oldest + MINUTE_MS - now);
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    budget.tokens -= 1;
    budget.recent.push(now);
    return 0;
  }
}
