import { describe, expect, it } from 'vitest';
import {
  destinationScheduleSchema,
  isQuietMinute,
  rateLimitsOf,
} from '../../../src/schedule/destination-schedule.js';

describe('destinationScheduleSchema', () => {
  it('fills every default from just the platform', () => {
    expect(destinationScheduleSchema.parse({ platform: 'x' })).toEqual({
      platform: 'x',
      timeZone: 'Europe/Berlin',
      slots: ['08:30', '12:00', '17:30'],
      minGapMs: 15 * 60_000,
      quietHours: { start: '23:00', end: '07:00' },
      dailyCap: null,
      enabled: true,
      rate: { windowMs: 15 * 60_000, perWindow: 100, perDay: 2_400, minIntervalMs: 250 },
    });
    expect(destinationScheduleSchema.parse({ platform: 'telegram' }).rate).toEqual({
      perMinute: 20,
      minIntervalMs: 1_000,
    });
  });

  it('sorts and de-duplicates slots', () => {
    expect(
      destinationScheduleSchema.parse({ platform: 'telegram', slots: ['17:30', '08:30', '17:30'] }).slots,
    ).toEqual(['08:30', '17:30']);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'IANA'],
    [{ slots: ['8:30'] }, 'HH:MM'],
    [{ slots: [] }, 'at least one slot'],
    [{ slots: ['23:30'] }, 'inside quiet hours'],
    [{ quietHours: { start: '07:00', end: '07:00' } }, 'different start and end'],
    [{ dailyCap: 0 }, ''],
    [{ rate: { perMinut: 20 } }, ''],
  ])('refuses %j', (bad, message) => {
    const result = destinationScheduleSchema.safeParse({ platform: 'telegram', ...bad });
    expect(result.success).toBe(false);
    expect(result.error?.message).toContain(message);
  });

  it('allows no quiet hours', () => {
    expect(
      destinationScheduleSchema.parse({ platform: 'x', quietHours: null, slots: ['03:00'] }).quietHours,
    ).toBeNull();
  });
});

describe('isQuietMinute', () => {
  it('wraps midnight', () => {
    const q = { start: '23:00', end: '07:00' };
    expect(isQuietMinute(q, 23 * 60)).toBe(true);
    expect(isQuietMinute(q, 0)).toBe(true);
    expect(isQuietMinute(q, 7 * 60 - 1)).toBe(true);
    expect(isQuietMinute(q, 7 * 60)).toBe(false);
    expect(isQuietMinute({ start: '12:00', end: '13:00' }, 12 * 60 + 30)).toBe(true);
    expect(isQuietMinute(null, 0)).toBe(false);
  });
});

describe('rateLimitsOf', () => {
  it('names each limit for editors and folds in live X budgets', () => {
    const x = rateLimitsOf(destinationScheduleSchema.parse({ platform: 'x' }), {
      day: { remaining: 7, resetAtMs: 5, observedAtMs: 1 },
    });
    expect(x.windows.map((w) => w.label)).toEqual([
      'X rate window full (100 per 15 min)',
      'X daily cap reached (2400/day)',
    ]);
    expect(x.windows[1]!.live).toEqual({ remaining: 7, resetAtMs: 5, observedAtMs: 1 });
    const telegram = rateLimitsOf(destinationScheduleSchema.parse({ platform: 'telegram' }));
    expect(telegram.windows).toEqual([
      { windowMs: 60_000, limit: 20, label: 'Telegram per-minute limit reached (20/min)' },
    ]);
  });
});
