import type { LiveRateState } from './destination-schedule.js';

/** Remaining counts at or below this are always recorded: the pacer stops sends at zero. */
export const LIVE_LOW_WATER = 10;
/** Otherwise a fresh reading is recorded at most this often per destination. */
export const LIVE_REFRESH_MS = 5_000;

/**
 * Whether a new reading of X's budget headers is worth writing to the shared store, given the last one
 * written. The planner counts regwire's own sends since a reading's `observedAtMs`, so an older reading
 * plans the same as a fresh one while the platform's count agrees with regwire's; what must never wait
 * is a new window, a budget running low, or a count that drifted from that agreement.
 */
export function liveWorthRecording(
  previous: LiveRateState | undefined,
  next: LiveRateState,
  sendsSincePrevious: number,
): boolean {
  if (!previous) return true;
  for (const name of ['window', 'day'] as const) {
    const was = previous[name];
    const now = next[name];
    if (!now) continue;
    if (!was || was.resetAtMs !== now.resetAtMs) return true;
    if (now.remaining <= LIVE_LOW_WATER) return true;
    // Another client of the account (or a send regwire did not log) used budget: the reading must win.
    if (now.remaining !== was.remaining - sendsSincePrevious) return true;
    if (now.observedAtMs - was.observedAtMs >= LIVE_REFRESH_MS) return true;
  }
  return false;
}
