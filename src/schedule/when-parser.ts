import { DateTime } from 'luxon';
import { readClock } from './clock-phrase.js';
import { describeInstant } from './describe-instant.js';
import { instantAtWall, isKnownTimeZone, WALL_DAY_MS, wallDayStart, wallMsAt } from './wall-clock.js';

/** An editor's time phrase, read: the instant and how to show it back, or one line saying what works. */
export type ParsedWhen =
  | {
      readonly ok: true;
      readonly atMs: number;
      /** The instant in the editor's zone, e.g. "Tue 1 Dec 2026, 08:00 (Europe/Berlin)". */
      readonly display: string;
      /** What the reading decided on the editor's behalf ("14:30 has passed today: tomorrow"). */
      readonly note?: string;
    }
  | { readonly ok: false; readonly error: string };

/** The longest `in …` duration accepted: a year, in ms. */
export const MAX_RELATIVE_MS = 366 * 24 * 3_600_000;

const EXAMPLES =
  'try "14:30", "9am", "tomorrow 9", "in 90m", "in 1h30m", "mon 09:00", "2026-12-01 08:00" or "now"';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// A day word and the rest of the phrase (a clock time for readClock).
const DAY_AND_REST = /^([a-z]+) (.+)$/;
const DAY_WORDS: ReadonlyMap<string, 'today' | 'tomorrow'> = new Map([
  ['today', 'today'],
  ['tomorrow', 'tomorrow'],
  ['tmrw', 'tomorrow'],
  ['tmw', 'tomorrow'],
]);
const RELATIVE = /^in\s+(?:(\d{1,5})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,6})\s*m(?:ins?|inutes?)?)?$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:\s+|t)([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:z|[+-]\d{2}(?::?\d{2})?)$/;

const WEEKDAYS: Readonly<Record<string, number>> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

function failure(error: string): ParsedWhen {
  return { ok: false, error };
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Resolves a local wall time, saying so when it fell in a DST gap. */
function atWall(wallMs: number, timeZone: string): { atMs: number; gapNote?: string } {
  const resolved = instantAtWall(wallMs, timeZone);
  if (!resolved.shifted) return { atMs: resolved.atMs };
  const asked = new Date(wallMs).toISOString().slice(11, 16);
  return {
    atMs: resolved.atMs,
    gapNote: `${asked} does not exist that day (clocks go forward): the first minute after the change`,
  };
}

function accepted(atMs: number, timeZone: string, ...notes: (string | undefined)[]): ParsedWhen {
  const note = notes.filter((n) => n !== undefined).join('; ');
  return { ok: true, atMs, display: describeInstant(atMs, timeZone), ...(note ? { note } : {}) };
}

function pastError(atMs: number, timeZone: string): ParsedWhen {
  return failure(`${describeInstant(atMs, timeZone)} is in the past: give a later time, e.g. "in 10m"`);
}

/**
 * Reads an editor's time phrase in their zone. Accepted, case-insensitive:
 * - `now`;
 * - `in 2h`, `in 90m`, `in 1h30m` (at most {@link MAX_RELATIVE_MS});
 * - a time of day as people write it ({@link readClock}: `14:30`, `9`, `9am`, `9 pm`, `21h`, `9.30`,
 *   `noon`): today, or tomorrow when it has passed (the `note` says so); `today 14:30`, `tomorrow 9`
 *   (`tmrw` too);
 * - `mon 09:00`, `monday 9am`: the next such weekday and time, today if it is still ahead;
 * - `2026-12-01 08:00`, `2026-12-01T08:00[:ss]`: local time in `timeZone`;
 * - any ISO instant with an offset: `2026-12-01T08:00:00Z`, `2026-12-01T09:00+01:00`.
 *
 * Local times follow the DST rules of {@link instantAtWall}. Times before `nowMs` are refused. Never
 * throws, whatever the text.
 */
export function parseWhen(text: string, timeZone: string, nowMs: number): ParsedWhen {
  if (!isKnownTimeZone(timeZone))
    return failure(`unknown time zone ${quoted(timeZone)}: use an IANA name, e.g. "Europe/Berlin"`);
  const phrase = text.trim().replace(/\s+/g, ' ').toLowerCase();
  const today = wallDayStart(wallMsAt(nowMs, timeZone));

  if (phrase === 'now') return accepted(nowMs, timeZone);

  const relative = RELATIVE.exec(phrase);
  if (relative && (relative[1] !== undefined || relative[2] !== undefined)) {
    const ms = Number(relative[1] ?? 0) * HOUR_MS + Number(relative[2] ?? 0) * MINUTE_MS;
    if (ms > MAX_RELATIVE_MS)
      return failure(`${quoted(text)} is more than a year ahead: give a date, e.g. "2026-12-01 08:00"`);
    return accepted(nowMs + ms, timeZone);
  }

  const dayAndRest = DAY_AND_REST.exec(phrase);
  const dayWord = dayAndRest ? DAY_WORDS.get(dayAndRest[1]!) : undefined;
  const clock = readClock(dayWord ? dayAndRest![2]! : phrase);
  if (clock && (dayWord || !dayAndRest)) {
    const { minutes, shown } = clock;
    if (dayWord === 'tomorrow') {
      const { atMs, gapNote } = atWall(today + WALL_DAY_MS + minutes * MINUTE_MS, timeZone);
      return accepted(atMs, timeZone, gapNote);
    }
    const sameDay = atWall(today + minutes * MINUTE_MS, timeZone);
    if (sameDay.atMs >= nowMs) return accepted(sameDay.atMs, timeZone, sameDay.gapNote);
    if (dayWord === 'today') return pastError(sameDay.atMs, timeZone);
    const next = atWall(today + WALL_DAY_MS + minutes * MINUTE_MS, timeZone);
    return accepted(next.atMs, timeZone, `${shown} has passed today: tomorrow`, next.gapNote);
  }

  const weekday =
    dayAndRest && Object.hasOwn(WEEKDAYS, dayAndRest[1]!) ? WEEKDAYS[dayAndRest[1]!] : undefined;
  const weekdayClock = weekday === undefined ? undefined : readClock(dayAndRest![2]!);
  if (weekday !== undefined && weekdayClock) {
    const { minutes } = weekdayClock;
    const daysAhead = (weekday - new Date(today).getUTCDay() + 7) % 7;
    let resolved = atWall(today + daysAhead * WALL_DAY_MS + minutes * MINUTE_MS, timeZone);
    if (resolved.atMs < nowMs)
      resolved = atWall(today + (daysAhead + 7) * WALL_DAY_MS + minutes * MINUTE_MS, timeZone);
    return accepted(resolved.atMs, timeZone, resolved.gapNote);
  }

  const local = LOCAL_DATE_TIME.exec(phrase);
  if (local) {
    const [year, month, day, hour, minute, second] = local
      .slice(1)
      .map((part) => Number(part ?? 0)) as number[];
    const wallMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
    const check = new Date(wallMs);
    if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || year! < 1970) {
      return failure(`${quoted(text)} is not a date on the calendar: give e.g. "2026-12-01 08:00"`);
    }
    const { atMs, gapNote } = atWall(wallMs, timeZone);
    return atMs < nowMs ? pastError(atMs, timeZone) : accepted(atMs, timeZone, gapNote);
  }

  if (ISO_WITH_OFFSET.test(phrase)) {
    const instant = DateTime.fromISO(phrase.toUpperCase(), { setZone: true });
    if (!instant.isValid)
      return failure(`${quoted(text)} is not a valid ISO time: give e.g. "2026-12-01T08:00:00Z"`);
    const atMs = instant.toMillis();
    return atMs < nowMs ? pastError(atMs, timeZone) : accepted(atMs, timeZone);
  }

  return failure(`can't read ${quoted(text)} as a time: ${EXAMPLES}`);
}
