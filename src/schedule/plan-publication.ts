import { describeInstant } from './describe-instant.js';
import {
  type DestinationSchedule,
  isHoldingMinute,
  isQuietMinute,
  type LiveRateState,
  rateLimitsOf,
} from './destination-schedule.js';
import { type RateBudget, rateBudget } from './pacing.js';
import { lowerBound } from './sorted-search.js';
import {
  clockTimeMinutes,
  instantAtWall,
  WALL_DAY_MS,
  wallDayStart,
  wallMinuteOfDay,
  wallMsAt,
} from './wall-clock.js';

/**
 * When an editor wants a story out. Every mode also takes `embargoUntilMs`: never before it.
 * - `next-slot` (default): the next free slot (one story per slot) outside quiet hours, at least
 *   `minGapMs` from other stories, within the daily cap and the platform limits.
 * - `at`: that exact instant, the editor's explicit choice: quiet hours, slots, gap and daily cap do not
 *   apply, platform limits do (a send that would break one is moved later). Refused when more than
 *   {@link AT_PAST_TOLERANCE_MS} in the past; a little in the past means now.
 * - `now`: as soon as the platform limits allow; ignores slots, quiet hours, `minGapMs` and the daily cap.
 * - `breaking`: the earliest instant the platform limits allow, counting only what was already sent
 *   and other breaking stories: it goes ahead of every queued non-breaking story, whose sends the worker
 *   then paces behind it. Ignores slots, quiet hours, `minGapMs` and the daily cap.
 */
export type PublicationRequest =
  | { readonly mode: 'next-slot'; readonly embargoUntilMs?: number }
  | { readonly mode: 'at'; readonly atMs: number; readonly embargoUntilMs?: number }
  | { readonly mode: 'now'; readonly embargoUntilMs?: number }
  | { readonly mode: 'breaking'; readonly embargoUntilMs?: number };

/** A story already sent or planned on the destination. */
export interface PlannedPublication {
  readonly atMs: number;
  /** Messages or tweets it uses: a 5-tweet thread is 5. */
  readonly units: number;
  readonly storyId: string;
  /** Planned with `mode: 'breaking'`. */
  readonly breaking?: boolean;
}

export interface PlanPublicationInput {
  /** Defaults to `{ mode: 'next-slot' }`. */
  readonly request?: PublicationRequest;
  /** Messages or tweets the story will use on this destination (at least 1). */
  readonly units: number;
  /** The story being planned; its own entries in `planned` are ignored, so re-planning moves it. */
  readonly storyId?: string;
  readonly schedule: DestinationSchedule;
  /** Stories sent recently (still inside a rate window) and planned, in any order. */
  readonly planned: readonly PlannedPublication[];
  /** Live X budgets from the last response headers; they override the planned count until their reset. */
  readonly live?: LiveRateState;
  readonly nowMs: number;
}

/** The planned instant, or why there is none. Messages are one line, for an editor. */
export type PublicationPlan =
  | {
      readonly ok: true;
      readonly atMs: number;
      /** Why this instant, e.g. "next free slot: Sat 28 Nov 2026, 17:30 (Europe/Berlin)". */
      readonly reason: string;
      /** Set when a limit, the embargo or the gap pushed the story later than asked or than the first free slot. */
      readonly moved?: string;
    }
  | { readonly ok: false; readonly error: string };

/** How far in the past an `at` time may be and still mean "now" (a confirmation typed a moment late). */
export const AT_PAST_TOLERANCE_MS = 60_000;

/** How far ahead `next-slot` looks for a free slot, in local days. */
export const SLOT_SEARCH_DAYS = 400;

interface Context {
  readonly input: PlanPublicationInput;
  readonly zone: string;
  readonly others: readonly PlannedPublication[];
  /** Start instants of `others`, sorted. */
  readonly times: readonly number[];
  /** Stories never start closer than this (at least 1 ms: a destination never starts two at once). */
  readonly gapMs: number;
  readonly budget: () => RateBudget;
}

function movedTo(cause: string | null | undefined, atMs: number, zone: string): { moved?: string } {
  return cause ? { moved: `${cause}: moved to ${describeInstant(atMs, zone)}` } : {};
}

/** The latest other story closer than the gap to `atMs`, or undefined. */
function gapConflict(ctx: Context, atMs: number): number | undefined {
  const before = lowerBound(ctx.times, atMs + ctx.gapMs) - 1;
  const latest = ctx.times[before];
  return latest !== undefined && latest > atMs - ctx.gapMs ? latest : undefined;
}

/**
 * The earliest instant from `fromMs` that `budget` allows for the story, explained by `reason`, and what
 * moved it there: the embargo when `embargoed` (then `fromMs` is the embargo's end), else the blocking
 * platform limit.
 */
function earliestAllowed(
  ctx: Context,
  budget: RateBudget,
  fromMs: number,
  embargoed: boolean,
  reason: (atMs: number) => string,
): PublicationPlan {
  const { units } = ctx.input;
  const atMs = budget.earliestSendAtMs(fromMs, units);
  const cause = embargoed
    ? `embargoed until ${describeInstant(fromMs, ctx.zone)}`
    : atMs > fromMs
      ? budget.blockingLimitAt(fromMs, units)
      : null;
  return { ok: true, atMs, reason: reason(atMs), ...movedTo(cause, atMs, ctx.zone) };
}

function planAt(ctx: Context, atMs: number, startMs: number, embargoed: boolean): PublicationPlan {
  const { nowMs } = ctx.input;
  if (atMs < nowMs - AT_PAST_TOLERANCE_MS) {
    return {
      ok: false,
      error: `${describeInstant(atMs, ctx.zone)} is in the past (now ${describeInstant(nowMs, ctx.zone)}): pick a later time`,
    };
  }
  const desired = Math.max(atMs, startMs);
  return earliestAllowed(ctx, ctx.budget(), desired, desired > atMs && embargoed, (at) => {
    const quiet = isQuietMinute(ctx.input.schedule.quietHours, wallMinuteOfDay(wallMsAt(at, ctx.zone)));
    return `exact time requested: ${describeInstant(at, ctx.zone)}${quiet ? ' (inside quiet hours, kept as the editor chose)' : ''}`;
  });
}

function planNow(ctx: Context, startMs: number, embargoed: boolean): PublicationPlan {
  // An editor's "now" means now: the newsroom's gap between stories is for slot planning only; the
  // platform limits (counting every planned story) still hold.
  return earliestAllowed(
    ctx,
    ctx.budget(),
    startMs,
    embargoed,
    (at) => `as soon as allowed: ${describeInstant(at, ctx.zone)}`,
  );
}

function planBreaking(ctx: Context, startMs: number, embargoed: boolean): PublicationPlan {
  const { nowMs, schedule, live } = ctx.input;
  // Queued non-breaking stories do not hold a breaking story back; what was already sent does.
  const ahead = ctx.others.filter((p) => p.atMs < nowMs || p.breaking === true);
  const budget = rateBudget(rateLimitsOf(schedule, live), ahead);
  return earliestAllowed(
    ctx,
    budget,
    startMs,
    embargoed,
    (at) => `breaking: earliest the platform allows, ${describeInstant(at, ctx.zone)}`,
  );
}

function planNextSlot(ctx: Context, startMs: number): PublicationPlan {
  const { schedule, units } = ctx.input;
  const { zone } = ctx;
  const slotMinutes = schedule.slots.map((slot) => clockTimeMinutes(slot)!);
  const budget = ctx.budget();
  let cause: string | null = null;
  let lastTried = Number.NEGATIVE_INFINITY;
  let day = wallDayStart(wallMsAt(startMs, zone));
  for (let d = 0; d < SLOT_SEARCH_DAYS; d++, day += WALL_DAY_MS) {
    let storiesThatDay: number | undefined;
    for (const minute of slotMinutes) {
      const slot = instantAtWall(day + minute * 60_000, zone);
      // A slot moved out of a DST gap may land on the next slot's instant: try each instant once.
      if (slot.atMs < startMs || slot.atMs <= lastTried) continue;
      lastTried = slot.atMs;
      const localMinute = slot.shifted ? wallMinuteOfDay(wallMsAt(slot.atMs, zone)) : minute;
      if (isHoldingMinute(schedule.quietHours, localMinute)) continue;
      if (gapConflict(ctx, slot.atMs) !== undefined) continue;
      if (schedule.dailyCap !== null) {
        storiesThatDay ??=
          lowerBound(ctx.times, instantAtWall(day + WALL_DAY_MS, zone).atMs) -
          lowerBound(ctx.times, instantAtWall(day, zone).atMs);
        if (storiesThatDay >= schedule.dailyCap) {
          cause ??= `daily cap reached (${schedule.dailyCap} stories/day)`;
          break;
        }
      }
      const blocked = budget.blockingLimitAt(slot.atMs, units);
      if (blocked !== null) {
        cause ??= blocked;
        continue;
      }
      return {
        ok: true,
        atMs: slot.atMs,
        reason: `next free slot: ${describeInstant(slot.atMs, zone)}`,
        ...movedTo(cause, slot.atMs, zone),
      };
    }
  }
  return {
    ok: false,
    error: `no free slot in the next ${SLOT_SEARCH_DAYS} days: add slots or raise the daily cap`,
  };
}

/**
 * Plans one story on one destination: the instant it should be published, why, and what moved it.
 * Pure: the caller passes the policy, everything sent or planned on the destination, and `nowMs`.
 *
 * Pacing is planned, not discovered: the story's units count against the platform windows at the
 * planned instant, among every send before and after it, so the worker should not meet a 429. To plan
 * several stories, feed each result back into `planned`.
 */
export function planPublication(input: PlanPublicationInput): PublicationPlan {
  const { schedule, units, nowMs } = input;
  const request = input.request ?? { mode: 'next-slot' };
  if (!schedule.enabled) return { ok: false, error: 'publishing is disabled for this destination' };
  if (!Number.isInteger(units) || units < 1) {
    return { ok: false, error: `a story uses at least 1 message or post (got ${units})` };
  }
  const limits = rateLimitsOf(schedule, input.live);
  const tooBig = limits.windows.find((w) => units > w.limit);
  if (tooBig) {
    return {
      ok: false,
      error: `${units} posts can never fit one rate window (${tooBig.label}): split the story`,
    };
  }
  const others =
    input.storyId === undefined ? input.planned : input.planned.filter((p) => p.storyId !== input.storyId);
  let budget: RateBudget | undefined;
  const ctx: Context = {
    input,
    zone: schedule.timeZone,
    others,
    times: others.map((p) => p.atMs).sort((a, b) => a - b),
    gapMs: Math.max(schedule.minGapMs, 1),
    budget: () => {
      budget ??= rateBudget(limits, others);
      return budget;
    },
  };
  const embargo = request.embargoUntilMs ?? Number.NEGATIVE_INFINITY;
  const startMs = Math.max(nowMs, embargo);
  const embargoed = embargo > nowMs;
  switch (request.mode) {
    case 'next-slot':
      return planNextSlot(ctx, startMs);
    case 'at':
      return planAt(ctx, request.atMs, startMs, embargoed);
    case 'now':
      return planNow(ctx, startMs, embargoed);
    case 'breaking':
      return planBreaking(ctx, startMs, embargoed);
  }
}
