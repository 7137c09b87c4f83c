import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readClock } from '../../../src/schedule/clock-phrase.js';

describe('readClock: times of day as people write them', () => {
  it.each([
    ['14:30', '14:30'],
    ['9:05', '09:05'],
    ['09:00', '09:00'],
    ['9', '09:00'],
    ['0', '00:00'],
    ['23', '23:00'],
    ['21h', '21:00'],
    ['9h30', '09:30'],
    ['21h45', '21:45'],
    ['9.30', '09:30'],
    ['9am', '09:00'],
    ['9 am', '09:00'],
    ['9pm', '21:00'],
    ['9:30pm', '21:30'],
    ['9.15 pm', '21:15'],
    ['9 p.m.', '21:00'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['12:30am', '00:30'],
    ['noon', '12:00'],
    ['midnight', '00:00'],
  ])('reads %j as %s', (typed, shown) => {
    expect(readClock(typed)?.shown).toBe(shown);
  });

  it.each(['24', '25:00', '9:60', '13pm', '0am', '930', '9:5', 'nine', '', '-1', '9:30:00'])(
    'refuses %j',
    (typed) => {
      expect(readClock(typed)).toBeUndefined();
    },
  );

  it('property: every 24-hour time written as H, H:MM, H.MM, HhMM or Hh reads back as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (hour, minute) => {
        const mm = String(minute).padStart(2, '0');
        for (const typed of [`${hour}:${mm}`, `${hour}.${mm}`, `${hour}h${mm}`]) {
          expect(readClock(typed)?.minutes).toBe(hour * 60 + minute);
        }
        expect(readClock(String(hour))?.minutes).toBe(hour * 60);
        expect(readClock(`${hour}h`)?.minutes).toBe(hour * 60);
      }),
    );
  });

  it('property: a 12-hour time with am/pm is the same instant of the day as its 24-hour form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('am', 'pm', ' am', ' pm', 'a.m.', ' p.m.'),
        (hour, minute, suffix) => {
          const pm = suffix.includes('p');
          const expected = ((hour % 12) + (pm ? 12 : 0)) * 60 + minute;
          expect(readClock(`${hour}:${String(minute).padStart(2, '0')}${suffix}`)?.minutes).toBe(expected);
          if (minute === 0) expect(readClock(`${hour}${suffix}`)?.minutes).toBe(expected);
        },
      ),
    );
  });

  it('property: never throws, and anything read is a time of day', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^\d{1,3}([:.h]\d{1,3})? ?(am|pm|h)?$/)),
        (typed) => {
          const read = readClock(typed);
          if (read) expect(read.minutes).toBeGreaterThanOrEqual(0);
          if (read) expect(read.minutes).toBeLessThan(24 * 60);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
