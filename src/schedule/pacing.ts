import { lowerBound, upperBound } from './sorted-search.js';

/** What the platform last told us about one of its windows (X's `x-rate-limit-*` headers). */
export interface LiveBudget {
  /** Units the platform will still accept before `resetAtMs`. */
  readonly remaining: number;
  /** When the platform's window restarts with its full limit (epoch ms). */
  readonly resetAtMs: number;
  /**
   * When the headers were read (epoch ms). Sends at or after it consume `remaining`; earlier sends are
   * already counted in it.
   */
  readonly observedAtMs: number;
}

/** "At most `limit` units in any `windowMs`", e.g. X's 100 posts per 15 min. */
export interface RateWindow {
  readonly windowMs: number;
  readonly limit: number;
  /** Editor-readable name of the limit, used when it delays a send ("X daily cap reached (2400/day)"). */
  readonly label: string;
  /** Live state from the platform; until its reset it replaces the planned count for this window. */
  readonly live?: LiveBudget;
}

/** A platform's pacing rules for one destination. */
export interface RateLimits {
  readonly windows: readonly RateWindow[];
  /**
   * Minimum time between two consecutive units (messages, tweets); a send of `n` units occupies
   * `n * minIntervalMs` from its start, and no other send may start inside it. 0 = none.
   */
  readonly minIntervalMs: number;
  /** Editor-readable name of the interval rule. */
  readonly minIntervalLabel: string;
}

/** One send, past or planned: `units` messages or tweets starting at `atMs`. */
export interface Send {
  readonly atMs: number;
  readonly units: number;
}

/** A rate budget over a fixed set of past and planned sends; see {@link rateBudget}. */
export interface RateBudget {
  /**
   * The earliest instant at or after `nowMs` at which a send of `units` fits every limit together with
   * all known sends, before or after it. `Infinity` when `units` exceeds a window's limit and so never fits.
   */
  earliestSendAtMs(nowMs: number, units: number): number;
  /** The label of a limit that a send of `units` at `atMs` would break, or `null` when it fits. */
  blockingLimitAt(atMs: number, units: number): string | null;
}

/** Range-maximum in O(1) after O(n log n) set-up. */
function sparseMax(values: readonly number[]): (from: number, to: number) => number {
  const levels: number[][] = [values.slice()];
  for (let span = 1; span * 2 <= values.length; span *= 2) {
    const prev = levels[levels.length - 1]!;
    const next: number[] = [];
    for (let i = 0; i + span * 2 <= values.length; i++) next.push(Math.max(prev[i]!, prev[i + span]!));
    levels.push(next);
  }
  return (from, to) => {
    const level = Math.floor(Math.log2(to - from + 1));
    const row = levels[level]!;
    return Math.max(row[from]!, row[to - (1 << level) + 1]!);
  };
}

interface WindowCheck {
  readonly window: RateWindow;
  readonly fits: (atMs: number, lastUnitAtMs: number, units: number) => boolean;
  /** Instants at which this window may start to accept a send it refused just before. */
  readonly releases: readonly number[];
}

/** Unit instants, merged by time: a thread's tweets sent together count as one event of n units. */
function unitEvents(sends: readonly Send[], minIntervalMs: number): { times: number[]; prefix: number[] } {
  const byTime = new Map<number, number>();
  for (const send of sends) {
    if (minIntervalMs === 0) byTime.set(send.atMs, (byTime.get(send.atMs) ?? 0) + send.units);
    else
      for (let i = 0; i < send.units; i++) {
        const at = send.atMs + i * minIntervalMs;
        byTime.set(at, (byTime.get(at) ?? 0) + 1);
      }
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const prefix = [0];
  for (const t of times) prefix.push(prefix[prefix.length - 1]! + byTime.get(t)!);
  return { times, prefix };
}

function windowCheck(window: RateWindow, sends: readonly Send[], minIntervalMs: number): WindowCheck {
  const live = window.live;
  // With live state, the platform's own count covers everything up to the reset; the sliding count
  // only starts afresh after it.
  const sliding = live ? sends.filter((s) => s.atMs >= live.resetAtMs) : sends;
  const { times, prefix } = unitEvents(sliding, minIntervalMs);
  const W = window.windowMs;
  const unitsIn = (fromMs: number, toMs: number) =>
    prefix[lowerBound(times, toMs)]! - prefix[lowerBound(times, fromMs)]!;
  // heaviest[i]: units in the window that starts at the i-th event.
  const heaviest = times.map((t) => unitsIn(t, t + W));
  const maxOf = times.length > 0 ? sparseMax(heaviest) : () => 0;
  let liveUsed = 0;
  if (live) {
    const before = unitEvents(
      sends.filter((s) => s.atMs >= live.observedAtMs && s.atMs < live.resetAtMs),
      minIntervalMs,
    );
    liveUsed = before.prefix[before.prefix.length - 1]!;
  }
  const fits = (atMs: number, lastUnitAtMs: number, units: number): boolean => {
    if (live && atMs < live.resetAtMs && liveUsed + units > live.remaining) return false;
    if (live && lastUnitAtMs < live.resetAtMs) return true;
    // Every window that overlaps [atMs, lastUnitAtMs] must keep room for all the new units: the
    // heaviest such window starts at an event inside (atMs - W, lastUnitAtMs], or at lastUnitAtMs itself.
    const from = upperBound(times, atMs - W);
    const to = upperBound(times, lastUnitAtMs) - 1;
    const inside = from <= to ? maxOf(from, to) : 0;
    const tail = unitsIn(lastUnitAtMs, lastUnitAtMs + W);
    return Math.max(inside, tail) + units <= window.limit;
  };
  const releases = times.map((t) => t + W);
  if (live) releases.push(live.resetAtMs);
  return { window, fits, releases };
}

/**
 * Builds the rate budget of one destination from its limits and every send it knows of: recent ones
 * (still inside a window) and planned ones (in the future). Planning is exact, not optimistic: a send
 * fits only if no window, sliding over past *and* future sends, ever holds more than its limit.
 *
 * Costs O(n log n) to build for n sends; each query is O(log n) when the first candidate fits and
 * O(k log n) when it has to skip k release points.
 */
export function rateBudget(limits: RateLimits, sends: readonly Send[]): RateBudget {
  const { minIntervalMs } = limits;
  const checks = limits.windows.map((w) => windowCheck(w, sends, minIntervalMs));
  const bySend = [...sends].sort((a, b) => a.atMs - b.atMs);
  const starts = bySend.map((s) => s.atMs);
  const ends = bySend.map((s) => s.atMs + s.units * minIntervalMs);
  const endsSoFar: number[] = [];
  for (const end of ends) endsSoFar.push(Math.max(end, endsSoFar[endsSoFar.length - 1] ?? end));
  const candidates = [...new Set([...checks.flatMap((c) => c.releases), ...ends])].sort((a, b) => a - b);

  const overlapsASend = (atMs: number, units: number): boolean => {
    if (minIntervalMs === 0) return false;
    const startingBefore = lowerBound(starts, atMs + units * minIntervalMs);
    return startingBefore > 0 && endsSoFar[startingBefore - 1]! > atMs;
  };

  const blockingLimitAt = (atMs: number, units: number): string | null => {
    if (overlapsASend(atMs, units)) return limits.minIntervalLabel;
    const lastUnitAtMs = atMs + (units - 1) * minIntervalMs;
    for (const check of checks) if (!check.fits(atMs, lastUnitAtMs, units)) return check.window.label;
    return null;
  };

  const earliestSendAtMs = (nowMs: number, units: number): number => {
    if (limits.windows.some((w) => units > w.limit)) return Number.POSITIVE_INFINITY;
    if (blockingLimitAt(nowMs, units) === null) return nowMs;
    // A refused instant can only become acceptable where a unit leaves a window, a live window resets
    // or a send ends, so only those instants are tried. After the last one every window is empty.
    for (let i = upperBound(candidates, nowMs); i < candidates.length; i++) {
      const at = candidates[i]!;
      if (blockingLimitAt(at, units) === null) return at;
    }
    return Number.POSITIVE_INFINITY;
  };

  return { earliestSendAtMs, blockingLimitAt };
}
