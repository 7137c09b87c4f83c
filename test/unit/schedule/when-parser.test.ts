import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../../src/schedule/when-parser.js';

const BERLIN = 'Europe/Berlin';
// Saturday 28 Nov 2026, 15:00 in Berlin.
const NOW = Date.parse('2026-11-28T14:00:00Z');

function ok(text: string, zone = BERLIN, nowMs = NOW) {
  const result = parseWhen(text, zone, nowMs);
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe('parseWhen', () => {
  it.each([
    ['now', '2026-11-28T14:00:00Z'],
    ['in 2h', '2026-11-28T16:00:00Z'],
    ['in 90m', '2026-11-28T15:30:00Z'],
    ['in 1h30m', '2026-11-28T15:30:00Z'],
    ['IN 1h 30min', '2026-11-28T15:30:00Z'],
    ['16:45', '2026-11-28T15:45:00Z'],
    ['tomorrow 09:00', '2026-11-29T08:00:00Z'],
    ['mon 09:00', '2026-11-30T08:00:00Z'],
    ['Saturday 16:00', '2026-11-28T15:00:00Z'],
    ['sat 14:00', '2026-12-05T13:00:00Z'],
    ['2026-12-01 08:00', '2026-12-01T07:00:00Z'],
    ['2026-12-01T08:00', '2026-12-01T07:00:00Z'],
    ['2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z'],
    ['2026-12-01T08:00:00.000+05:30', '2026-12-01T02:30:00Z'],
    // As people write them (#18).
    ['tomorrow 9', '2026-11-29T08:00:00Z'],
    ['tomorrow 9am', '2026-11-29T08:00:00Z'],
    ['Tomorrow 9.30', '2026-11-29T08:30:00Z'],
    ['tmrw 21h', '2026-11-29T20:00:00Z'],
    ['21h', '2026-11-28T20:00:00Z'],
    ['9pm', '2026-11-28T20:00:00Z'],
    ['9 PM', '2026-11-28T20:00:00Z'],
    ['16.45', '2026-11-28T15:45:00Z'],
    ['today 17h30', '2026-11-28T16:30:00Z'],
    ['mon 9', '2026-11-30T08:00:00Z'],
    ['monday 9am', '2026-11-30T08:00:00Z'],
    ['tomorrow noon', '2026-11-29T11:00:00Z'],
  ])('reads %s', (text, iso) => {
    expect(ok(text).atMs).toBe(Date.parse(iso));
  });

  it('shows the time back in the editor’s zone', () => {
    expect(ok('2026-12-01 08:00').display).toBe('Tue 1 Dec 2026, 08:00 (Europe/Berlin)');
    expect(ok('2026-12-01 08:00', 'Asia/Kolkata').display).toBe('Tue 1 Dec 2026, 08:00 (Asia/Kolkata)');
  });

  it('says when a bare time means tomorrow', () => {
    const result = ok('14:30');
    expect(result.atMs).toBe(Date.parse('2026-11-29T13:30:00Z'));
    expect(result.note).toBe('14:30 has passed today: tomorrow');
    expect(ok('9:05').note).toBe('09:05 has passed today: tomorrow');
    expect(ok('16:00').note).toBeUndefined();
    expect(ok('9').note).toBe('09:00 has passed today: tomorrow');
    expect(ok('9').atMs).toBe(Date.parse('2026-11-29T08:00:00Z'));
    expect(ok('9am').note).toBe('09:00 has passed today: tomorrow');
  });

  it('moves a local time out of the DST gap and says so', () => {
    const result = ok('2027-03-28 02:30', BERLIN);
    expect(result.atMs).toBe(Date.parse('2027-03-28T01:00:00Z'));
    expect(result.note).toContain('02:30 does not exist that day');
  });

  it.each([
    ['2026-11-01 08:00', 'is in the past'],
    ['2026-11-28T13:59:00Z', 'is in the past'],
    ['today 09:00', 'is in the past'],
    ['2026-02-30 08:00', 'not a date on the calendar'],
    ['in 9999h', 'more than a year ahead'],
    ['next tuesday-ish', 'try "14:30"'],
    ['25:00', 'try "14:30"'],
    ['in', 'try "14:30"'],
    ['funday 09:00', 'try "14:30"'],
    ['funday 9', 'try "14:30"'],
    ['tomorrow 25', 'try "14:30"'],
    ['13pm', 'try "14:30"'],
    ['today 9am', 'is in the past'],
    ['constructor 9', 'try "14:30"'],
    ['toString', 'try "14:30"'],
    ['', 'try "14:30"'],
  ])('refuses %j with one clear line', (text, message) => {
    const result = parseWhen(text, BERLIN, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(message);
      expect(result.error).not.toContain('\n');
    }
  });

  it('refuses an unknown zone', () => {
    expect(parseWhen('now', 'Moon/Base', NOW)).toEqual({
      ok: false,
      error: 'unknown time zone "Moon/Base": use an IANA name, e.g. "Europe/Berlin"',
    });
  });

  it('fuzz: never throws, and what it accepts is never in the past', () => {
    const phrase = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.stringMatching(
        /^(in \d{1,7}h?\d{0,7}m?|(mon|tomorrow|today|sun) \d{1,2}([:.h]\d{2})? ?(am|pm|h)?|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)$/,
      ),
    );
    fc.assert(
      fc.property(
        phrase,
        fc.constantFrom(BERLIN, 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'),
        fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }),
        (text, zone, nowMs) => {
          const result = parseWhen(text, zone, nowMs);
          if (result.ok) expect(result.atMs).toBeGreaterThanOrEqual(nowMs);
          else expect(result.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
