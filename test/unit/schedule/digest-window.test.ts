import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestTimeSchema, digestWindow } from '../../../src/schedule/digest-window.js';

const HOUR = 3_600_000;

describe('digestWindow', () => {
  const berlin20 = digestTimeSchema.parse({ hour: 20, minute: 0, timeZone: 'Europe/Berlin' });

  it('covers the 24 hours up to the latest run', () => {
    expect(digestWindow(berlin20, Date.parse('2026-11-28T19:00:05Z'))).toEqual({
      startMs: Date.parse('2026-11-27T19:00:00Z'),
      endMs: Date.parse('2026-11-28T19:00:00Z'),
    });
    // Before today's run: yesterday's window.
    expect(digestWindow(berlin20, Date.parse('2026-11-28T18:59:59Z')).endMs).toBe(
      Date.parse('2026-11-27T19:00:00Z'),
    );
  });

  it('lasts 23 hours across spring forward and 25 across fall back', () => {
    const spring = digestWindow(berlin20, Date.parse('2026-03-29T19:00:00Z'));
    expect(spring.endMs - spring.startMs).toBe(23 * HOUR);
    const fall = digestWindow(berlin20, Date.parse('2026-10-25T20:00:00Z'));
    expect(fall.endMs - fall.startMs).toBe(25 * HOUR);
  });

  it('runs a digest time that falls in a spring-forward gap when the gap ends (found by the property)', () => {
    // Sydney skips 02:00–03:00 on 3 Oct 2027; a 02:01 digest runs at 03:00 local (16:00Z).
    const sydney0201 = digestTimeSchema.parse({ hour: 2, minute: 1, timeZone: 'Australia/Sydney' });
    expect(digestWindow(sydney0201, Date.parse('2027-10-02T16:00:00Z'))).toEqual({
      startMs: Date.parse('2027-10-01T16:01:00Z'),
      endMs: Date.parse('2027-10-02T16:00:00Z'),
    });
    // The next day's window starts where that one ended: no story falls between two digests.
    expect(digestWindow(sydney0201, Date.parse('2027-10-03T15:01:00Z')).startMs).toBe(
      Date.parse('2027-10-02T16:00:00Z'),
    );
  });

  it('property: windows tile time, contain a moment just before now, and end at or before now', () => {
    const configArb = fc.record({
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      timeZone: fc.constantFrom(
        'Europe/Berlin',
        'America/New_York',
        'Asia/Shanghai',
        'Australia/Sydney',
        'Asia/Kolkata',
      ),
    });
    fc.assert(
      fc.property(
        configArb,
        fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2028-01-01') }),
        (config, nowMs) => {
          const window = digestWindow(config, nowMs);
          expect(window.endMs).toBeLessThanOrEqual(nowMs);
          expect(nowMs - window.endMs).toBeLessThan(26 * HOUR);
          // 24 h, 23 or 25 across a DST change; a digest time inside a spring-forward gap runs when the
          // gap ends, so that day's window is shorter by up to the gap (fixed example below).
          expect(window.endMs - window.startMs).toBeGreaterThanOrEqual(23 * HOUR);
          expect(window.endMs - window.startMs).toBeLessThanOrEqual(25 * HOUR);
          expect(digestWindow(config, window.startMs)).toEqual({
            startMs: digestWindow(config, window.startMs - 1).endMs,
            endMs: window.startMs,
          });
          expect(digestWindow(config, window.endMs - 1).endMs).toBe(window.startMs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
