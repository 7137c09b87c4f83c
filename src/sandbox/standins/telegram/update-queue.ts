import { BotApiError } from './bot-api-error.js';
import type { BotApiUpdate } from './stand-in-types.js';

interface Waiter {
  readonly resolve: (updates: BotApiUpdate[]) => void;
  readonly reject: (error: BotApiError) => void;
  readonly limit: number;
  readonly timer: NodeJS.Timeout;
}

export interface PollRequest {
  readonly offset?: number;
  readonly limit: number;
  /** Seconds to wait when nothing is pending; 0 answers at once. */
  readonly timeoutSec: number;
  readonly allowedUpdates?: readonly string[];
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

const updateKind = (update: BotApiUpdate): string =>
  Object.keys(update).find((key) => key !== 'update_id') ?? '';

/**
 * One bot's pending updates and its single long-poll slot. Like the real API, a newer getUpdates
 * terminates the one still waiting with 409 Conflict, and `offset` confirms everything before it.
 */
export class UpdateQueue {
  readonly #pending: BotApiUpdate[] = [];
  #nextUpdateId = 1;
  #allowed: readonly string[] | undefined;
  #waiter: Waiter | undefined;

  get pendingCount(): number {
    return this.#pending.length;
  }

  push(update: Omit<BotApiUpdate, 'update_id'>): BotApiUpdate {
    const full = { update_id: this.#nextUpdateId++, ...update } as BotApiUpdate;
    this.#pending.push(full);
    const waiter = this.#waiter;
    if (waiter) {
      const ready = this.#deliverable(waiter.limit);
      if (ready.length > 0) {
        this.#waiter = undefined;
        clearTimeout(waiter.timer);
        waiter.resolve(ready);
      }
    }
    return full;
  }

  /** Removes and returns the oldest pending update (webhook delivery). */
  shift(): BotApiUpdate | undefined {
    return this.#pending.shift();
  }

  dropPending(): void {
    this.#pending.length = 0;
  }

  poll(request: PollRequest): Promise<BotApiUpdate[]> {
    this.#confirm(request.offset);
    if (request.allowedUpdates !== undefined) {
      this.#allowed = request.allowedUpdates.length > 0 ? request.allowedUpdates : undefined;
    }
    const previous = this.#waiter;
    if (previous) {
      this.#waiter = undefined;
      clearTimeout(previous.timer);
      previous.reject(
        new BotApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    const ready = this.#deliverable(request.limit);
    if (ready.length > 0 || request.timeoutSec <= 0) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const finish = () => {
        if (this.#waiter !== waiter) return;
        this.#waiter = undefined;
        clearTimeout(waiter.timer);
        resolve([]);
      };
      const waiter: Waiter = {
        resolve,
        reject,
        limit: request.limit,
        timer: setTimeout(finish, request.timeoutSec * 1000),
      };
      this.#waiter = waiter;
      request.signal.addEventListener('abort', finish, { once: true });
    });
  }

  /** Ends a waiting long poll with no updates (on shutdown). */
  release(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.resolve([]);
  }

  #confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.#pending.splice(0, Math.max(0, this.#pending.length + offset));
      return;
    }
    while (this.#pending.length > 0 && this.#pending[0]!.update_id < offset) this.#pending.shift();
  }

  #deliverable(limit: number): BotApiUpdate[] {
    const allowed = this.#allowed;
    return this.#pending.filter((update) => !allowed || allowed.includes(updateKind(update))).slice(0, limit);
  }
}
