/** How fast the bot may write, after Telegram's documented limits for one bot. */
export interface SendPaceOptions {
  /** Messages allowed back to back in one chat. Default 3. */
  readonly perChatBurst?: number;
  /** After the burst, one message per chat per this many ms. Default 1000. */
  readonly perChatIntervalMs?: number;
  /** Messages per rolling minute to one group or channel (negative chat id). Default 20. */
  readonly perGroupPerMinute?: number;
  /** Messages per second across all chats. Default 25 (Telegram allows about 30). */
  readonly perSecond?: number;
  /** Added to every wait, for clock and network jitter. Default 50 ms. */
  readonly marginMs?: number;
}

interface Window {
  readonly count: number;
  readonly ms: number;
}

const MINUTE_MS = 60_000;

/**
 * Telegram's send budget as the bot sees it. Every message the bot sends is {@link SendPacer.note}d; news
 * nobody is waiting for (intake events) {@link SendPacer.reserve}s a slot first and waits for it, so a burst
 * of events is spread out instead of running into 429s. Interactive replies never wait: they only use up
 * budget. Slots are handed out in order, so concurrent waiters never share one.
 */
export class SendPacer {
  readonly #chatWindow: Window;
  readonly #groupWindow: Window;
  readonly #globalWindow: Window;
  readonly #marginMs: number;
  readonly #perChat = new Map<string, number[]>();
  #global: number[] = [];

  constructor(
    options: SendPaceOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    const burst = Math.max(1, options.perChatBurst ?? 3);
    const interval = options.perChatIntervalMs ?? 1000;
    // "burst back to back, then one per interval" is at most `burst` sends in any `burst × interval`.
    this.#chatWindow = { count: burst, ms: burst * interval };
    this.#groupWindow = { count: Math.max(1, options.perGroupPerMinute ?? 20), ms: MINUTE_MS };
    this.#globalWindow = { count: Math.max(1, options.perSecond ?? 25), ms: 1000 };
    this.#marginMs = options.marginMs ?? 50;
  }

  /** Records a message sent to `chatId` just now (without waiting). */
  note(chatId: number | string): void {
    const at = this.now();
    insertSorted(this.#times(chatId), at);
    insertSorted(this.#global, at);
  }

  /**
   * Reserves the earliest slot for one message to `chatId` that keeps within the limits, and returns how
   * many ms from now it is (0: send now). The slot counts as used from this call on.
   */
  reserve(chatId: number | string): number {
    const now = this.now();
    const times = this.#times(chatId);
    const windows = isGroupLike(chatId) ? [this.#chatWindow, this.#groupWindow] : [this.#chatWindow];
    let at = Math.max(now, times.at(-1) ?? now);
    for (const window of windows) at = Math.max(at, earliest(times, window, this.#marginMs));
    at = Math.max(at, earliest(this.#global, this.#globalWindow, this.#marginMs));
    times.push(at);
    // Other chats' reservations may lie later: the all-chats budget is kept sorted, and read conservatively.
    insertSorted(this.#global, at);
    return at - now;
  }

  /** Waits for a slot (see {@link reserve}); false when `signal` aborted first. */
  async wait(chatId: number | string, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    const delay = this.reserve(chatId);
    if (delay <= 0) return true;
    return new Promise<boolean>((resolve) => {
      const done = (sent: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        resolve(sent);
      };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(true), delay);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  #times(chatId: number | string): number[] {
    const key = String(chatId);
    const cutoff = this.now() - MINUTE_MS;
    let times = this.#perChat.get(key);
    if (!times) {
      times = [];
      this.#perChat.set(key, times);
    }
    while (times.length > 0 && (times[0] ?? 0) < cutoff) times.shift();
    while (this.#global.length > 0 && (this.#global[0] ?? 0) < cutoff) this.#global.shift();
    return times;
  }
}

/** Groups and channels have negative ids (or an `@username`); private chats are the user's positive id. */
function isGroupLike(chatId: number | string): boolean {
  return typeof chatId === 'string' || chatId < 0;
}

/** Earliest time a new send keeps at most `count` sends in any `ms` window (`times` sorted ascending). */
function earliest(times: readonly number[], window: Window, marginMs: number): number {
  const nth = times[times.length - window.count];
  return nth === undefined ? 0 : nth + window.ms + marginMs;
}

function insertSorted(times: number[], at: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] ?? 0) > at) i--;
  times.splice(i, 0, at);
}
