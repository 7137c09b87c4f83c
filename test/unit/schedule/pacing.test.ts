import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RateLimits, rateBudget, type Send } from '../../../src/schedule/pacing.js';

const MIN = 60_000;

const telegram: RateLimits = {
  windows: [{ windowMs: MIN, limit: 20, label: 'per-minute' }],
  minIntervalMs: 1_000,
  minIntervalLabel: 'spacing',
};

const x: RateLimits = {
  windows: [
    { windowMs: 15 * MIN, limit: 100, label: '15-min' },
    { windowMs: 24 * 60 * MIN, limit: 2_400, label: 'day' },
  ],
  minIntervalMs: 0,
  minIntervalLabel: 'spacing',
};

/** Reference check, quadratic: every unit instant, every window starting at a unit, every overlap. */
function violations(limits: RateLimits, sends: readonly Send[]): string[] {
  const units = sends.flatMap((s) =>
    Array.from({ length: s.units }, (_, i) => s.atMs + i * limits.minIntervalMs),
  );
  const found: string[] = [];
  for (const w of limits.windows) {
    for (const start of units) {
      const inside = units.filter((t) => t >= start && t < start + w.windowMs).length;
      if (inside > w.limit) found.push(`${w.label} at ${start}: ${inside}`);
    }
  }
  if (limits.minIntervalMs > 0) {
    for (const a of sends) {
      for (const b of sends) {
        if (a !== b && a.atMs <= b.atMs && b.atMs < a.atMs + a.units * limits.minIntervalMs) {
          found.push(`overlap ${a.atMs}/${b.atMs}`);
        }
      }
    }
  }
  return found;
}

function planInARow(limits: RateLimits, nowMs: number, sizes: readonly number[], start: Send[] = []): Send[] {
  const sends = [...start];
  for (const units of sizes) {
    sends.push({ atMs: rateBudget(limits, sends).earliestSendAtMs(nowMs, units), units });
  }
  return sends;
}

describe('rateBudget', () => {
  it('sends at once when nothing is in the way', () => {
    expect(rateBudget(telegram, []).earliestSendAtMs(1_000, 1)).toBe(1_000);
  });

  it('spaces Telegram messages one second apart and holds the 21st message of a minute', () => {
    const sends = planInARow(telegram, 0, Array(21).fill(1));
    expect(sends.map((s) => s.atMs).slice(0, 3)).toEqual([0, 1_000, 2_000]);
    expect(sends[19]!.atMs).toBe(19_000);
    expect(sends[20]!.atMs).toBe(MIN);
    expect(violations(telegram, sends)).toEqual([]);
  });

  it('keeps a multi-message story clear of the next one', () => {
    const budget = rateBudget(telegram, [{ atMs: 10_000, units: 3 }]);
    expect(budget.earliestSendAtMs(9_000, 1)).toBe(9_000);
    expect(budget.earliestSendAtMs(9_500, 1)).toBe(13_000);
    expect(budget.blockingLimitAt(9_500, 1)).toBe('spacing');
    expect(budget.earliestSendAtMs(0, 2)).toBe(0);
  });

  it('counts future planned sends: a send before them must not overfill their window', () => {
    // 20 messages planned between 30 s and 49 s: nothing else fits from -30 s to +49 s... until 90 s.
    const planned = Array.from({ length: 20 }, (_, i) => ({ atMs: 30_000 + i * 1_000, units: 1 }));
    const at = rateBudget(telegram, planned).earliestSendAtMs(0, 1);
    expect(at).toBe(90_000);
    expect(violations(telegram, [...planned, { atMs: at, units: 1 }])).toEqual([]);
  });

  it('fills X 15-minute windows with whole threads', () => {
    const sends = planInARow(x, 0, Array(21).fill(5));
    expect(sends.slice(0, 20).every((s) => s.atMs === 0)).toBe(true);
    expect(sends[20]!.atMs).toBe(15 * MIN);
    expect(violations(x, sends)).toEqual([]);
  });

  it('plans for the reset when the live 24-hour budget is spent', () => {
    const limits: RateLimits = {
      ...x,
      windows: [
        x.windows[0]!,
        { ...x.windows[1]!, live: { remaining: 3, resetAtMs: 5 * MIN, observedAtMs: 0 } },
      ],
    };
    const budget = rateBudget(limits, [{ atMs: 1_000, units: 2 }]);
    expect(budget.earliestSendAtMs(2_000, 1)).toBe(2_000);
    expect(budget.earliestSendAtMs(2_000, 2)).toBe(5 * MIN);
    expect(budget.blockingLimitAt(2_000, 2)).toBe('day');
  });

  it('ignores sends before the live observation: the platform already counted them', () => {
    const limits: RateLimits = {
      ...x,
      windows: [{ ...x.windows[0]!, live: { remaining: 5, resetAtMs: 10 * MIN, observedAtMs: 60_000 } }],
    };
    const past = Array.from({ length: 20 }, (_, i) => ({ atMs: i * 1_000, units: 5 }));
    expect(rateBudget(limits, past).earliestSendAtMs(2 * MIN, 5)).toBe(2 * MIN);
  });

  it('never fits a send larger than a window', () => {
    expect(rateBudget(x, []).earliestSendAtMs(0, 101)).toBe(Number.POSITIVE_INFINITY);
  });

  it('property: planned in any order, the schedule never breaks a limit and never starts before now', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ nowMs: fc.integer({ min: 0, max: 3 * MIN }), units: fc.integer({ min: 1, max: 4 }) }),
          {
            maxLength: 40,
          },
        ),
        fc.constantFrom(telegram, {
          windows: [
            { windowMs: 10_000, limit: 6, label: 'short' },
            { windowMs: 45_000, limit: 15, label: 'long' },
          ],
          minIntervalMs: 0,
          minIntervalLabel: 'spacing',
        } satisfies RateLimits),
        (requests, limits) => {
          const sends: Send[] = [];
          for (const { nowMs, units } of requests) {
            const budget = rateBudget(limits, sends);
            const at = budget.earliestSendAtMs(nowMs, units);
            expect(at).toBeGreaterThanOrEqual(nowMs);
            expect(budget.blockingLimitAt(at, units)).toBeNull();
            sends.push({ atMs: at, units });
          }
          expect(violations(limits, sends)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: the answer is the earliest instant that fits (checked ms by ms on a small scale)', () => {
    const limits: RateLimits = {
      windows: [{ windowMs: 50, limit: 4, label: 'w' }],
      minIntervalMs: 3,
      minIntervalLabel: 'spacing',
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ atMs: fc.integer({ min: 0, max: 200 }), units: fc.integer({ min: 1, max: 2 }) }),
          {
            maxLength: 12,
          },
        ),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 3 }),
        (existing, nowMs, units) => {
          const budget = rateBudget(limits, existing);
          const at = budget.earliestSendAtMs(nowMs, units);
          for (let t = nowMs; t < at; t++) expect(budget.blockingLimitAt(t, units)).not.toBeNull();
          expect(budget.blockingLimitAt(at, units)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('plans 1,000 thread sends quickly', () => {
    const started = performance.now();
    const sends = planInARow(x, 0, Array(1_000).fill(5));
    expect(performance.now() - started).toBeLessThan(1_500);
    // 20 threads per 15 min and 480 per 24 h: threads 960-999 go out on the third day.
    expect(sends[479]!.atMs).toBe(5 * 60 * MIN + 45 * MIN);
    expect(sends[480]!.atMs).toBe(24 * 60 * MIN);
    expect(sends.at(-1)!.atMs).toBe(48 * 60 * MIN + 15 * MIN);
  });
});
