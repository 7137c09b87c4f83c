/** A time of day as an editor typed it, read: minutes after midnight and how to show it (`09:30`). */
export interface ClockTime {
  readonly minutes: number;
  readonly shown: string;
}

const CLOCK = /^(\d{1,2})(?:[:.h](\d{2}))?(?: ?(am|pm|a\.m\.|p\.m\.|h))?$/;
const NAMED: ReadonlyMap<string, number> = new Map([
  ['noon', 12 * 60],
  ['midday', 12 * 60],
  ['midnight', 0],
]);

/**
 * Reads a time of day the ways people write it (lower-case, spaces already collapsed):
 * - 24-hour: `14:30`, `9:05`, `9`, `21h`, `9h30`, `9.30`;
 * - 12-hour: `9am`, `9 pm`, `9:30pm`, `12am` (00:00), `12pm` (12:00), `9 a.m.`;
 * - `noon`, `midday`, `midnight` (00:00).
 * A bare hour is on the 24-hour clock (`9` is 09:00). Undefined for anything else (`25`, `13pm`, `9:60`).
 */
export function readClock(text: string): ClockTime | undefined {
  const named = NAMED.get(text);
  if (named !== undefined) return clockTime(named);
  const match = CLOCK.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const suffix = match[3]?.replace(/\./g, '');
  if (minute > 59) return undefined;
  if (suffix === 'am' || suffix === 'pm') {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return undefined;
  }
  return clockTime(hour * 60 + minute);
}

function clockTime(minutes: number): ClockTime {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return { minutes, shown: `${hh}:${mm}` };
}
