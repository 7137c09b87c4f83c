import { z } from 'zod';
import { timeZoneSchema } from './time-zone-schema.js';
import { instantAtWall, WALL_DAY_MS, wallDayStart, wallMsAt } from './wall-clock.js';

/** When the daily digest runs: a local time of day in a zone. */
export const digestTimeSchema = z
  .object({
    hour: z.number().int().min(0).max(23).default(20),
    minute: z.number().int().min(0).max(59).default(0),
    timeZone: timeZoneSchema,
  })
  .strict();

export type DigestTime = z.infer<typeof digestTimeSchema>;

/** A half-open range of instants, `[startMs, endMs)`. */
export interface DigestWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The stories a digest run at `nowMs` covers: from the previous scheduled run to the latest scheduled
 * run at or before `nowMs`. Consecutive windows tile time with no gap and no overlap, and last 24 h
 * except across a DST change (23 h or 25 h). A digest time inside a DST gap follows {@link instantAtWall}.
 * Call it at or after the run's scheduled time: a run that fires early gets the previous window.
 */
export function digestWindow(digest: DigestTime, nowMs: number): DigestWindow {
  const timeOfDayMs = (digest.hour * 60 + digest.minute) * 60_000;
  const runOn = (wallDay: number) => instantAtWall(wallDay + timeOfDayMs, digest.timeZone).atMs;
  let day = wallDayStart(wallMsAt(nowMs, digest.timeZone));
  if (runOn(day) > nowMs) day -= WALL_DAY_MS;
  return { startMs: runOn(day - WALL_DAY_MS), endMs: runOn(day) };
}
