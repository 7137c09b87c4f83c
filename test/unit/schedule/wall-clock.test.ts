import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clockTimeMinutes, instantAtWall, wallMsAt } from '../../../src/schedule/wall-clock.js';

const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('clockTimeMinutes', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(clockTimeMinutes('08:30')).toBe(510);
    expect(clockTimeMinutes('23:59')).toBe(1439);
    for (const bad of ['8:30', '24:00', '12:60', '12:3', ' 12:30', ''])
      expect(clockTimeMinutes(bad)).toBeNull();
  });
});

describe('instantAtWall', () => {
  it('resolves an ordinary local time', () => {
    expect(instantAtWall(wall('2026-12-01T08:00'), 'Europe/Berlin')).toEqual({
      atMs: Date.parse('2026-12-01T07:00:00Z'),
      shifted: false,
    });
  });

  it('moves a time inside the spring-forward gap to the moment the clocks jump', () => {
    // Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z.
    expect(instantAtWall(wall('2026-03-29T02:30'), 'Europe/Berlin')).toEqual({
      atMs: Date.parse('2026-03-29T01:00:00Z'),
      shifted: true,
    });
    // America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
    expect(instantAtWall(wall('2026-03-08T02:15'), 'America/New_York').atMs).toBe(
      Date.parse('2026-03-08T07:00:00Z'),
    );
  });

  it('takes the first occurrence of a time that happens twice', () => {
    // Europe/Berlin, 2026-10-25: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(instantAtWall(wall('2026-10-25T02:30'), 'Europe/Berlin')).toEqual({
      atMs: Date.parse('2026-10-25T00:30:00Z'),
      shifted: false,
    });
    expect(instantAtWall(wall('2026-11-01T01:30'), 'America/New_York').atMs).toBe(
      Date.parse('2026-11-01T05:30:00Z'),
    );
  });

  it('handles half-hour zones and half-hour DST (Australia/Lord_Howe)', () => {
    expect(instantAtWall(wall('2026-12-01T08:00'), 'Asia/Kolkata').atMs).toBe(
      Date.parse('2026-12-01T02:30:00Z'),
    );
    // Lord Howe springs forward 02:00 -> 02:30 on 2026-10-04 (at 15:30Z the day before).
    expect(instantAtWall(wall('2026-10-04T02:10'), 'Australia/Lord_Howe')).toEqual({
      atMs: Date.parse('2026-10-03T15:30:00Z'),
      shifted: true,
    });
  });

  it('round-trips every instant through its wall clock (first occurrence on fall-back)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2035-01-01') }),
        fc.constantFrom(...zones),
        (atMs, zone) => {
          const minute = atMs - (atMs % 60_000);
          const back = instantAtWall(wallMsAt(minute, zone), zone);
          expect(back.shifted).toBe(false);
          // Same instant, or the earlier twin of an ambiguous wall time.
          expect(wallMsAt(back.atMs, zone)).toBe(wallMsAt(minute, zone));
          expect(back.atMs).toBeLessThanOrEqual(minute);
          expect(minute - back.atMs).toBeLessThanOrEqual(3_600_000);
        },
      ),
      { numRuns: 500 },
    );
  });
});
