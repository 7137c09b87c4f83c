import type { PlannedPublication } from '../schedule/plan-publication.js';

/** One upcoming publication in time order. */
export interface PlanEntry {
  readonly storyId: string;
  readonly destination: string;
  readonly atMs: number;
}

/**
 * The publication plan of each destination: what is due when, with its units. It is the input of the
 * planner and the index behind "what is next" listings. Implemented on Redis by
 * `src/adapters/redis/redis-plan-store.ts`.
 */
export interface PlanStore {
  /** Entries due in `[fromMs, toMs]`, for the planner. */
  entries(destination: string, fromMs: number, toMs: number): Promise<PlannedPublication[]>;
  /** Adds or moves a story's entry (and forgets entries too old for any rate window). */
  put(destination: string, entry: PlannedPublication, nowMs: number): Promise<void>;
  remove(destination: string, storyId: string): Promise<void>;
  /** Entries from `fromMs` on, soonest first, a page at a time. */
  upcoming(destination: string, fromMs: number, offset: number, limit: number): Promise<PlanEntry[]>;
  /**
   * Runs `fn` holding the destination's planning lock, so two editors scheduling at once never get the
   * same slot. The lock expires by itself if its holder dies.
   */
  withLock<T>(destination: string, fn: () => Promise<T>): Promise<T>;
}
