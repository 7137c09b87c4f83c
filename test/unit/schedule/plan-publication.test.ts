import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DestinationSchedule,
  type DestinationScheduleInput,
  destinationScheduleSchema,
  isQuietMinute,
} from '../../../src/schedule/destination-schedule.js';
import {
  type PlannedPublication,
  type PlanPublicationInput,
  type PublicationRequest,
  planPublication,
} from '../../../src/schedule/plan-publication.js';
import {
  clockTimeMinutes,
  instantAtWall,
  wallDayStart,
  wallMinuteOfDay,
  wallMsAt,
} from '../../../src/schedule/wall-clock.js';

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

function schedule(
  input: Partial<DestinationScheduleInput> & Pick<DestinationScheduleInput, 'platform'>,
): DestinationSchedule {
  return destinationScheduleSchema.parse(input);
}

function plan(overrides: Partial<PlanPublicationInput> & Pick<PlanPublicationInput, 'nowMs'>) {
  const result = planPublication({
    units: 1,
    schedule: schedule({ platform: 'telegram' }),
    planned: [],
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** Plans stories one after another, feeding each result back, as the queue would. */
function planMany(
  count: number,
  base: Omit<PlanPublicationInput, 'planned'>,
  planned: PlannedPublication[] = [],
): PlannedPublication[] {
  const all = [...planned];
  for (let i = 0; i < count; i++) {
    const result = planPublication({ ...base, planned: all });
    if (!result.ok) throw new Error(result.error);
    all.push({
      atMs: result.atMs,
      units: base.units,
      storyId: `s${i}`,
      ...(base.request?.mode === 'breaking' ? { breaking: true } : {}),
    });
  }
  return all.slice(planned.length);
}

// Saturday 28 Nov 2026, 10:00 in Berlin (UTC+1).
const NOW = at('2026-11-28T09:00:00Z');

describe('planPublication: next-slot', () => {
  it('takes the next slot of the day, then the next ones, then tomorrow', () => {
    const times = planMany(4, { units: 1, schedule: schedule({ platform: 'telegram' }), nowMs: NOW }).map(
      (p) => p.atMs,
    );
    expect(times).toEqual([
      at('2026-11-28T11:00:00Z'),
      at('2026-11-28T16:30:00Z'),
      at('2026-11-29T07:30:00Z'),
      at('2026-11-29T11:00:00Z'),
    ]);
    expect(plan({ nowMs: NOW }).reason).toBe('next free slot: Sat 28 Nov 2026, 12:00 (Europe/Berlin)');
  });

  it('never plans before the embargo', () => {
    const result = plan({
      nowMs: NOW,
      request: { mode: 'next-slot', embargoUntilMs: at('2026-11-28T12:00:00Z') },
    });
    expect(result.atMs).toBe(at('2026-11-28T16:30:00Z'));
  });

  it('keeps the minimum gap to stories planned by other modes', () => {
    const planned = [{ atMs: at('2026-11-28T10:50:00Z'), units: 1, storyId: 'manual' }];
    expect(plan({ nowMs: NOW, planned }).atMs).toBe(at('2026-11-28T16:30:00Z'));
  });

  it('respects the daily cap and says so', () => {
    const planned = [{ atMs: at('2026-11-28T07:30:00Z'), units: 1, storyId: 'a' }];
    const result = plan({ nowMs: NOW, planned, schedule: schedule({ platform: 'telegram', dailyCap: 1 }) });
    expect(result.atMs).toBe(at('2026-11-29T07:30:00Z'));
    expect(result.moved).toBe(
      'daily cap reached (1 stories/day): moved to Sun 29 Nov 2026, 08:30 (Europe/Berlin)',
    );
  });

  it('moves a thread past the X daily cap to the first slot after the budget resets', () => {
    const result = plan({
      nowMs: NOW,
      units: 5,
      schedule: schedule({ platform: 'x' }),
      live: { day: { remaining: 3, resetAtMs: at('2026-11-29T05:00:00Z'), observedAtMs: NOW - MIN } },
    });
    expect(result.atMs).toBe(at('2026-11-29T07:30:00Z'));
    expect(result.moved).toBe(
      'X daily cap reached (2400/day): moved to Sun 29 Nov 2026, 08:30 (Europe/Berlin)',
    );
  });

  it('ignores the story’s own earlier plan when re-planning it', () => {
    const planned = [{ atMs: at('2026-11-28T11:00:00Z'), units: 1, storyId: 'me' }];
    expect(plan({ nowMs: NOW, planned, storyId: 'me' }).atMs).toBe(at('2026-11-28T11:00:00Z'));
  });

  it('fires a 02:30 slot at 03:00 on the spring-forward day and once on the fall-back day', () => {
    const policy = schedule({ platform: 'telegram', slots: ['02:30'], quietHours: null });
    const spring = plan({ nowMs: at('2026-03-28T12:00:00Z'), schedule: policy });
    expect(spring.atMs).toBe(at('2026-03-29T01:00:00Z'));
    const fall = planMany(2, { units: 1, schedule: policy, nowMs: at('2026-10-24T12:00:00Z') }).map(
      (p) => p.atMs,
    );
    expect(fall).toEqual([at('2026-10-25T00:30:00Z'), at('2026-10-26T01:30:00Z')]);
  });

  it('refuses when nothing can be planned', () => {
    expect(
      planPublication({
        units: 1,
        schedule: schedule({ platform: 'x', enabled: false }),
        planned: [],
        nowMs: NOW,
      }),
    ).toEqual({
      ok: false,
      error: 'publishing is disabled for this destination',
    });
    const tooLong = planPublication({
      units: 101,
      schedule: schedule({ platform: 'x' }),
      planned: [],
      nowMs: NOW,
    });
    expect(tooLong.ok).toBe(false);
    expect(
      planPublication({ units: 0, schedule: schedule({ platform: 'x' }), planned: [], nowMs: NOW }).ok,
    ).toBe(false);
  });
});

describe('planPublication: at, now, breaking', () => {
  it('honours an exact time inside quiet hours', () => {
    const result = plan({ nowMs: NOW, request: { mode: 'at', atMs: at('2026-11-28T23:15:00Z') } });
    expect(result.atMs).toBe(at('2026-11-28T23:15:00Z'));
    expect(result.reason).toContain('inside quiet hours');
    expect(result.moved).toBeUndefined();
  });

  it('refuses an exact time in the past, but takes one a moment ago as now', () => {
    const past = planPublication({
      units: 1,
      schedule: schedule({ platform: 'telegram' }),
      planned: [],
      nowMs: NOW,
      request: { mode: 'at', atMs: NOW - 5 * MIN },
    });
    expect(past).toEqual({
      ok: false,
      error:
        'Sat 28 Nov 2026, 09:55 (Europe/Berlin) is in the past (now Sat 28 Nov 2026, 10:00 (Europe/Berlin)): pick a later time',
    });
    expect(plan({ nowMs: NOW, request: { mode: 'at', atMs: NOW - 10_000 } }).atMs).toBe(NOW);
  });

  it('paces an exact time and says which limit moved it', () => {
    const planned = Array.from({ length: 20 }, (_, i) => ({
      atMs: NOW + i * 1_000,
      units: 1,
      storyId: `t${i}`,
    }));
    const result = plan({ nowMs: NOW, planned, request: { mode: 'at', atMs: NOW + 30_000 } });
    expect(result.atMs).toBe(NOW + MIN);
    expect(result.moved).toBe(
      'Telegram per-minute limit reached (20/min): moved to Sat 28 Nov 2026, 10:01 (Europe/Berlin)',
    );
  });

  it('moves an exact time before the embargo to the embargo', () => {
    const result = plan({ nowMs: NOW, request: { mode: 'at', atMs: NOW, embargoUntilMs: NOW + 30 * MIN } });
    expect(result.atMs).toBe(NOW + 30 * MIN);
    expect(result.moved).toMatch(/^embargoed until Sat 28 Nov 2026, 10:30/);
  });

  it('publishes now, ignoring the newsroom gap, unless the platform says wait', () => {
    expect(plan({ nowMs: NOW, request: { mode: 'now' } }).atMs).toBe(NOW);
    const fiveMinutesAgo = [{ atMs: NOW - 5 * MIN, units: 1, storyId: 'a' }];
    expect(plan({ nowMs: NOW, planned: fiveMinutesAgo, request: { mode: 'now' } }).atMs).toBe(NOW);
    const justSent = [{ atMs: NOW - 500, units: 1, storyId: 'b' }];
    const result = plan({ nowMs: NOW, planned: justSent, request: { mode: 'now' } });
    expect(result.atMs).toBe(NOW + 500);
    expect(result.moved).toContain('Telegram message spacing');
  });

  it('puts a breaking story ahead of queued ones, behind what was sent', () => {
    const queued = Array.from({ length: 20 }, (_, i) => ({
      atMs: NOW + i * 1_000,
      units: 1,
      storyId: `q${i}`,
    }));
    const sent = [{ atMs: NOW - 500, units: 1, storyId: 'sent' }];
    const result = plan({ nowMs: NOW, planned: [...sent, ...queued], request: { mode: 'breaking' } });
    expect(result.atMs).toBe(NOW + 500);
    expect(result.moved).toContain('Telegram message spacing');
  });

  it.each<PublicationRequest>([
    { mode: 'next-slot' },
    { mode: 'now' },
    { mode: 'breaking' },
    { mode: 'at', atMs: NOW + MIN },
  ])('gives N stories planned in a row N distinct, paced times (%j)', (request) => {
    for (const platform of ['telegram', 'x'] as const) {
      const planned = planMany(60, { units: 3, schedule: schedule({ platform }), nowMs: NOW, request });
      const times = planned.map((p) => p.atMs);
      expect(new Set(times).size).toBe(60);
      for (const t of times) expect(t).toBeGreaterThanOrEqual(NOW);
      const sorted = [...times].sort((a, b) => a - b);
      const spacing = request.mode === 'next-slot' ? 15 * MIN : 3 * schedule({ platform }).rate.minIntervalMs;
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(spacing);
    }
  });
});

describe('planPublication: properties across zones and DST', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney', 'Asia/Kolkata'];
  const slotArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 23 * 60 + 59 }), { minLength: 1, maxLength: 4 })
    .map((minutes) =>
      minutes.map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`),
    );
  const policyArb = fc
    .record({
      timeZone: fc.constantFrom(...zones),
      slots: slotArb,
      quiet: fc.boolean(),
      dailyCap: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      platform: fc.constantFrom('telegram' as const, 'x' as const),
    })
    .map(({ quiet, ...rest }) => {
      const quietHours = quiet ? { start: '23:00', end: '07:00' } : null;
      const slots = rest.slots.filter((s) => !isQuietMinute(quietHours, clockTimeMinutes(s)!));
      return schedule({ ...rest, quietHours, slots: slots.length > 0 ? slots : ['12:00'] });
    });
  // Around 2026, DST changes included; now is any ms.
  const nowArb = fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') });
  const plannedArb = (nowMs: number) =>
    fc.array(
      fc.record({
        atMs: fc.integer({ min: nowMs - 86_400_000, max: nowMs + 5 * 86_400_000 }),
        units: fc.integer({ min: 1, max: 5 }),
        storyId: fc.string({ maxLength: 4 }),
      }),
      { maxLength: 12 },
    );

  /** The slot instants of the local days around `atMs`, as {@link instantAtWall} resolves them. */
  function isSlotInstant(policy: DestinationSchedule, atMs: number): boolean {
    const day = wallDayStart(wallMsAt(atMs, policy.timeZone));
    return [day - 86_400_000, day, day + 86_400_000].some((d) =>
      policy.slots.some(
        (slot) => instantAtWall(d + clockTimeMinutes(slot)! * MIN, policy.timeZone).atMs === atMs,
      ),
    );
  }

  it('next-slot: never before now or embargo, never in quiet hours, always a slot, monotonic in now', () => {
    fc.assert(
      fc.property(
        policyArb,
        nowArb.chain((nowMs) =>
          fc.tuple(
            fc.constant(nowMs),
            plannedArb(nowMs),
            fc.option(fc.integer({ min: nowMs - 86_400_000, max: nowMs + 3 * 86_400_000 }), {
              nil: undefined,
            }),
            fc.integer({ min: 0, max: 3 * 86_400_000 }),
          ),
        ),
        (policy, [nowMs, planned, embargoUntilMs, laterBy]) => {
          const request: PublicationRequest =
            embargoUntilMs === undefined ? { mode: 'next-slot' } : { mode: 'next-slot', embargoUntilMs };
          const base = { units: 2, schedule: policy, planned, request };
          const first = planPublication({ ...base, nowMs });
          const later = planPublication({ ...base, nowMs: nowMs + laterBy });
          if (!first.ok || !later.ok) throw new Error('no plan');
          expect(first.atMs).toBeGreaterThanOrEqual(Math.max(nowMs, embargoUntilMs ?? nowMs));
          expect(
            isQuietMinute(policy.quietHours, wallMinuteOfDay(wallMsAt(first.atMs, policy.timeZone))),
          ).toBe(false);
          expect(isSlotInstant(policy, first.atMs)).toBe(true);
          expect(later.atMs).toBeGreaterThanOrEqual(first.atMs);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('every mode: never before now or embargo, and the gap holds for next-slot', () => {
    fc.assert(
      fc.property(
        policyArb,
        nowArb.chain((nowMs) => fc.tuple(fc.constant(nowMs), plannedArb(nowMs))),
        fc.constantFrom('now' as const, 'breaking' as const, 'at' as const, 'next-slot' as const),
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (policy, [nowMs, planned], mode, aheadMs, embargoAheadMs) => {
          const embargoUntilMs = nowMs + embargoAheadMs;
          const request: PublicationRequest =
            mode === 'at' ? { mode, atMs: nowMs + aheadMs, embargoUntilMs } : { mode, embargoUntilMs };
          const result = planPublication({ units: 3, schedule: policy, planned, nowMs, request });
          if (!result.ok) throw new Error(result.error);
          expect(result.atMs).toBeGreaterThanOrEqual(embargoUntilMs);
          if (mode === 'next-slot') {
            for (const p of planned)
              expect(Math.abs(p.atMs - result.atMs)).toBeGreaterThanOrEqual(policy.minGapMs);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
