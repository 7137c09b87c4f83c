import type { LiveRateState } from '../schedule/destination-schedule.js';

/**
 * Runtime pacing shared by every worker process: before each platform call a worker reserves a send
 * on the destination. The planner already spaced publications; this guard keeps the limits true even
 * when jobs pile up (retries, breaking news, several workers).
 */
export interface Pacer {
  /**
   * Reserves one send on `destination` at `nowMs` if every limit allows it and resolves to 0, or
   * resolves to how many ms to wait before trying again (nothing reserved).
   */
  reserve(destination: string, nowMs: number): Promise<number>;
  /** Records the budgets the platform reported (X's rate-limit headers). */
  recordLive(destination: string, live: LiveRateState): Promise<void>;
  /** The last recorded live budgets. */
  live(destination: string): Promise<LiveRateState | undefined>;
}
