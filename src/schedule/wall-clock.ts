import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;

/** One calendar day of wall-clock time, in ms. Not the length of a local day on a DST change. */
export const WALL_DAY_MS = 86_400_000;

/**
 * A 24-hour local clock time, `HH:MM` with two digits each (`08:30`, `23:00`).
 * Capture groups: hour, minute.
 */
export const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight for an `HH:MM` clock time, or `null` when the text is not one. */
export function clockTimeMinutes(text: string): number | null {
  const match = CLOCK_TIME_PATTERN.exec(text);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether `timeZone` is an IANA zone name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  return IANAZone.isValidZone(timeZone);
}

function offsetMsAt(zone: IANAZone, atMs: number): number {
  return zone.offset(atMs) * MINUTE_MS;
}

/**
 * The wall clock of `timeZone` at an instant, as a "wall ms": the ms since 1970-01-01T00:00 *of that
 * wall clock*. Read its fields with the `getUTC*` methods of `Date`. Arithmetic on wall ms is calendar
 * arithmetic (add {@link WALL_DAY_MS} for "same time tomorrow"); turn it back into an instant with
 * {@link instantAtWall}.
 */
export function wallMsAt(atMs: number, timeZone: string): number {
  return atMs + offsetMsAt(IANAZone.create(timeZone), atMs);
}

/** The instant a local wall-clock time denotes, and whether it had to be moved because it does not exist. */
export interface ResolvedWallTime {
  readonly atMs: number;
  /** True when the wall time falls in a DST gap and `atMs` is the end of the gap instead. */
  readonly shifted: boolean;
}

/**
 * The instant at which the clocks of `timeZone` show `wallMs` (see {@link wallMsAt}).
 *
 * DST rules, the same everywhere in regwire's scheduling:
 * - a wall time that does not exist (spring forward, e.g. 02:30 in Europe/Berlin on the last Sunday of
 *   March) resolves to the first instant after the gap, the moment the clocks jump (03:00 local), with
 *   `shifted: true`. So a 02:30 slot fires at 03:00 that day, not an hour later at 03:30;
 * - a wall time that happens twice (fall back) resolves to its first occurrence, so a daily slot fires
 *   once that day, at the earlier offset.
 *
 * Assumes at most one offset change within a day either side of `wallMs`, true of every zone in tzdata
 * since 1970 apart from a handful of historical double changes.
 */
export function instantAtWall(wallMs: number, timeZone: string): ResolvedWallTime {
  const zone = IANAZone.create(timeZone);
  const offsetBefore = offsetMsAt(zone, wallMs - WALL_DAY_MS);
  const offsetAfter = offsetMsAt(zone, wallMs + WALL_DAY_MS);
  const early = wallMs - offsetBefore;
  const late = wallMs - offsetAfter;
  const earlyValid = offsetMsAt(zone, early) === offsetBefore;
  const lateValid = offsetMsAt(zone, late) === offsetAfter;
  if (earlyValid && lateValid) return { atMs: Math.min(early, late), shifted: false };
  if (earlyValid) return { atMs: early, shifted: false };
  if (lateValid) return { atMs: late, shifted: false };
  // DST gap: the offset grows (offsetAfter > offsetBefore), so late < early, and the transition lies in
  // (late, early]. Bisect on ms for the first instant carrying the new offset.
  let lo = late;
  let hi = early;
  const offsetLo = offsetMsAt(zone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMsAt(zone, mid) === offsetLo) lo = mid;
    else hi = mid;
  }
  return { atMs: hi, shifted: true };
}

/** Local midnight (as wall ms) of the day containing `wallMs`. */
export function wallDayStart(wallMs: number): number {
  return Math.floor(wallMs / WALL_DAY_MS) * WALL_DAY_MS;
}

/** Minutes after local midnight of a wall ms. */
export function wallMinuteOfDay(wallMs: number): number {
  return Math.floor((wallMs - wallDayStart(wallMs)) / MINUTE_MS);
}
