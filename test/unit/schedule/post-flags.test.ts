import { describe, expect, it } from 'vitest';
import { fileConfigSchema } from '../../../src/config/file-schema.js';
import { destinationScheduleSchema } from '../../../src/schedule/destination-schedule.js';
import { planPublication } from '../../../src/schedule/plan-publication.js';
import { postFlagsAt } from '../../../src/schedule/post-flags.js';

const ZONE = 'Europe/Berlin';
// 02:30 and 12:00 in Berlin (UTC+1) on 28 Nov 2026.
const NIGHT = Date.parse('2026-11-28T01:30:00Z');
const NOON = Date.parse('2026-11-28T11:00:00Z');
const none = { silent: false, protectContent: false };

describe('how a Telegram post goes out', () => {
  it("quiet hours that mean 'send silently' make a post silent inside them only; 'hold' never does", () => {
    const silentNights = { start: '23:00', end: '07:00', during: 'silent' as const };
    expect(postFlagsAt(undefined, none, silentNights, ZONE, NIGHT)).toEqual({
      silent: true,
      protectContent: false,
    });
    expect(postFlagsAt(undefined, none, silentNights, ZONE, NOON)).toEqual(none);
    expect(postFlagsAt(undefined, none, { start: '23:00', end: '07:00' }, ZONE, NIGHT)).toEqual(none);
  });

  it("the story's own choice wins over the destination's default and over quiet hours", () => {
    const silentNights = { start: '23:00', end: '07:00', during: 'silent' as const };
    expect(postFlagsAt({ silent: false }, none, silentNights, ZONE, NIGHT)).toEqual(none);
    const defaults = { silent: true, protectContent: true };
    expect(postFlagsAt(undefined, defaults, null, ZONE, NOON)).toEqual(defaults);
    expect(postFlagsAt({ protectContent: false }, defaults, null, ZONE, NOON)).toEqual({
      silent: true,
      protectContent: false,
    });
  });

  it("a slot inside quiet hours is refused when they hold stories, and planned when they mean 'send silently'", () => {
    const base = { platform: 'telegram', timeZone: ZONE, slots: ['02:00', '12:00'] };
    const held = destinationScheduleSchema.safeParse({
      ...base,
      quietHours: { start: '23:00', end: '07:00' },
    });
    expect(held.success).toBe(false);
    expect(held.error?.issues[0]?.message).toContain('slot 02:00 is inside quiet hours');
    const schedule = destinationScheduleSchema.parse({
      ...base,
      quietHours: { start: '23:00', end: '07:00', during: 'silent' },
    });
    const plan = planPublication({
      units: 1,
      schedule,
      planned: [],
      nowMs: Date.parse('2026-11-28T00:00:00Z'),
    });
    expect(plan).toMatchObject({ ok: true, atMs: Date.parse('2026-11-28T01:00:00Z') });
  });

  it("post defaults are a Telegram destination's, off unless set", () => {
    const parsed = fileConfigSchema.parse({
      destinations: {
        telegram: { platform: 'telegram', post: { protectContent: true } },
        x: { platform: 'x' },
      },
    });
    expect(parsed.destinations.telegram?.post).toEqual({ silent: false, protectContent: true });
    expect(parsed.destinations.x?.post).toEqual(none);
    const onX = fileConfigSchema.safeParse({
      destinations: { x: { platform: 'x', post: { silent: true } } },
    });
    expect(onX.error?.issues[0]?.message).toBe(
      'post (silent, protectContent) is for Telegram destinations only',
    );
  });
});
